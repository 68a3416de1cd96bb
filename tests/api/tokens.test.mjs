// tokens.test.mjs — API tokens for integrations: created from a browser session, shown
// once, used as "Authorization: Bearer" without CSRF, same scope as the owner, revocable,
// never able to manage tokens themselves, and audited.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertError, assertOk, login, loginAs, orgInput, request, startServer } from './harness.mjs';

let srv;
let county;
let admin;

before(async () => {
    srv = await startServer();
    county = await loginAs(srv, 'county_nanhu');
    admin = await loginAs(srv, 'admin');
});

after(async () => {
    if (srv) await srv.stop();
});

/* A request with only a bearer token (no cookie, no CSRF header). */
function bearer(token, urlPath, opts = {}) {
    return request(srv.base, urlPath, {
        ...opts,
        headers: { ...(opts.headers || {}), Authorization: `Bearer ${token}` },
    });
}

test('a token acts as its owner, with the owner\'s scope, and needs no CSRF token', async () => {
    const made = await county.post('/api/v1/me/tokens', { name: 'ERP 同步', days: 30 });
    assertOk(made, 201);
    assert.match(made.json.token, /^kct_[0-9a-f]{64}$/);
    assert.equal(made.json.item.name, 'ERP 同步');
    assert.equal(made.json.item.token_hash, undefined, 'the hash is never returned');

    const list = await bearer(made.json.token, '/api/v1/orgs?page_size=200');
    assertOk(list);
    assert.ok(list.json.total > 0);
    for (const o of list.json.items) assert.ok(o.region_code.startsWith('330402'), o.region_code);

    const created = await bearer(made.json.token, '/api/v1/orgs', {
        method: 'POST', body: orgInput({ region_code: '330402' }),
    });
    assertOk(created, 201, 'unsafe method with a bearer token and no CSRF header');
    assertError(await bearer(made.json.token, '/api/v1/users'), 403, 'forbidden');

    const listed = await county.get('/api/v1/me/tokens');
    assertOk(listed);
    assert.ok(listed.json.items.some((t) => t.id === made.json.item.id));
    assert.ok(!JSON.stringify(listed.json).includes(made.json.token.slice(4)), 'secret not listed');
});

test('a token cannot manage tokens, and a revoked or unknown token gets 401', async () => {
    const made = await county.post('/api/v1/me/tokens', { name: 'temp' });
    assertOk(made, 201);
    const t = made.json.token;
    assertError(await bearer(t, '/api/v1/me/tokens'), 403, 'forbidden');
    assertError(await bearer(t, '/api/v1/me/tokens', { method: 'POST', body: { name: 'x' } }), 403,
        'forbidden');
    assertOk(await county.del(`/api/v1/me/tokens/${made.json.item.id}`));
    assertError(await bearer(t, '/api/v1/orgs'), 401, 'unauthenticated');
    assertError(await bearer('kct_' + '0'.repeat(64), '/api/v1/orgs'), 401, 'unauthenticated');
    assertError(await county.del('/api/v1/me/tokens/999999'), 404, 'not_found');
});

test('bad input: missing name, bad days → 422 naming the field; tokens are audited', async () => {
    assertError(await county.post('/api/v1/me/tokens', {}), 422, 'required', 'name');
    assertError(await county.post('/api/v1/me/tokens', { name: 'x', days: 0 }), 422, 'invalid_value', 'days');
    assertError(await county.post('/api/v1/me/tokens', { name: 'x', days: '30' }), 422, 'wrong_type', 'days');
    const audit = await admin.get('/api/v1/audit?entity=api_token&page_size=50');
    assertOk(audit);
    assert.ok(audit.json.items.some((e) => e.action === 'create' && e.username === 'county_nanhu'));
    assert.ok(audit.json.items.some((e) => e.action === 'update' && e.diff.revoked_at));
});

test('a new password revokes the user\'s tokens (own change keeps the session; an admin reset ends it)', async () => {
    const pw = 'Kc-token-Passw0rd-2026';
    const made = await admin.post('/api/v1/users', {
        username: 'token_pw_user', display_name: '令牌 测试', role: 'county_officer',
        region_code: '330402', password: pw,
    });
    assertOk(made, 201);
    const user = await login(srv.base, 'token_pw_user', pw);
    const t1 = await user.post('/api/v1/me/tokens', { name: '同步一' });
    assertOk(t1, 201);
    assertOk(await bearer(t1.json.token, '/api/v1/orgs'));

    const pw2 = 'Kc-token-Passw0rd-2027';
    assertOk(await user.post('/api/v1/me/password', { old_password: pw, new_password: pw2 }));
    assertError(await bearer(t1.json.token, '/api/v1/orgs'), 401, 'unauthenticated');
    assertOk(await user.get('/api/v1/me/tokens'), 200, 'own session kept');
    const listed = await user.get('/api/v1/me/tokens');
    assert.ok(listed.json.items.find((t) => t.id === t1.json.item.id).revoked_at, JSON.stringify(listed.json));

    const t2 = await user.post('/api/v1/me/tokens', { name: '同步二' });
    assertOk(t2, 201);
    assertOk(await admin.post(`/api/v1/users/${made.json.user.id}/password`, { password: 'Kc-token-Passw0rd-2028' }));
    assertError(await bearer(t2.json.token, '/api/v1/orgs'), 401, 'unauthenticated');
    assertError(await user.get('/api/v1/me/tokens'), 401, 'unauthenticated');
    const audit = await admin.get(`/api/v1/audit?entity=user&entity_id=${made.json.user.id}&page_size=20`);
    assertOk(audit);
    assert.ok(audit.json.items.some((e) => e.action === 'password' && e.diff.api_tokens_revoked),
        'the revocation is in the audit entry');
});
