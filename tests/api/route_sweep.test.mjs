// route_sweep.test.mjs — every route of /openapi.json under hostile input: junk path
// parameters, junk query values, malformed and wrongly typed bodies, as the administrator
// (who passes every capability check, so the handlers themselves are reached) and as a
// county officer. Nothing may answer 5xx, an error must be the JSON error shape, and the
// server and its audit chain must be intact afterwards. Routes that would end the session
// or change a password are left out (they would only stop the sweep early).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { assertOk, loginAs, runCli, startServer } from './harness.mjs';

let srv;
let admin;
let county;
let spec;

before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
    county = await loginAs(srv, 'county_nanhu');
    spec = assertOk(await admin.get('/openapi.json'));
});

after(async () => {
    if (srv) await srv.stop();
});

const SKIP = new Set([
    'DELETE /api/v1/session', // logs the sweeper out
    'POST /api/v1/session', // login: covered by auth.test.mjs (and would lock accounts)
    'POST /api/v1/me/password',
    'POST /api/v1/users/{id}/password',
]);

const PATH_VALUES = ['0', '-1', 'abc', '99999999999999999999999', '1%00', '%E4%B8%AD', "1'--", '..%2F..%2Fetc'];
const QUERY_VALUES = ['', 'abc', '-1', '99999999999999999999999', "'; DROP TABLE orgs;--", '%00', '%FF%FE', '2024-13-45', '中文'];
const BODIES = [
    undefined,
    '',
    '{',
    'null',
    '[]',
    '"text"',
    '123',
    '{"a":1,"a":2}',
    {},
    { id: 'x', name: 5, title: [], year: 'abc', region_code: {}, page: -1 },
];

/* A body with every declared property of the route's schema set to a wrong-typed value. */
function wrongTyped(schemaName) {
    const s = spec.components && spec.components.schemas && spec.components.schemas[schemaName];
    if (!s || !s.properties) return null;
    const out = {};
    const junk = [{ nested: true }, [1, 2], 'x'.repeat(5000), -1e308, true, null, '2024-02-30', 12345678901234567890];
    let k = 0;
    for (const p of Object.keys(s.properties)) out[p] = junk[k++ % junk.length];
    return out;
}

/* The routes of the spec as [method, path, operation]. */
function routes() {
    const out = [];
    for (const [p, ops] of Object.entries(spec.paths)) {
        for (const [m, op] of Object.entries(ops)) {
            if (!['get', 'post', 'put', 'patch', 'delete'].includes(m)) continue;
            out.push([m.toUpperCase(), p, op]);
        }
    }
    return out;
}

const seen = {}; // status → count, over the whole sweep

/* Asserts a response is not a server error and that an error has the JSON shape. */
function check(res, what) {
    seen[res.status] = (seen[res.status] || 0) + 1;
    assert.ok(res.status < 500, `${what} → ${res.status} ${res.text.slice(0, 300)}`);
    const ct = res.headers.get('content-type') || '';
    if (res.status >= 400 && ct.includes('json')) {
        assert.ok(res.json && res.json.error && typeof res.json.error.code === 'string',
            `${what} → ${res.status} without the error shape: ${res.text.slice(0, 200)}`);
    }
}

/* Runs the sweep for one client. */
async function sweep(client, who) {
    let n = 0;
    for (const [method, p, op] of routes()) {
        if (SKIP.has(`${method} ${p}`)) continue;
        const params = (op.parameters || []).filter((x) => x.in === 'query').map((x) => x.name);
        const hasPathParam = p.includes('{');
        const paths = hasPathParam ? PATH_VALUES.map((v) => p.replace(/\{[^}]+\}/g, v)) : [p];
        for (const url of paths) {
            if (method === 'GET' || method === 'DELETE') {
                const r = await client.req(method, url);
                check(r, `${who} ${method} ${url}`);
                n++;
                if (method === 'GET' && params.length) {
                    for (const v of QUERY_VALUES) {
                        const q = params.map((name) => `${encodeURIComponent(name)}=${v}`).join('&');
                        const r2 = await client.req('GET', `${url}?${q}`);
                        check(r2, `${who} GET ${url}?${q}`);
                        n++;
                    }
                }
                continue;
            }
            const bodies = [...BODIES];
            const ref = op.requestBody && JSON.stringify(op.requestBody).match(/#\/components\/schemas\/([A-Za-z0-9_]+)/);
            const wt = ref ? wrongTyped(ref[1]) : null;
            if (wt) bodies.push(wt);
            for (const body of bodies) {
                const r = await client.req(method, url, body);
                check(r, `${who} ${method} ${url} body ${JSON.stringify(body)?.slice(0, 80)}`);
                n++;
            }
        }
    }
    return n;
}

test('every route answers hostile input with a 4xx (or success), never 5xx — administrator', async () => {
    const n = await sweep(admin, 'admin');
    assert.ok(n > 1000, `requests sent: ${n}`);
    // the handlers were reached: validation errors and successes, not only 401/403/404
    assert.ok((seen[422] || 0) > 100 && (seen[200] || 0) > 100 && (seen[400] || 0) > 50, JSON.stringify(seen));
});

test('the same as a county officer (capability and scope checks on junk)', async () => {
    await sweep(county, 'county');
});

test('after the sweep: healthy, sessions still work, the audit chain verifies', async () => {
    assertOk(await admin.get('/healthz'));
    assertOk(await admin.get('/api/v1/session'));
    const dir = srv.dataDir;
    const stopped = await srv.stop({ keep: true });
    assert.equal(stopped.code, 0, 'the server exits cleanly');
    srv = null;
    const r = await runCli(['audit', 'verify', '--data', dir]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    fs.rmSync(dir, { recursive: true, force: true });
});
