// errors.test.mjs — the error shape and status of every failure class, input hardening,
// no half-applied writes, and the operational endpoints (/healthz, /metrics, headers,
// the embedded UI and its assets).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import {
    assertError, assertOk, badUscc, CJK, listTotal, loginAs, orgInput, rawRequest, request, startServer,
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

/* Org count and audit count, read with the admin session. */
async function counts() {
    return {
        orgs: await listTotal(admin, '/api/v1/orgs'),
        audit: await listTotal(admin, '/api/v1/audit'),
    };
}

/* Runs fn (a failing write) and asserts that neither count moved. */
async function noChange(what, fn) {
    const before = await counts();
    const res = await fn();
    const afterCounts = await counts();
    assert.deepEqual(afterCounts, before, `${what}: a failing write changed the org or audit count`);
    return res;
}

describe('error shape and status', () => {
    test('malformed JSON → 400 invalid_json', async () => {
        const r = await noChange('malformed JSON', () => admin.post('/api/v1/orgs', '{"kind":"enterprise","name":'));
        assertError(r, 400, 'invalid_json');
    });

    test('trailing garbage after the JSON value → 400 invalid_json', async () => {
        const body = JSON.stringify(orgInput()) + ' xyz';
        const r = await noChange('trailing garbage', () => admin.post('/api/v1/orgs', body));
        assertError(r, 400, 'invalid_json');
    });

    test('a JSON array instead of an object → 400 or 422, never 2xx/5xx', async () => {
        const r = await noChange('array body', () => admin.post('/api/v1/orgs', '[1,2,3]'));
        assert.ok([400, 422].includes(r.status), `got ${r.status} ${r.text}`);
        assertError(r, r.status);
    });

    test('unknown field → 422 unknown_field naming it', async () => {
        const r = await noChange('unknown field', () => admin.post('/api/v1/orgs', { ...orgInput(), bogus_field: 1 }));
        assertError(r, 422, 'unknown_field', 'bogus_field');
    });

    test('wrong type (name: 5) → 422 wrong_type naming it', async () => {
        const r = await noChange('wrong type', () => admin.post('/api/v1/orgs', { ...orgInput(), name: 5 }));
        assertError(r, 422, 'wrong_type', 'name');
    });

    test('wrong type on PATCH (region_code: true) → 422 wrong_type', async () => {
        const org = (await admin.get('/api/v1/orgs?page_size=1')).json.items[0];
        const r = await noChange('wrong type patch', () => admin.patch(`/api/v1/orgs/${org.id}`, { region_code: true }));
        assertError(r, 422, 'wrong_type', 'region_code');
    });

    test('missing required field → 422 required', async () => {
        const input = orgInput();
        delete input.name;
        const r = await noChange('missing name', () => admin.post('/api/v1/orgs', input));
        assertError(r, 422, 'required', 'name');
    });

    test('invalid USCC → 422 invalid_uscc, Chinese message by default, English with Accept-Language: en', async () => {
        const zh = await noChange('invalid uscc zh', () => admin.post('/api/v1/orgs', orgInput({ uscc: badUscc() })));
        const ez = assertError(zh, 422, 'invalid_uscc', 'uscc');
        assert.match(ez.message, CJK, `default message should be Chinese: ${ez.message}`);

        const en = await noChange('invalid uscc en', () => admin.post('/api/v1/orgs', orgInput({ uscc: badUscc() }), { lang: 'en' }));
        const ee = assertError(en, 422, 'invalid_uscc', 'uscc');
        assert.doesNotMatch(ee.message, CJK, `English message should have no CJK: ${ee.message}`);
        assert.match(ee.message, /[A-Za-z]{3,}/, `English message should have words: ${ee.message}`);

        const enUs = await admin.post('/api/v1/orgs', orgInput({ uscc: 'not-a-uscc' }), { lang: 'en-US,en;q=0.9' });
        const e2 = assertError(enUs, 422, 'invalid_uscc', 'uscc');
        assert.doesNotMatch(e2.message, CJK, `"en-US,…" should also give English: ${e2.message}`);
    });

    test('lower-case USCC is rejected, not silently upper-cased', async () => {
        const u = orgInput().uscc;
        if (!/[A-Z]/.test(u)) return; // all-digit code: nothing to lower-case
        const r = await noChange('lower-case uscc', () => admin.post('/api/v1/orgs', orgInput({ uscc: u.toLowerCase() })));
        assertError(r, 422, 'invalid_uscc', 'uscc');
    });

    test('oversized body (2 MB) → 413 too_large', async () => {
        const big = JSON.stringify({ ...orgInput(), address: 'x'.repeat(2 * 1024 * 1024) });
        const before = await counts();
        const r = await rawRequest(srv.base, '/api/v1/orgs', {
            method: 'POST',
            headers: {
                'Content-Type': 'application/json',
                'Content-Length': Buffer.byteLength(big),
                Cookie: admin.cookie,
                'X-CSRF-Token': admin.csrf,
            },
            body: big,
        });
        assert.equal(r.status, 413, `got ${r.status} ${r.text.slice(0, 300)}`);
        assert.equal(r.json?.error?.code, 'too_large', `body: ${r.text.slice(0, 300)}`);
        assert.deepEqual(await counts(), before);
    });

    test('unknown route → 404 route_not_found (JSON)', async () => {
        assertError(await admin.get('/api/v1/nope'), 404, 'route_not_found');
        assertError(await admin.get('/api/v1/orgs/1/nope/2'), 404, 'route_not_found');
    });

    test('wrong method → 405 method_not_allowed', async () => {
        const r = await noChange('PUT orgs', () => admin.put('/api/v1/orgs', orgInput()));
        assertError(r, 405, 'method_not_allowed');
        const r2 = await admin.del('/api/v1/orgs');
        assertError(r2, 405, 'method_not_allowed');
    });

    test('non-numeric or huge id → 404 not_found or 400/422, never 500', async () => {
        for (const id of ['abc', '99999999999999999999999', '-1', '0', '1.5', '%00']) {
            const r = await admin.get(`/api/v1/orgs/${id}`);
            assert.ok([400, 404, 422].includes(r.status), `GET /api/v1/orgs/${id}: ${r.status} ${r.text}`);
            assertError(r, r.status);
        }
        assertError(await admin.get('/api/v1/orgs/987654321'), 404, 'not_found');
    });

    test('bad list parameters: page_size over 200 is capped or refused, never 500', async () => {
        const r = await admin.get('/api/v1/orgs?page_size=100000');
        if (r.status === 200) assert.ok(r.json.page_size <= 200 && r.json.items.length <= 200, `page_size ${r.json.page_size}`);
        else assertError(r, r.status);
        for (const q of ['page=-1', 'page=abc', 'page_size=0', 'sort=password_hash', 'sort=;drop', 'page=99999999999999999999']) {
            const x = await admin.get(`/api/v1/orgs?${q}`);
            assert.ok(x.status < 500, `GET /api/v1/orgs?${q} → ${x.status} ${x.text.slice(0, 200)}`);
            if (x.status !== 200) assertError(x, x.status);
        }
    });
});

describe('input hardening', () => {
    test('SQL metacharacters in a name are stored verbatim and the list still works', async () => {
        const before = await listTotal(admin, '/api/v1/orgs');
        const name = "'); DROP TABLE orgs;--";
        const c = await admin.post('/api/v1/orgs', orgInput({ name }));
        const body = assertOk(c, 201, 'create');
        assert.equal(body.org.name, name);
        assert.ok(Array.isArray(body.warnings), 'warnings array');
        const g = await admin.get(`/api/v1/orgs/${body.org.id}`);
        assert.equal(assertOk(g).name, name);
        assert.equal(await listTotal(admin, '/api/v1/orgs'), before + 1);
        const q = await admin.get(`/api/v1/orgs?q=${encodeURIComponent("DROP TABLE")}`);
        assertOk(q);
        assert.ok(q.json.items.some((o) => o.id === body.org.id), 'search finds the org by its odd name');
        const pct = await admin.get(`/api/v1/orgs?q=${encodeURIComponent("%' OR '1'='1")}`);
        assertOk(pct);
        assert.equal(pct.json.total, 0, 'a LIKE/SQL injection in q matches nothing');
    });

    test('HTML in a name is stored verbatim and served as JSON (escaping is the UI\'s job)', async () => {
        const name = '<script>alert(1)</script>&"\'';
        const c = await admin.post('/api/v1/orgs', orgInput({ name }));
        const org = assertOk(c, 201).org;
        assert.equal((await admin.get(`/api/v1/orgs/${org.id}`)).json.name, name);
    });

    test('name of 100 characters (CJK) is accepted; 101 → 422 too_long', async () => {
        const ok = await admin.post('/api/v1/orgs', orgInput({ name: '测'.repeat(100) }));
        assertOk(ok, 201, '100 CJK characters (300 bytes) must be accepted: the limit counts characters');
        const r = await noChange('101 chars', () => admin.post('/api/v1/orgs', orgInput({ name: 'a'.repeat(101) })));
        assertError(r, 422, 'too_long', 'name');
        const r2 = await noChange('101 CJK chars', () => admin.post('/api/v1/orgs', orgInput({ name: '测'.repeat(101) })));
        assertError(r2, 422, 'too_long', 'name');
    });

    test('other field limits: address 201, bad email, bad phone → 422 naming the field', async () => {
        const cases = [
            [{ address: 'a'.repeat(201) }, 'too_long', 'address'],
            [{ contact_name: 'n'.repeat(51) }, 'too_long', 'contact_name'],
            [{ contact_email: 'no-at-sign' }, 'invalid_value', 'contact_email'],
            [{ contact_phone: '0571-1234abc' }, 'invalid_value', 'contact_phone'],
            [{ kind: 'spaceship' }, 'invalid_value', 'kind'],
            [{ region_code: '999999' }, 'invalid_region', 'region_code'],
            [{ industry_code: 'C99' }, 'invalid_value', 'industry_code'],
        ];
        for (const [over, code, field] of cases) {
            const r = await noChange(JSON.stringify(over).slice(0, 60), () => admin.post('/api/v1/orgs', orgInput(over)));
            assertError(r, 422, code, field, JSON.stringify(over).slice(0, 60));
        }
    });

    test('a name with invalid UTF-8 bytes → 400', async () => {
        const input = orgInput({ name: 'XXXX' });
        const json = JSON.stringify(input);
        const at = Buffer.from(json).indexOf('XXXX');
        const buf = Buffer.from(json);
        buf[at] = 0xff;
        buf[at + 1] = 0xfe;
        buf[at + 2] = 0xc3; // truncated 2-byte sequence
        buf[at + 3] = 0x28;
        const r = await noChange('invalid utf-8', () => admin.post('/api/v1/orgs', buf));
        assert.equal(r.status, 400, `got ${r.status} ${r.text}`);
        assertError(r, 400);
    });

    test('overlong UTF-8 encoding of "/" and a lone surrogate escape → 400/422, never stored', async () => {
        const json = Buffer.from(JSON.stringify(orgInput({ name: 'AB' })));
        const at = json.indexOf('AB');
        json[at] = 0xc0; json[at + 1] = 0xaf; // overlong '/'
        const r = await noChange('overlong', () => admin.post('/api/v1/orgs', json));
        assert.equal(r.status, 400, `overlong UTF-8: ${r.status} ${r.text}`);
        const s = JSON.stringify(orgInput({ name: 'PLACEHOLDER' })).replace('PLACEHOLDER', 'a\\ud800b');
        const r2 = await noChange('lone surrogate', () => admin.post('/api/v1/orgs', s));
        assert.ok([400, 422].includes(r2.status), `lone surrogate: ${r2.status} ${r2.text}`);
    });

    test('a JSON string with \\u0000 → 400 or 422, never 500', async () => {
        const s = JSON.stringify(orgInput({ name: 'PLACEHOLDER' })).replace('PLACEHOLDER', 'evil\\u0000name');
        const r = await noChange('NUL', () => admin.post('/api/v1/orgs', s));
        assert.ok([400, 422].includes(r.status), `got ${r.status} ${r.text}`);
        assertError(r, r.status);
    });

    test('duplicate key in a JSON object → 400 (JSON_REJECT_DUPLICATES)', async () => {
        const s = JSON.stringify(orgInput()).replace(/^\{/, '{"name":"first",');
        const r = await noChange('duplicate key', () => admin.post('/api/v1/orgs', s));
        assert.ok([400, 422].includes(r.status), `got ${r.status} ${r.text}`);
        assertError(r, r.status);
    });

    test('duplicate USCC → 409 conflict, field uscc', async () => {
        const first = assertOk(await admin.post('/api/v1/orgs', orgInput()), 201).org;
        const r = await noChange('duplicate uscc', () => admin.post('/api/v1/orgs', orgInput({ uscc: first.uscc })));
        assertError(r, 409, 'conflict', 'uscc');
        const other = assertOk(await admin.post('/api/v1/orgs', orgInput()), 201).org;
        const p = await noChange('duplicate uscc patch', () => admin.patch(`/api/v1/orgs/${other.id}`, { uscc: first.uscc }));
        assertError(p, 409, 'conflict', 'uscc');
        assert.equal((await admin.get(`/api/v1/orgs/${other.id}`)).json.uscc, other.uscc);
    });

    test('a PATCH failing on its second field applies nothing (no half-applied write)', async () => {
        const org = assertOk(await admin.post('/api/v1/orgs', orgInput()), 201).org;
        const r = await noChange('half patch', () => admin.patch(`/api/v1/orgs/${org.id}`, {
            name: 'should-not-be-saved', contact_email: 'bad',
        }));
        assertError(r, 422, 'invalid_value', 'contact_email');
        const g = await admin.get(`/api/v1/orgs/${org.id}`);
        assert.equal(g.json.name, org.name);
        assert.deepEqual(g.json.name_history, []);
    });

    test('wrong Content-Type on a JSON route → 4xx, never 5xx', async () => {
        const r = await admin.post('/api/v1/orgs', JSON.stringify(orgInput()), { headers: { 'Content-Type': 'text/plain' } });
        assert.ok(r.status < 500, `got ${r.status}`);
    });

    test('concurrent writes all succeed (no SQLITE_BUSY → 500) and keep the audit chain intact', async () => {
        const before = await counts();
        const creates = await Promise.all(Array.from({ length: 24 }, () => admin.post('/api/v1/orgs', orgInput())));
        const bad = creates.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.text.slice(0, 120)}`);
        assert.deepEqual(bad, [], 'concurrent creates');
        const target = creates[0].json.org;
        const patches = await Promise.all(Array.from({ length: 16 }, (_, i) =>
            admin.patch(`/api/v1/orgs/${target.id}`, { address: `并发地址 ${i}` })));
        assert.deepEqual(patches.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text.slice(0, 120)}`), []);
        const afterCounts = await counts();
        assert.equal(afterCounts.orgs, before.orgs + 24);
        assert.ok(afterCounts.audit >= before.audit + 24 + 1, `audit entries ${before.audit} → ${afterCounts.audit}`);
        const v = await admin.get('/api/v1/audit/verify');
        assert.equal(v.json?.ok, true, `audit chain after concurrent writes: ${v.text}`);
    });

    test('concurrent duplicate USCC: exactly one wins, the others get 409', async () => {
        const input = orgInput();
        const rs = await Promise.all(Array.from({ length: 8 }, () => admin.post('/api/v1/orgs', input)));
        const statuses = rs.map((r) => r.status).sort();
        assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409], rs.map((r) => r.text.slice(0, 80)).join('\n'));
    });

    test('the server is still healthy after all of that', async () => {
        assertOk(await request(srv.base, '/healthz'));
        assertOk(await admin.get('/api/v1/orgs?page_size=1'));
    });
});

describe('operations', () => {
    test('GET /healthz → 200 {"status":"ok"} without auth', async () => {
        const r = await request(srv.base, '/healthz');
        assert.equal(r.status, 200);
        assert.deepEqual(r.json, { status: 'ok' });
    });

    test('/metrics is Prometheus text with a request counter and a latency histogram', async () => {
        const r = await request(srv.base, '/metrics');
        assert.equal(r.status, 200, `GET /metrics: ${r.status} ${r.text.slice(0, 200)}`);
        assert.match(r.headers.get('content-type') || '', /^text\/plain/);
        const t = r.text;
        const counters = [...t.matchAll(/^# TYPE (\S+) counter$/gm)].map((m) => m[1]);
        assert.ok(counters.some((n) => /request/.test(n)), `a request counter: ${counters.join(', ')}`);
        const hists = [...t.matchAll(/^# TYPE (\S+) histogram$/gm)].map((m) => m[1]);
        const h = hists.find((n) => /(duration|latency|seconds)/.test(n));
        assert.ok(h, `a latency histogram: ${hists.join(', ')}`);
        // Label values may contain braces (route="/api/v1/orgs/{id}"): match quoted strings.
        const LABELS = '\\{(?:[^"}]|"(?:[^"\\\\]|\\\\.)*")*\\}';
        const buckets = t.split('\n').filter((l) => l.startsWith(`${h}_bucket{`));
        assert.ok(buckets.some((l) => l.includes('le="+Inf"') && new RegExp(`^${h}_bucket${LABELS} \\d+$`).test(l)),
            `a ${h}_bucket{…le="+Inf"} line`);
        assert.match(t, new RegExp(`^${h}_sum(${LABELS})? [0-9.eE+-]+$`, 'm'));
        assert.match(t, new RegExp(`^${h}_count(${LABELS})? \\d+$`, 'm'));
        // Every sample line is `name{labels} value`.
        for (const line of t.split('\n')) {
            if (line === '' || line.startsWith('#')) continue;
            assert.match(line, new RegExp(`^[a-zA-Z_:][a-zA-Z0-9_:]*(${LABELS})? [-+0-9.eEInfNa]+( \\d+)?$`), `bad sample line: ${line}`);
        }
    });

    test('security headers on API responses (success and error)', async () => {
        for (const [what, r] of [
            ['healthz', await request(srv.base, '/healthz')],
            ['orgs', await admin.get('/api/v1/orgs?page_size=1')],
            ['401', await request(srv.base, '/api/v1/orgs')],
            ['404', await admin.get('/api/v1/nope')],
        ]) {
            assert.match(r.headers.get('content-security-policy') || '', /frame-ancestors/, `${what}: CSP with frame-ancestors`);
            assert.equal(r.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
        }
    });

    test('JSON responses are application/json; charset utf-8 and not cacheable when private', async () => {
        const r = await admin.get('/api/v1/orgs?page_size=1');
        assert.match(r.headers.get('content-type') || '', /^application\/json/);
    });

    let indexHtml;
    test('/ serves the HTML UI with security headers', async () => {
        const r = await request(srv.base, '/');
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type') || '', /^text\/html/);
        assert.match(r.text, /<html|<!doctype html/i);
        assert.match(r.headers.get('content-security-policy') || '', /frame-ancestors/);
        assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
        indexHtml = r.text;
    });

    test('an asset answers gzip on Accept-Encoding: gzip and 304 on If-None-Match', async () => {
        const html = indexHtml ?? (await request(srv.base, '/')).text;
        const m = html.match(/(?:src|href)="(\/[^"]+\.(?:js|css))"/);
        assert.ok(m, `no /…js or /…css asset referenced by /: ${html.slice(0, 500)}`);
        const asset = m[1];
        const plain = await rawRequest(srv.base, asset);
        assert.equal(plain.status, 200, `GET ${asset}`);
        assert.ok(!plain.headers['content-encoding'], 'no gzip without Accept-Encoding');
        assert.match(plain.headers['content-type'] || '', asset.endsWith('.js') ? /javascript/ : /text\/css/);

        const gz = await rawRequest(srv.base, asset, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
        assert.equal(gz.status, 200);
        assert.equal(gz.headers['content-encoding'], 'gzip', `content-encoding for ${asset}`);
        assert.deepEqual(zlib.gunzipSync(gz.buf), plain.buf, 'gzip body decodes to the plain body');
        const etag = gz.headers.etag || plain.headers.etag;
        assert.ok(etag, `ETag on ${asset}`);

        const nm = await rawRequest(srv.base, asset, { headers: { 'If-None-Match': etag, 'Accept-Encoding': 'gzip' } });
        assert.equal(nm.status, 304, `If-None-Match ${etag}`);
        assert.equal(nm.buf.length, 0, '304 has no body');
        const nm2 = await rawRequest(srv.base, asset, { headers: { 'If-None-Match': plain.headers.etag || etag } });
        assert.equal(nm2.status, 304, 'If-None-Match without gzip');
        const other = await rawRequest(srv.base, asset, { headers: { 'If-None-Match': '"nope"' } });
        assert.equal(other.status, 200, 'a different ETag gives the full body');
    });

    test('an unknown non-API path serves the UI (history routing) or 404, never 500', async () => {
        const r = await request(srv.base, '/orgs/123');
        assert.ok([200, 404].includes(r.status), `got ${r.status}`);
    });

    test('path traversal in an asset path does not escape', async () => {
        const r = await rawRequest(srv.base, '/assets/../../../../etc/passwd');
        assert.ok(!/root:x:0:0/.test(r.text), 'must not serve /etc/passwd');
        const r2 = await rawRequest(srv.base, '/assets/..%2f..%2f..%2fetc%2fpasswd');
        assert.ok(!/root:x:0:0/.test(r2.text), 'must not serve /etc/passwd (encoded)');
    });

    test('server exits cleanly on SIGTERM (exit code 0)', async () => {
        const { code, signal } = await srv.stop();
        srv = null;
        assert.equal(signal, null, `killed by ${signal}`);
        assert.equal(code, 0, 'exit code after SIGTERM');
    });
});
