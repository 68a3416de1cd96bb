// dicts.test.mjs — regions (tree, one region, historical aliases), the dictionaries
// (industries, SEI, org kinds, roles), local chains (CRUD, conflicts) and the org list
// filters and sorts that use them.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, loginAs, orgInput, startServer } from './harness.mjs';

let srv;
let admin;

before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
});

after(async () => {
    if (srv) await srv.stop();
});

describe('regions', () => {
    test('GET /api/v1/regions is the whole tree: provinces → cities → counties', async () => {
        const r = await admin.get('/api/v1/regions');
        assertOk(r);
        const zj = r.json.items.find((p) => p.code === '330000');
        assert.ok(zj, 'Zhejiang 330000 among the provinces');
        assert.ok(r.json.items.some((p) => p.code === '320000'), 'Jiangsu 320000');
        const jx = zj.children.find((c) => c.code === '330400');
        assert.ok(jx, '嘉兴市 under Zhejiang');
        assert.equal(jx.name, '嘉兴市');
        const codes = jx.children.map((c) => c.code);
        for (const c of ['330402', '330411', '330421', '330424', '330481', '330482', '330483']) {
            assert.ok(codes.includes(c), `${c} under 330400`);
        }
    });

    test('GET /api/v1/regions/{code}', async () => {
        const r = await admin.get('/api/v1/regions/330400');
        assertOk(r);
        assert.equal(r.json.code, '330400');
        assert.equal(r.json.name, '嘉兴市');
        assert.equal(r.json.parent_code, '330000');
        assert.equal(typeof r.json.level, 'string');
        assert.ok(Array.isArray(r.json.aliases));
        const nh = r.json.children.find((c) => c.code === '330402');
        assert.ok(nh, 'children include 330402');
        assert.deepEqual(Object.keys(nh).sort(), ['code', 'level', 'name', 'parent_code']);
        assert.equal(nh.name, '南湖区');
        assert.equal(nh.parent_code, '330400');
    });

    test('a historical code answers its successor, which lists the alias', async () => {
        const r = await admin.get('/api/v1/regions/331021');
        assertOk(r);
        assert.equal(r.json.code, '331083', '玉环县 331021 → 玉环市 331083');
        assert.equal(r.json.name, '玉环市');
        assert.ok(r.json.aliases.includes('331021'), `aliases ${JSON.stringify(r.json.aliases)}`);
    });

    test('an unknown or malformed code → 404 not_found, never 500', async () => {
        assertError(await admin.get('/api/v1/regions/999999'), 404, 'not_found');
        for (const c of ['abc', '33040', '3304000', '%27%3B']) {
            const r = await admin.get(`/api/v1/regions/${c}`);
            assert.ok([400, 404, 422].includes(r.status), `/api/v1/regions/${c} → ${r.status}`);
            assertError(r, r.status);
        }
    });

    test('an org created with a historical region code is stored under its successor (or refused), never the dead code', async () => {
        const r = await admin.post('/api/v1/orgs', orgInput({ region_code: '331021' }));
        if (r.status === 201) assert.equal(r.json.org.region_code, '331083');
        else assertError(r, 422, 'invalid_region', 'region_code');
    });
});

describe('dictionaries', () => {
    test('industries: GB/T 4754-2017 sections with divisions', async () => {
        const r = await admin.get('/api/v1/dicts/industries');
        assertOk(r);
        assert.equal(r.json.items.length, 20, 'sections A–T');
        const c = r.json.items.find((s) => s.code === 'C');
        assert.equal(c.name, '制造业');
        assert.ok(c.divisions.some((d) => d.code === 'C36' && d.name === '汽车制造业'));
        assert.equal(c.divisions.length, 31, 'divisions 13–43');
    });

    test('SEI: the 9 strategic emerging industries', async () => {
        const r = await admin.get('/api/v1/dicts/sei');
        assertOk(r);
        assert.equal(r.json.items.length, 9);
        assert.deepEqual(r.json.items[0], { ...r.json.items[0], code: '1', name: '新一代信息技术产业' });
    });

    test('org kinds and roles, with Chinese and English names', async () => {
        const k = await admin.get('/api/v1/dicts/org_kinds');
        assertOk(k);
        assert.deepEqual(k.json.items.map((i) => i.code).sort(), ['bureau', 'carrier_operator', 'enterprise', 'institute',
            'new_rd_institution', 'service_provider', 'university']);
        assert.deepEqual(k.json.items.find((i) => i.code === 'enterprise'), { code: 'enterprise', name: '企业', name_en: 'Enterprise' });
        const ro = await admin.get('/api/v1/dicts/roles');
        assertOk(ro);
        assert.deepEqual(ro.json.items.map((i) => i.code).sort(), ['admin', 'broker', 'city_officer', 'county_officer',
            'enterprise', 'expert', 'institution', 'provider']);
        assert.deepEqual(ro.json.items.find((i) => i.code === 'admin'), { code: 'admin', name: '系统管理员', name_en: 'Administrator' });
        for (const i of ro.json.items) assert.ok(i.name && i.name_en, `role ${i.code} names`);
    });

    test('an unknown dictionary → 404', async () => {
        const r = await admin.get('/api/v1/dicts/nope');
        assert.equal(r.status, 404);
        assertError(r, 404);
    });

    test('every logged-in role reads regions and dictionaries', async () => {
        const e = await loginAs(srv, 'expert_lishui');
        assertOk(await e.get('/api/v1/regions/331100'));
        assertOk(await e.get('/api/v1/dicts/industries'));
        assertOk(await e.get('/api/v1/chains?region_code=331000'));
    });
});

describe('chains', () => {
    test('GET /api/v1/chains?region_code=331000 lists that region\'s chains and its relatives\'', async () => {
        const r = await admin.get('/api/v1/chains?region_code=331000');
        assertOk(r);
        const auto = r.json.items.find((c) => c.code === 'TZ-AUTO');
        assert.ok(auto, 'TZ-AUTO');
        assert.equal(auto.name, '汽车制造');
        for (const k of ['id', 'region_code', 'code', 'name', 'group_name', 'sort']) assert.ok(k in auto, `chain has ${k}`);
        for (const c of r.json.items) {
            const rc = c.region_code;
            const related = rc.startsWith('3310') || rc === '330000' || rc === '000000';
            assert.ok(related, `chain ${c.code} of ${rc} is not an ancestor/descendant of 331000`);
        }
    });

    test('create, rename, delete a chain; duplicate code → 409 conflict field code', async () => {
        const c = await admin.post('/api/v1/chains', { region_code: '331000', code: 'TZ-TEST', name: '测试产业链', group_name: '测试' });
        assertOk(c, 201);
        const chain = c.json.chain ?? c.json;
        assert.equal(chain.code, 'TZ-TEST');
        assert.ok(Number.isInteger(chain.id));
        assertError(await admin.post('/api/v1/chains', { region_code: '331000', code: 'TZ-TEST', name: 'x', group_name: 'x' }),
            409, 'conflict', 'code');
        const p = await admin.patch(`/api/v1/chains/${chain.id}`, { name: '测试产业链二' });
        assertOk(p);
        assert.equal((p.json.chain ?? p.json).name, '测试产业链二');
        assertError(await admin.patch(`/api/v1/chains/${chain.id}`, { code: 'X' }), 422, 'unknown_field', 'code');
        const d = await admin.del(`/api/v1/chains/${chain.id}`);
        assertOk(d);
        assert.deepEqual(d.json, { ok: true });
        const list = await admin.get('/api/v1/chains?region_code=331000');
        assert.ok(!list.json.items.some((x) => x.code === 'TZ-TEST'));
        assertError(await admin.del(`/api/v1/chains/${chain.id}`), 404, 'not_found');
    });

    test('chain writes are audited', async () => {
        const c = await admin.post('/api/v1/chains', { region_code: '331000', code: 'TZ-AUDIT', name: '审计链', group_name: '测试' });
        assertOk(c, 201);
        const id = (c.json.chain ?? c.json).id;
        const a = await admin.get(`/api/v1/audit?entity_id=${id}&action=create&page_size=50`);
        assertOk(a);
        assert.ok(a.json.items.some((e) => /chain/.test(e.entity)), `a create entry for chain ${id}: ${a.text.slice(0, 300)}`);
    });
});

describe('org filters and sorts', () => {
    test('org chains: stored, filterable with ?chain=, unknown chain → 422', async () => {
        const c = await admin.post('/api/v1/orgs', orgInput({ region_code: '331002', chains: ['TZ-AUTO'], industry_code: 'C36' }));
        assertOk(c, 201);
        assert.deepEqual(c.json.org.chains, ['TZ-AUTO']);
        assert.equal(c.json.org.industry_code, 'C36');
        const f = await admin.all('/api/v1/orgs?chain=TZ-AUTO');
        assert.ok(f.items.some((o) => o.id === c.json.org.id));
        assert.ok(f.items.every((o) => o.chains.includes('TZ-AUTO')), 'every result is on the chain');
        const bad = await admin.post('/api/v1/orgs', orgInput({ region_code: '331002', chains: ['NO-SUCH-CHAIN'] }));
        assertError(bad, 422, 'invalid_value', 'chains');
        const wrongType = await admin.post('/api/v1/orgs', orgInput({ region_code: '331002', chains: 'TZ-AUTO' }));
        assertError(wrongType, 422, 'wrong_type', 'chains');
    });

    test('industry_code filter (section letter) and kind filter', async () => {
        const r = await admin.all('/api/v1/orgs?industry_code=C');
        assert.ok(r.total > 0, 'some manufacturers in the demo');
        assert.ok(r.items.every((o) => o.industry_code && o.industry_code.startsWith('C')), 'all in section C');
        const k = await admin.all('/api/v1/orgs?kind=bureau');
        assert.ok(k.total >= 7);
        assert.ok(k.items.every((o) => o.kind === 'bureau'));
    });

    test('q matches a name or USCC substring', async () => {
        const one = (await admin.get('/api/v1/orgs?region_code=330411&kind=enterprise&page_size=1')).json.items[0];
        const byUscc = await admin.get(`/api/v1/orgs?q=${one.uscc.slice(4, 14)}`);
        assert.ok(byUscc.json.items.some((o) => o.id === one.id), 'found by a USCC substring');
        const byName = await admin.get(`/api/v1/orgs?q=${encodeURIComponent(one.name.slice(1, 5))}`);
        assert.ok(byName.json.items.some((o) => o.id === one.id), 'found by a name substring');
    });

    test('every documented sort key sorts, ascending and descending', async () => {
        for (const key of ['name', 'created_at', 'region_code', 'uscc']) {
            // One county: fewer than 200 organisations even with the ~100 demo enterprises each.
            const a = (await admin.get(`/api/v1/orgs?region_code=331002&sort=${key}&page_size=200`)).json.items;
            const d = (await admin.get(`/api/v1/orgs?region_code=331002&sort=-${key}&page_size=200`)).json.items;
            assert.ok(a.length > 5, key);
            const va = a.map((o) => String(o[key]));
            const vd = d.map((o) => String(o[key]));
            if (key !== 'name') { // names sort by a collation the server chooses; the others as text
                assert.deepEqual(va, [...va].sort(), `sort=${key} ascending`);
            }
            // Ties may come in any order, but the sequence of values is fixed.
            assert.deepEqual(vd, [...va].reverse(), `sort=-${key} is sort=${key} reversed`);
        }
        assertError(await admin.get('/api/v1/orgs?sort=password'), 422, 'invalid_value', 'sort');
    });

    test('pagination: page/page_size echo and disjoint pages', async () => {
        const p1 = await admin.get('/api/v1/orgs?region_code=330400&sort=uscc&page=1&page_size=7');
        const p2 = await admin.get('/api/v1/orgs?region_code=330400&sort=uscc&page=2&page_size=7');
        assert.equal(p1.json.page, 1);
        assert.equal(p1.json.page_size, 7);
        assert.equal(p2.json.page, 2);
        assert.equal(p1.json.items.length, 7);
        const ids1 = new Set(p1.json.items.map((o) => o.id));
        assert.ok(p2.json.items.every((o) => !ids1.has(o.id)), 'pages do not overlap');
        assert.ok(p1.json.items[6].uscc < p2.json.items[0].uscc);
        const far = await admin.get('/api/v1/orgs?page=9999&page_size=20');
        assertOk(far);
        assert.deepEqual(far.json.items, []);
    });
});
