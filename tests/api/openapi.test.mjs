// openapi.test.mjs — /openapi.json is OpenAPI 3.1, lists every route of docs/api-v1.md,
// and every route it documents exists (no 404 route_not_found, no 405, no 5xx).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertOk, login, loginAs, request, startServer } from './harness.mjs';

let srv;
let admin;
let doc;

before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
});

after(async () => {
    if (srv) await srv.stop();
});

/* The routes of docs/api-v1.md, as "METHOD path" with path parameters as {}. */
const REQUIRED = [
    'POST /api/v1/session', 'GET /api/v1/session', 'DELETE /api/v1/session',
    'PATCH /api/v1/me', 'POST /api/v1/me/password', 'GET /api/v1/me/summary',
    'GET /api/v1/regions', 'GET /api/v1/regions/{}',
    'GET /api/v1/dicts/industries', 'GET /api/v1/dicts/sei', 'GET /api/v1/dicts/org_kinds', 'GET /api/v1/dicts/roles',
    'GET /api/v1/chains', 'POST /api/v1/chains', 'PATCH /api/v1/chains/{}', 'DELETE /api/v1/chains/{}',
    'GET /api/v1/orgs', 'GET /api/v1/orgs/export', 'GET /api/v1/orgs/{}', 'POST /api/v1/orgs', 'PATCH /api/v1/orgs/{}',
    'GET /api/v1/users', 'GET /api/v1/users/export', 'GET /api/v1/users/{}', 'POST /api/v1/users',
    'PATCH /api/v1/users/{}', 'POST /api/v1/users/{}/password',
    'GET /api/v1/audit', 'GET /api/v1/audit/export', 'GET /api/v1/audit/verify',
];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const norm = (p) => p.replace(/\{[^}]+\}/g, '{}');

describe('the OpenAPI document', () => {
    test('/openapi.json is OpenAPI 3.1 JSON', async () => {
        const r = await admin.get('/openapi.json');
        assertOk(r);
        assert.match(r.headers.get('content-type') || '', /json/);
        doc = r.json;
        assert.equal(typeof doc.openapi, 'string');
        assert.ok(doc.openapi.startsWith('3.1'), `openapi ${doc.openapi}`);
        assert.equal(typeof doc.info?.title, 'string');
        assert.equal(typeof doc.info?.version, 'string');
        assert.ok(doc.paths && typeof doc.paths === 'object');
    });

    test('/openapi.json is also served without a session', async () => {
        const r = await request(srv.base, '/openapi.json');
        assert.equal(r.status, 200, `unauthenticated GET /openapi.json → ${r.status}`);
    });

    test('every route of docs/api-v1.md is documented', () => {
        // A documented template (/api/v1/dicts/{name}) covers the concrete paths it matches.
        const have = [];
        for (const [p, item] of Object.entries(doc.paths)) {
            const re = new RegExp('^' + p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '$');
            for (const m of METHODS) if (item[m]) have.push([m.toUpperCase(), re]);
        }
        const missing = REQUIRED.filter((r) => {
            const [m, p] = r.split(' ');
            return !have.some(([hm, re]) => hm === m && re.test(p));
        });
        assert.deepEqual(missing, [], 'routes missing from /openapi.json');
    });

    test('every schema reference resolves (each request body named by a route is defined)', () => {
        const refs = new Set(JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z0-9_]+/g) || []);
        assert.ok(refs.has('#/components/schemas/TicketAnswer'), 'the ticket answer body is referenced');
        const missing = [...refs].filter((x) => !doc.components?.schemas?.[x.split('/').pop()]);
        assert.deepEqual(missing, [], 'dangling $ref in /openapi.json');
        assert.deepEqual(doc.components.schemas.TicketAnswer.required, ['measure']);
    });

    test('every operation has responses; path parameters are declared', () => {
        const problems = [];
        for (const [p, item] of Object.entries(doc.paths)) {
            const params = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
            for (const m of METHODS) {
                const op = item[m];
                if (!op) continue;
                if (!op.responses || Object.keys(op.responses).length === 0) problems.push(`${m} ${p}: no responses`);
                const declared = [...(item.parameters || []), ...(op.parameters || [])]
                    .filter((x) => x && x.in === 'path').map((x) => x.name);
                for (const name of params) if (!declared.includes(name)) problems.push(`${m} ${p}: path parameter ${name} not declared`);
            }
        }
        assert.deepEqual(problems, []);
    });

    test('every documented path+method answers (not route_not_found, not 405, not 5xx)', async () => {
        assert.ok(doc, 'document loaded');
        const org = (await admin.get('/api/v1/orgs?page_size=1')).json.items[0];
        const users = (await admin.get('/api/v1/users?page_size=50')).json.items;
        const someUser = users.find((u) => u.username === 'county_nanhu') || users[0];
        const chains = (await admin.get('/api/v1/chains?region_code=331000')).json?.items || [];
        const auditEntry = (await admin.get('/api/v1/audit?page_size=1')).json.items[0];
        const idFor = (p) => {
            if (p.startsWith('/api/v1/users')) return someUser.id;
            if (p.startsWith('/api/v1/chains')) return chains.length ? chains[chains.length - 1].id : 1;
            if (p.startsWith('/api/v1/audit')) return auditEntry.id;
            if (p.startsWith('/api/v1/orgs')) return org.id;
            return 1;
        };
        const fill = (p) => p.replace(/\{([^}]+)\}/g, (_, name) => {
            if (/code/.test(name)) return '330400';
            if (/uscc/.test(name)) return org.uscc;
            return String(idFor(p));
        });
        const ops = [];
        for (const [p, item] of Object.entries(doc.paths)) {
            for (const m of METHODS) if (item[m] && m !== 'head' && m !== 'options' && m !== 'trace') ops.push([m.toUpperCase(), p]);
        }
        // Logging out and deleting run last so they do not disturb the other requests.
        const rank = ([m, p]) => (p === '/api/v1/session' && m !== 'GET' ? 2 : m === 'DELETE' ? 1 : 0);
        ops.sort((a, b) => rank(a) - rank(b));
        const bad = [];
        for (const [m, p] of ops) {
            const url = fill(p);
            let c = admin;
            if (p === '/api/v1/session' && m !== 'GET') {
                const a = srv.accounts.admin;
                c = await login(srv.base, a.username, a.password); // a throw-away session
            }
            let r;
            if (p === '/api/v1/me/password' || /\/password$/.test(p)) {
                r = await c.req(m, url, {}); // {} is refused as incomplete: nothing changes
            } else {
                r = await c.req(m, url, m === 'GET' || m === 'DELETE' ? undefined : {});
            }
            const code = r.json?.error?.code;
            if ((r.status === 404 && code === 'route_not_found') || r.status === 405 || r.status >= 500) {
                bad.push(`${m} ${url} → ${r.status} ${r.text.slice(0, 120)}`);
            }
        }
        assert.ok(ops.length >= REQUIRED.length, `${ops.length} operations documented`);
        assert.deepEqual(bad, []);
    });

    test('an undocumented route does not exist', async () => {
        const paths = Object.keys(doc.paths).map(norm);
        assert.ok(!paths.includes('/api/v1/nope'));
        const r = await admin.get('/api/v1/nope');
        assert.equal(r.json?.error?.code, 'route_not_found');
    });
});
