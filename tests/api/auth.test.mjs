// auth.test.mjs — login, cookie attributes, lockout, CSRF, logout, the `user` CLI,
// the password policy, disabling a user and the remembered language.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
    account, assertError, assertOk, cookieFrom, login, loginAs, loginRaw, request, runCli, startServer,
} from './harness.mjs';

let srv;
let admin;

before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
});

after(async () => {
    if (srv) await srv.stop();
});

const STRONG = 'Kc-test-Passw0rd-2026';

/* Creates a user through the admin API and returns {user, password}. */
async function apiUser(username, over = {}) {
    const body = {
        username, display_name: `测试 ${username}`, role: 'county_officer', region_code: '330402',
        password: STRONG, ...over,
    };
    const r = await admin.post('/api/v1/users', body);
    assertOk(r, 201, `create user ${username}`);
    return { user: r.json.user, password: body.password };
}

describe('login', () => {
    test('login OK returns user + csrf_token; cookie kc_session is HttpOnly, SameSite=Strict, Path=/', async () => {
        const a = account(srv.accounts, 'admin');
        const r = await loginRaw(srv.base, a.username, a.password);
        assert.equal(r.status, 200, r.text);
        assert.equal(typeof r.json.csrf_token, 'string');
        assert.ok(r.json.csrf_token.length >= 16, 'csrf_token long enough to be unguessable');
        assert.equal(r.json.user.username, 'admin');
        assert.equal(r.json.user.role, 'admin');
        assert.ok(!JSON.stringify(r.json).includes('argon2') && !('password_hash' in r.json.user), 'no hash in the answer');
        const c = cookieFrom(r.setCookies, 'kc_session');
        assert.ok(c, `kc_session in ${JSON.stringify(r.setCookies)}`);
        assert.ok(c.value.length >= 20, 'session token long enough');
        assert.match(c.header, /;\s*HttpOnly/i);
        assert.match(c.header, /;\s*SameSite=Strict/i);
        assert.match(c.header, /;\s*Path=\/(;|$)/i);
    });

    test('the User object has every field of the contract', async () => {
        const u = admin.user;
        const missing = ['id', 'username', 'display_name', 'role', 'region_code', 'region_name', 'org_id',
            'org_name', 'status', 'lang', 'capabilities', 'created_at'].filter((k) => !(k in u));
        assert.deepEqual(missing, [], `User fields missing from ${JSON.stringify(u)}`);
        assert.equal(u.status, 'active');
        assert.ok(['zh-CN', 'en'].includes(u.lang));
        assert.match(u.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'RFC 3339 UTC');
    });

    test('GET /api/v1/session returns the user and the same csrf_token', async () => {
        const r = await admin.get('/api/v1/session');
        assertOk(r);
        assert.equal(r.json.user.username, 'admin');
        assert.equal(r.json.csrf_token, admin.csrf);
    });

    test('two logins get different session tokens', async () => {
        const a = account(srv.accounts, 'admin');
        const c2 = await login(srv.base, a.username, a.password);
        assert.notEqual(c2.cookie, admin.cookie);
    });

    test('wrong password → 401 bad_credentials; unknown user → the same answer', async () => {
        const a = account(srv.accounts, 'city_lishui');
        const r = await loginRaw(srv.base, a.username, a.password + 'x');
        assertError(r, 401, 'bad_credentials');
        assert.equal(cookieFrom(r.setCookies, 'kc_session'), null, 'no session cookie on failure');
        const u = await loginRaw(srv.base, 'no_such_user_zz', 'whatever-123-abc');
        assertError(u, 401, 'bad_credentials');
        assert.equal(u.json.error.message, r.json.error.message, 'unknown user and wrong password look the same');
        // A later right password still works (one failure does not lock).
        await login(srv.base, a.username, a.password);
    });

    test('login messages follow Accept-Language', async () => {
        const zh = await loginRaw(srv.base, 'no_such_user_zz', 'whatever-123-abc');
        const en = await loginRaw(srv.base, 'no_such_user_zz', 'whatever-123-abc', { lang: 'en' });
        assert.match(zh.json.error.message, /[\u3400-\u9fff]/);
        assert.doesNotMatch(en.json.error.message, /[\u3400-\u9fff]/);
    });

    test('login with a missing password or a non-object body → 4xx, never 5xx or 200', async () => {
        const r = await request(srv.base, '/api/v1/session', { method: 'POST', body: { username: 'admin' } });
        assert.ok(r.status >= 400 && r.status < 500, `${r.status} ${r.text}`);
        assertError(r, r.status);
        const r2 = await request(srv.base, '/api/v1/session', { method: 'POST', body: '"admin"' });
        assert.ok(r2.status >= 400 && r2.status < 500, `${r2.status} ${r2.text}`);
    });
});

describe('sessions and CSRF', () => {
    test('no cookie → 401 unauthenticated on protected routes', async () => {
        for (const p of ['/api/v1/session', '/api/v1/orgs', '/api/v1/users', '/api/v1/audit', '/api/v1/me/summary',
            '/api/v1/regions', '/api/v1/orgs/export']) {
            assertError(await request(srv.base, p), 401, 'unauthenticated', undefined, `GET ${p}`);
        }
        const org = (await admin.get('/api/v1/orgs?page_size=1')).json.items[0];
        assertError(await request(srv.base, `/api/v1/orgs/${org.id}`), 401, 'unauthenticated');
        assertError(await request(srv.base, '/api/v1/orgs', { method: 'POST', body: {} }), 401, 'unauthenticated');
        assertError(await request(srv.base, '/api/v1/me', { method: 'PATCH', body: { lang: 'en' } }), 401, 'unauthenticated');
    });

    test('a forged cookie → 401', async () => {
        const r = await request(srv.base, '/api/v1/orgs', { cookie: 'kc_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
        assertError(r, 401, 'unauthenticated');
        const r2 = await request(srv.base, '/api/v1/orgs', { cookie: 'kc_session=' });
        assertError(r2, 401, 'unauthenticated');
    });

    test('unsafe request without X-CSRF-Token → 403 csrf_failed; wrong token → 403; right token → 200', async () => {
        const c = await loginAs(srv, 'county_xiuzhou');
        const none = await c.patch('/api/v1/me', { display_name: '秀洲 无令牌' }, { csrf: false });
        assertError(none, 403, 'csrf_failed');
        const wrong = await c.patch('/api/v1/me', { display_name: '秀洲 错令牌' }, { csrfToken: 'x'.repeat(43) });
        assertError(wrong, 403, 'csrf_failed');
        const other = await loginAs(srv, 'county_wenling');
        const cross = await c.patch('/api/v1/me', { display_name: '秀洲 他人令牌' }, { csrfToken: other.csrf });
        assertError(cross, 403, 'csrf_failed', undefined, "another session's token");
        assert.equal((await c.get('/api/v1/session')).json.user.display_name !== '秀洲 无令牌', true);
        const ok = await c.patch('/api/v1/me', { display_name: '秀洲 测试' });
        assertOk(ok);
        assert.equal(ok.json.user.display_name, '秀洲 测试');
    });

    test('CSRF is checked on POST and DELETE too', async () => {
        const c = await loginAs(srv, 'county_wenling');
        assertError(await c.post('/api/v1/orgs', { kind: 'enterprise' }, { csrf: false }), 403, 'csrf_failed');
        assertError(await c.del('/api/v1/session', { csrf: false }), 403, 'csrf_failed');
        assertOk(await c.get('/api/v1/session'), 200, 'a refused logout leaves the session alive');
    });

    test('logout invalidates the session (next GET → 401)', async () => {
        const c = await loginAs(srv, 'city_yangzhou');
        assertOk(await c.get('/api/v1/orgs?page_size=1'));
        const out = await c.del('/api/v1/session');
        assertOk(out);
        assert.deepEqual(out.json, { ok: true });
        assertError(await c.get('/api/v1/session'), 401, 'unauthenticated');
        assertError(await c.get('/api/v1/orgs?page_size=1'), 401, 'unauthenticated');
    });
});

describe('the user command line', () => {
    test('`user add` with the password on stdin creates a user who can log in (server running)', async () => {
        const r = await runCli(['user', 'add', '--data', srv.dataDir, '--username', 'cli_nanhu',
            '--role', 'county_officer', '--region', '330402'], { input: STRONG + '\n' });
        assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
        const c = await login(srv.base, 'cli_nanhu', STRONG);
        assert.equal(c.user.role, 'county_officer');
        assert.equal(c.user.region_code, '330402');
        assertOk(await c.get('/api/v1/orgs?page_size=1'));
    });

    test('`user add` with a weak password exits non-zero and creates nobody', async () => {
        for (const [name, pw] of [['cli_weak1', 'short1'], ['cli_weak2', 'onlyletterslong'], ['cli_weak3', 'cli_weak3_2026!x']]) {
            const r = await runCli(['user', 'add', '--data', srv.dataDir, '--username', name,
                '--role', 'county_officer', '--region', '330402'], { input: pw + '\n' });
            assert.notEqual(r.code, 0, `weak password ${pw} accepted by the CLI\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
            assertError(await loginRaw(srv.base, name, pw), 401, 'bad_credentials');
        }
    });

    test('`user add` with a duplicate username or a bad role/region exits non-zero', async () => {
        for (const args of [
            ['--username', 'admin', '--role', 'admin', '--region', '000000'],
            ['--username', 'cli_badrole', '--role', 'emperor', '--region', '330402'],
            ['--username', 'cli_badregion', '--role', 'county_officer', '--region', '999999'],
        ]) {
            const r = await runCli(['user', 'add', '--data', srv.dataDir, ...args], { input: STRONG + '\n' });
            assert.notEqual(r.code, 0, `accepted: ${args.join(' ')}\n${r.stdout}${r.stderr}`);
        }
    });

    test('`user disable` stops login', async () => {
        const r = await runCli(['user', 'add', '--data', srv.dataDir, '--username', 'cli_todisable',
            '--role', 'expert', '--region', '331102'], { input: STRONG + '\n' });
        assert.equal(r.code, 0, `user add: ${r.stdout}${r.stderr}`);
        await login(srv.base, 'cli_todisable', STRONG);
        const d = await runCli(['user', 'disable', '--data', srv.dataDir, '--username', 'cli_todisable']);
        assert.equal(d.code, 0, `user disable: exit ${d.code}\n${d.stdout}${d.stderr}`);
        const l = await loginRaw(srv.base, 'cli_todisable', STRONG);
        assert.ok([401, 403].includes(l.status), `disabled user login: ${l.status} ${l.text}`);
        assertError(l, l.status);
    });
});

describe('users through the API', () => {
    test('weak passwords are refused by the API with 422 weak_password (field password)', async () => {
        for (const [name, pw] of [
            ['api_weak1', 'Ab1!'], // too short
            ['api_weak2', 'abcdefghijklmn'], // one class only
            ['api_weak3', 'xx-api_weak3-2026'], // contains the username
            ['api_weak4', 'a1'.repeat(65)], // 130 characters
        ]) {
            const r = await admin.post('/api/v1/users', {
                username: name, display_name: name, role: 'county_officer', region_code: '330402', password: pw,
            });
            assertError(r, 422, 'weak_password', 'password', `password ${pw.slice(0, 20)}`);
        }
    });

    test('GET /api/v1/users/{id} answers the full User object', async () => {
        const { user } = await apiUser('api_shape');
        for (const u of [user, (await admin.get(`/api/v1/users/${user.id}`)).json]) {
            const missing = ['id', 'username', 'display_name', 'role', 'region_code', 'region_name', 'org_id',
                'org_name', 'status', 'lang', 'capabilities', 'created_at'].filter((k) => !(k in u));
            assert.deepEqual(missing, [], `User fields missing from ${JSON.stringify(u)}`);
            assert.ok(!('password_hash' in u));
        }
    });

    test('duplicate username → 409 conflict, field username', async () => {
        const r = await admin.post('/api/v1/users', {
            username: 'admin', display_name: 'x', role: 'admin', region_code: '000000', password: STRONG,
        });
        assertError(r, 409, 'conflict', 'username');
    });

    test('a user created by the API can log in; disabling by PATCH stops login and ends the session', async () => {
        const { user } = await apiUser('api_disable_me');
        const c = await login(srv.base, 'api_disable_me', STRONG);
        assert.equal(c.user.id, user.id);
        const p = await admin.patch(`/api/v1/users/${user.id}`, { status: 'disabled' });
        assertOk(p);
        assert.equal(p.json.user.status, 'disabled');
        const l = await loginRaw(srv.base, 'api_disable_me', STRONG);
        assert.ok([401, 403].includes(l.status), `disabled user login: ${l.status} ${l.text}`);
        // Beyond the letter of the contract, but expected of any admin "disable": the live session ends.
        assertError(await c.get('/api/v1/orgs?page_size=1'), 401, 'unauthenticated', undefined, 'session of a disabled user');
        assertOk(await admin.patch(`/api/v1/users/${user.id}`, { status: 'active' }));
        await login(srv.base, 'api_disable_me', STRONG);
    });

    test('admin resets a password: the old one stops working, the new one works', async () => {
        const { user } = await apiUser('api_reset_me');
        const np = 'Another-Passw0rd-77';
        assertError(await admin.post(`/api/v1/users/${user.id}/password`, { password: 'weak' }), 422, 'weak_password', 'password');
        const r = await admin.post(`/api/v1/users/${user.id}/password`, { password: np });
        assertOk(r);
        assertError(await loginRaw(srv.base, 'api_reset_me', STRONG), 401, 'bad_credentials');
        await login(srv.base, 'api_reset_me', np);
    });
});

describe('the current user', () => {
    test('PATCH /api/v1/me {"lang":"en"} is remembered', async () => {
        const c = await loginAs(srv, 'city_taizhou');
        const p = await c.patch('/api/v1/me', { lang: 'en' });
        assertOk(p);
        assert.equal(p.json.user.lang, 'en');
        const s = await c.get('/api/v1/session');
        assert.equal(s.json.user.lang, 'en');
        const again = await loginAs(srv, 'city_taizhou');
        assert.equal(again.user.lang, 'en', 'remembered across logins');
        assertOk(await c.patch('/api/v1/me', { lang: 'zh-CN' }));
        assert.equal((await c.get('/api/v1/session')).json.user.lang, 'zh-CN');
    });

    test('PATCH /api/v1/me with a bad lang or a forbidden field → 422', async () => {
        const c = await loginAs(srv, 'city_taizhou');
        assertError(await c.patch('/api/v1/me', { lang: 'fr' }), 422, 'invalid_value', 'lang');
        assertError(await c.patch('/api/v1/me', { role: 'admin' }), 422, 'unknown_field', 'role');
        assert.equal((await c.get('/api/v1/session')).json.user.role, 'city_officer');
    });

    test('POST /api/v1/me/password: wrong old → refused; right old → new works, old does not', async () => {
        const { password } = await apiUser('api_self_pw');
        const c = await login(srv.base, 'api_self_pw', password);
        const np = 'Self-chosen-Passw0rd';
        const bad = await c.post('/api/v1/me/password', { old_password: 'not-the-password-1', new_password: np });
        assert.ok(bad.status >= 400 && bad.status < 500, `wrong old password: ${bad.status}`);
        assertError(bad, bad.status);
        const weak = await c.post('/api/v1/me/password', { old_password: password, new_password: 'aaaaaaaaaaaa' });
        assertError(weak, 422, 'weak_password');
        assertOk(await c.post('/api/v1/me/password', { old_password: password, new_password: np }));
        assertError(await loginRaw(srv.base, 'api_self_pw', password), 401, 'bad_credentials');
        await login(srv.base, 'api_self_pw', np);
    });

    test('GET /api/v1/me/summary', async () => {
        const r = await admin.get('/api/v1/me/summary');
        assertOk(r);
        const c = r.json.counts;
        for (const k of ['orgs', 'users', 'audit', 'regions']) assert.equal(typeof c[k], 'number', `counts.${k}`);
        const e = await loginAs(srv, 'ent_xiuzhou');
        const s = (await e.get('/api/v1/me/summary')).json.counts;
        assert.equal(s.users, null);
        assert.equal(s.audit, null);
        assert.ok(s.orgs <= 1);
    });
});

describe('lockout (last: it locks an account)', () => {
    test('5 wrong passwords, then even the right one → 429 locked; other users unaffected', async () => {
        const a = account(srv.accounts, 'expert_lishui');
        for (let i = 1; i <= 5; i++) {
            const r = await loginRaw(srv.base, a.username, `wrong-password-${i}`);
            if (i < 5) assertError(r, 401, 'bad_credentials', undefined, `attempt ${i}`);
            else assert.ok([401, 429].includes(r.status), `attempt 5: ${r.status}`);
        }
        const r = await loginRaw(srv.base, a.username, a.password);
        assertError(r, 429, 'locked');
        assert.equal(cookieFrom(r.setCookies, 'kc_session'), null);
        // The lock is per account: the same client IP can still log in as someone else.
        await loginAs(srv, 'inst_jiaxing');
    });
});
