// scope.test.mjs — the region-scope and capability matrix for every demo role: lists,
// reads, writes and creates outside scope, and who may see users and the audit log.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
    assertError, assertOk, DEMO_ACCOUNTS, firstOrg, loginAs, orgInput, startServer,
} from './harness.mjs';

let srv;
const clients = {};

before(async () => {
    srv = await startServer();
    for (const name of Object.keys(DEMO_ACCOUNTS)) clients[name] = await loginAs(srv, name);
});

after(async () => {
    if (srv) await srv.stop();
});

const OWN_ORG_ROLES = new Set(['enterprise', 'institution', 'provider', 'expert']);

/* The region prefix an officer or broker sees: 330400 → 3304, 330402 → 330402, 000000 → ''. */
function prefixOf(region) {
    if (region === '000000') return '';
    if (region.endsWith('0000')) return region.slice(0, 2);
    if (region.endsWith('00')) return region.slice(0, 4);
    return region;
}

const CAPS = {
    'org.read': ['admin', 'city_officer', 'county_officer', 'enterprise', 'institution', 'provider', 'broker', 'expert'],
    'org.write': ['admin', 'city_officer', 'county_officer', 'enterprise', 'institution', 'provider'],
    'user.read': ['admin', 'city_officer'],
    'user.write': ['admin'],
    'audit.read': ['admin'],
    'dict.write': ['admin', 'city_officer'],
    'region.read': ['admin', 'city_officer', 'county_officer', 'enterprise', 'institution', 'provider', 'broker', 'expert'],
    'ent.read': ['admin', 'city_officer', 'county_officer', 'enterprise'],
    'ent.write': ['admin', 'city_officer', 'county_officer', 'enterprise'],
    'ent.verify': ['admin', 'city_officer', 'county_officer'],
    'ent.import': ['admin', 'city_officer', 'county_officer'],
    'rule.write': ['admin', 'city_officer'],
    'market.read': ['admin', 'city_officer', 'county_officer', 'enterprise', 'institution', 'provider', 'broker', 'expert'],
    'demand.write': ['admin', 'city_officer', 'county_officer', 'enterprise'],
    'achievement.write': ['admin', 'city_officer', 'county_officer', 'enterprise', 'institution'],
    'deal.write': ['admin', 'city_officer', 'county_officer', 'broker'],
    'contract.write': ['admin', 'city_officer', 'county_officer', 'broker'],
    'event.write': ['admin', 'city_officer', 'county_officer', 'broker'],
    'plan.read': ['admin', 'city_officer', 'county_officer'],
    'plan.write': ['admin', 'city_officer'],
    'obs.report': ['admin', 'city_officer', 'county_officer'],
    'obs.verify': ['admin', 'city_officer'],
    'assess.run': ['admin', 'city_officer'],
};

describe('demo accounts', () => {
    test('every demo account has the role and region the contract names', () => {
        for (const [name, want] of Object.entries(DEMO_ACCOUNTS)) {
            const u = clients[name].user;
            assert.equal(u.role, want.role, `${name} role`);
            assert.equal(u.region_code, want.region, `${name} region`);
            assert.equal(srv.accounts[name].role, want.role, `${name} role in demo-accounts.txt`);
            assert.equal(srv.accounts[name].region_code, want.region, `${name} region in demo-accounts.txt`);
        }
    });

    test('ent_nanhu is bound to an enterprise org in 330402', async () => {
        const u = clients.ent_nanhu.user;
        assert.ok(Number.isInteger(u.org_id), `org_id ${u.org_id}`);
        assert.equal(typeof u.org_name, 'string');
        const o = await clients.admin.get(`/api/v1/orgs/${u.org_id}`);
        assertOk(o);
        assert.equal(o.json.kind, 'enterprise');
        assert.equal(o.json.region_code, '330402');
    });

    test('capabilities follow the role table', () => {
        for (const [name, want] of Object.entries(DEMO_ACCOUNTS)) {
            const caps = clients[name].user.capabilities;
            assert.ok(Array.isArray(caps), `${name} capabilities`);
            for (const [cap, roles] of Object.entries(CAPS)) {
                assert.equal(caps.includes(cap), roles.includes(want.role), `${name} (${want.role}) ${cap}`);
            }
        }
    });

    test('the demo has ~400 orgs with valid USCCs in the four cities plus bureaus', async () => {
        const { items, total } = await clients.admin.all('/api/v1/orgs');
        assert.ok(total >= 300, `total ${total}`);
        assert.equal(items.length, total);
        const { usccValid } = await import('./harness.mjs');
        const bad = items.filter((o) => !usccValid(o.uscc));
        assert.deepEqual(bad.map((o) => `${o.id} ${o.uscc}`), [], 'invalid USCCs in the demo');
        for (const city of ['3304', '3310', '3311', '3210']) {
            assert.ok(items.some((o) => o.region_code.startsWith(city) && o.kind !== 'bureau'), `orgs in ${city}`);
        }
        for (const code of ['330400', '331000', '331100', '321000', '330402', '330411', '331081']) {
            assert.ok(items.some((o) => o.kind === 'bureau' && o.region_code === code), `bureau org in ${code}`);
        }
        const ids = new Set(items.map((o) => o.id));
        assert.equal(ids.size, items.length, 'pagination returns every org exactly once');
    });
});

describe('list scope', () => {
    for (const [name, want] of Object.entries(DEMO_ACCOUNTS)) {
        test(`${name} (${want.role}, ${want.region}) lists only orgs in scope`, async () => {
            const c = clients[name];
            const { items, total } = await c.all('/api/v1/orgs');
            assert.equal(items.length, total, 'items across pages = total');
            if (OWN_ORG_ROLES.has(want.role)) {
                assert.ok(total <= 1, `${name} sees ${total} orgs, at most its own expected`);
                if (c.user.org_id != null) {
                    assert.equal(total, 1, `${name} is bound to org ${c.user.org_id} and should see it`);
                    assert.equal(items[0].id, c.user.org_id);
                } else {
                    assert.equal(total, 0);
                }
                if (name === 'ent_nanhu') assert.equal(total, 1, 'ent_nanhu is bound to an org');
                return;
            }
            const prefix = prefixOf(want.region);
            const outside = items.filter((o) => !o.region_code.startsWith(prefix));
            assert.deepEqual(outside.map((o) => `${o.id}:${o.region_code}`), [], `orgs outside ${prefix}`);
            assert.ok(total > 0, `${name} sees some orgs`);
            if (name !== 'admin') {
                // The region_code filter takes a region code and matches its prefix.
                const adminTotal = (await clients.admin.get(`/api/v1/orgs?region_code=${want.region}&page_size=1`)).json.total;
                assert.equal(total, adminTotal, `${name} sees every org of ${want.region} (prefix ${prefix})`);
            }
        });
    }

    test('a region_code filter outside scope yields nothing (not the whole scope, not the other region)', async () => {
        const r = await clients.county_nanhu.get('/api/v1/orgs?region_code=331100&page_size=200');
        assertOk(r);
        assert.equal(r.json.total, 0);
        const r1 = await clients.county_nanhu.get('/api/v1/orgs?region_code=330411&page_size=200');
        assertOk(r1);
        assert.equal(r1.json.total, 0, 'a sibling county');
        const r2 = await clients.city_jiaxing.get('/api/v1/orgs?region_code=330000&page_size=200');
        assertOk(r2);
        assert.ok(r2.json.items.every((o) => o.region_code.startsWith('3304')));
    });

    test('search (q) stays within scope', async () => {
        const other = await firstOrg(clients.admin, '331000');
        const r = await clients.city_jiaxing.get(`/api/v1/orgs?q=${encodeURIComponent(other.uscc)}`);
        assertOk(r);
        assert.equal(r.json.total, 0, `city_jiaxing finds ${other.uscc} of ${other.region_code} by USCC`);
        const r2 = await clients.ent_nanhu.get(`/api/v1/orgs?q=${encodeURIComponent('有限')}`);
        assert.ok(r2.json.total <= 1);
    });

    test('sort by name ascending and descending', async () => {
        // One county (fewer than 200 organisations even with the ~100 demo enterprises each).
        const a = (await clients.city_lishui.get('/api/v1/orgs?region_code=331102&sort=name&page_size=200')).json.items.map((o) => o.name);
        const d = (await clients.city_lishui.get('/api/v1/orgs?region_code=331102&sort=-name&page_size=200')).json.items.map((o) => o.name);
        assert.ok(a.length > 2);
        assert.deepEqual(d, [...a].reverse());
    });
});

describe('reads and writes by id', () => {
    test('GET inside scope → 200; outside → 404 not_found', async () => {
        const nanhu = await firstOrg(clients.admin, '330402');
        const xiuzhou = await firstOrg(clients.admin, '330411');
        const taizhou = await firstOrg(clients.admin, '331000');
        assertOk(await clients.county_nanhu.get(`/api/v1/orgs/${nanhu.id}`));
        assertError(await clients.county_nanhu.get(`/api/v1/orgs/${xiuzhou.id}`), 404, 'not_found');
        assertOk(await clients.city_jiaxing.get(`/api/v1/orgs/${xiuzhou.id}`));
        assertError(await clients.city_jiaxing.get(`/api/v1/orgs/${taizhou.id}`), 404, 'not_found');
        assertOk(await clients.city_taizhou.get(`/api/v1/orgs/${taizhou.id}`));
        assertError(await clients.broker_jiaxing.get(`/api/v1/orgs/${taizhou.id}`), 404, 'not_found');
        assertOk(await clients.broker_jiaxing.get(`/api/v1/orgs/${xiuzhou.id}`));
        // An out-of-scope id answers exactly like an id that does not exist.
        const ghost = await clients.county_nanhu.get('/api/v1/orgs/987654321');
        const hidden = await clients.county_nanhu.get(`/api/v1/orgs/${xiuzhou.id}`);
        assert.equal(hidden.status, ghost.status);
        assert.deepEqual(hidden.json, ghost.json);
    });

    test('enterprise, institution, provider, expert read only their own org', async () => {
        const own = clients.ent_nanhu.user.org_id;
        assertOk(await clients.ent_nanhu.get(`/api/v1/orgs/${own}`));
        const neighbour = (await clients.admin.get('/api/v1/orgs?region_code=330402&page_size=50')).json.items
            .find((o) => o.id !== own);
        assert.ok(neighbour, 'another org in 330402');
        for (const name of ['ent_nanhu', 'inst_jiaxing', 'ent_xiuzhou', 'provider_taizhou', 'expert_lishui']) {
            if (clients[name].user.org_id === neighbour.id) continue;
            assertError(await clients[name].get(`/api/v1/orgs/${neighbour.id}`), 404, 'not_found', undefined, name);
        }
    });

    test('PATCH outside scope → 404 and nothing changes', async () => {
        const xiuzhou = await firstOrg(clients.admin, '330411');
        const r = await clients.county_nanhu.patch(`/api/v1/orgs/${xiuzhou.id}`, { address: '被越权修改' });
        assertError(r, 404, 'not_found');
        const taizhou = await firstOrg(clients.admin, '331000');
        assertError(await clients.city_jiaxing.patch(`/api/v1/orgs/${taizhou.id}`, { address: '被越权修改' }), 404, 'not_found');
        const neighbour = (await clients.admin.get('/api/v1/orgs?region_code=330402&page_size=50')).json.items
            .find((o) => o.id !== clients.ent_nanhu.user.org_id);
        assertError(await clients.ent_nanhu.patch(`/api/v1/orgs/${neighbour.id}`, { address: '被越权修改' }), 404, 'not_found');
        for (const o of [xiuzhou, taizhou, neighbour]) {
            assert.notEqual((await clients.admin.get(`/api/v1/orgs/${o.id}`)).json.address, '被越权修改');
        }
    });

    test('PATCH inside scope works; moving an org out of scope → 422 region_out_of_scope', async () => {
        const nanhu = (await clients.admin.get('/api/v1/orgs?region_code=330402&kind=enterprise&page_size=50')).json.items
            .find((o) => o.id !== clients.ent_nanhu.user.org_id);
        const p = await clients.county_nanhu.patch(`/api/v1/orgs/${nanhu.id}`, { address: '嘉兴市南湖区测试路1号' });
        assertOk(p);
        assert.equal(p.json.org.address, '嘉兴市南湖区测试路1号');
        const m = await clients.county_nanhu.patch(`/api/v1/orgs/${nanhu.id}`, { region_code: '330411' });
        assertError(m, 422, 'region_out_of_scope', 'region_code');
        assert.equal((await clients.admin.get(`/api/v1/orgs/${nanhu.id}`)).json.region_code, '330402');
    });

    test('an enterprise user edits its own org', async () => {
        const own = clients.ent_nanhu.user.org_id;
        const p = await clients.ent_nanhu.patch(`/api/v1/orgs/${own}`, { contact_phone: '0573-8888 0000' });
        assertOk(p);
        assert.equal(p.json.org.contact_phone, '0573-8888 0000');
    });

    test('roles without org.write (broker, expert) cannot write orgs → 403 forbidden', async () => {
        const xiuzhou = await firstOrg(clients.admin, '330411');
        assertError(await clients.broker_jiaxing.patch(`/api/v1/orgs/${xiuzhou.id}`, { address: 'x' }), 403, 'forbidden');
        assertError(await clients.broker_jiaxing.post('/api/v1/orgs', orgInput({ region_code: '330402' })), 403, 'forbidden');
        assertError(await clients.expert_lishui.post('/api/v1/orgs', orgInput({ region_code: '331102' })), 403, 'forbidden');
    });
});

describe('creating orgs', () => {
    test('creating an org outside the officer\'s scope → 422 region_out_of_scope', async () => {
        const before = (await clients.admin.get('/api/v1/orgs?page_size=1')).json.total;
        assertError(await clients.county_nanhu.post('/api/v1/orgs', orgInput({ region_code: '330411' })),
            422, 'region_out_of_scope', 'region_code');
        assertError(await clients.city_jiaxing.post('/api/v1/orgs', orgInput({ region_code: '331002' })),
            422, 'region_out_of_scope', 'region_code');
        assertError(await clients.city_jiaxing.post('/api/v1/orgs', orgInput({ region_code: '330000' })),
            422, 'region_out_of_scope', 'region_code');
        assert.equal((await clients.admin.get('/api/v1/orgs?page_size=1')).json.total, before);
    });

    test('creating inside scope → 201 with region_name', async () => {
        const r = await clients.county_nanhu.post('/api/v1/orgs', orgInput({ region_code: '330402' }));
        assertOk(r, 201);
        assert.equal(r.json.org.region_code, '330402');
        assert.equal(r.json.org.region_name, '南湖区');
        const r2 = await clients.city_jiaxing.post('/api/v1/orgs', orgInput({ region_code: '330411' }));
        assertOk(r2, 201);
        assertOk(await clients.county_xiuzhou.get(`/api/v1/orgs/${r2.json.org.id}`));
        assertError(await clients.county_nanhu.get(`/api/v1/orgs/${r2.json.org.id}`), 404, 'not_found');
    });
});

describe('users and audit visibility', () => {
    test('roles without user.read cannot list users → 403 forbidden', async () => {
        for (const [name, want] of Object.entries(DEMO_ACCOUNTS)) {
            if (CAPS['user.read'].includes(want.role)) continue;
            assertError(await clients[name].get('/api/v1/users'), 403, 'forbidden', undefined, name);
            assertError(await clients[name].get(`/api/v1/users/${clients[name].user.id}`), 403, 'forbidden', undefined, `${name} self`);
        }
    });

    test('only admin reads the audit log; everyone else → 403 forbidden', async () => {
        assertOk(await clients.admin.get('/api/v1/audit?page_size=1'));
        for (const [name, want] of Object.entries(DEMO_ACCOUNTS)) {
            if (want.role === 'admin') continue;
            assertError(await clients[name].get('/api/v1/audit'), 403, 'forbidden', undefined, name);
            assertError(await clients[name].get('/api/v1/audit/verify'), 403, 'forbidden', undefined, `${name} verify`);
        }
    });

    test('a city officer reads users of its city only', async () => {
        const { items, total } = await clients.city_jiaxing.all('/api/v1/users');
        assert.ok(total > 0);
        const outside = items.filter((u) => !u.region_code.startsWith('3304'));
        assert.deepEqual(outside.map((u) => `${u.username}:${u.region_code}`), [], 'users outside 3304');
        const names = items.map((u) => u.username);
        for (const n of ['city_jiaxing', 'county_nanhu', 'county_xiuzhou', 'ent_nanhu', 'broker_jiaxing']) {
            assert.ok(names.includes(n), `city_jiaxing sees ${n}`);
        }
        for (const n of ['admin', 'city_taizhou', 'county_wenling', 'expert_lishui']) {
            assert.ok(!names.includes(n), `city_jiaxing must not see ${n}`);
        }
        assert.ok(items.every((u) => !('password_hash' in u)), 'no password hashes');
        const taizhou = clients.city_taizhou.user.id;
        assertError(await clients.city_jiaxing.get(`/api/v1/users/${taizhou}`), 404, 'not_found');
        assertOk(await clients.city_jiaxing.get(`/api/v1/users/${clients.county_nanhu.user.id}`));
    });

    test('only admin writes users (user.write)', async () => {
        const body = {
            username: 'scope_new_user', display_name: 'x', role: 'county_officer', region_code: '330402',
            password: 'Kc-scope-Passw0rd-1',
        };
        assertError(await clients.city_jiaxing.post('/api/v1/users', body), 403, 'forbidden');
        assertError(await clients.city_jiaxing.patch(`/api/v1/users/${clients.county_nanhu.user.id}`, { display_name: 'x' }),
            403, 'forbidden');
        assertError(await clients.county_nanhu.post(`/api/v1/users/${clients.county_nanhu.user.id}/password`,
            { password: 'Kc-scope-Passw0rd-2' }), 403, 'forbidden');
        assertOk(await clients.admin.post('/api/v1/users', body), 201);
    });

    test('nobody escalates through PATCH /api/v1/me', async () => {
        assertError(await clients.county_nanhu.patch('/api/v1/me', { role: 'admin' }), 422, 'unknown_field', 'role');
        assertError(await clients.county_nanhu.patch('/api/v1/me', { region_code: '000000' }), 422, 'unknown_field', 'region_code');
        assert.equal((await clients.county_nanhu.get('/api/v1/session')).json.user.role, 'county_officer');
    });

    test('/api/v1/me/summary: counts.orgs equals the list total; null where not visible', async () => {
        for (const [name, want] of Object.entries(DEMO_ACCOUNTS)) {
            const s = await clients[name].get('/api/v1/me/summary');
            assertOk(s, 200, name);
            const total = (await clients[name].get('/api/v1/orgs?page_size=1')).json.total;
            assert.equal(s.json.counts.orgs, total, `${name} counts.orgs`);
            assert.equal(s.json.counts.users === null, !CAPS['user.read'].includes(want.role), `${name} counts.users`);
            assert.equal(s.json.counts.audit === null, want.role !== 'admin', `${name} counts.audit`);
        }
    });

    test('dictionaries: only dict.write roles edit chains, in scope', async () => {
        const r = await clients.county_nanhu.post('/api/v1/chains', {
            region_code: '330402', code: 'T-SCOPE-1', name: '测试链', group_name: '测试',
        });
        assertError(r, 403, 'forbidden');
        const out = await clients.city_jiaxing.post('/api/v1/chains', {
            region_code: '331000', code: 'T-SCOPE-2', name: '测试链', group_name: '测试',
        });
        assertError(out, 422, 'region_out_of_scope', 'region_code');
        const ok = await clients.city_jiaxing.post('/api/v1/chains', {
            region_code: '330400', code: 'T-SCOPE-3', name: '测试链', group_name: '测试',
        });
        assertOk(ok, 201);
    });
});
