// plans.test.mjs — module 7 (docs/api-plans.md): the target JSON contract of API.md, region
// scope on plans, targets, observations and values, the reported-value workflow (a county
// cannot verify its own value, locked values cannot be edited, revisions, audit), evidence
// files, computed indicators that move with new contracts and certificates and drill down to
// them, city → county splits, the public view, and bad input naming the field.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, loginAs, makeUscc, request, startServer } from './harness.mjs';

let srv;
const c = {};
let plans; // code → plan
let year; // the current year (China time)
let today; // YYYY-MM-DD (China time)

const CONTRACT_KEYS = ['baseline_value', 'baseline_year', 'current_value', 'id', 'indicator', 'progress',
    'projection', 'region_code', 'status', 'target_value', 'target_year', 'task_code'];
const STATUSES = ['achieved', 'on_track', 'at_risk', 'off_track', 'no_data'];

/* The id of indicator code. */
async function indicatorId(code) {
    const r = assertOk(await c.admin.get(`/api/v1/indicators?q=${code}&page_size=50`));
    const ind = r.items.find((i) => i.code === code);
    assert.ok(ind, `indicator ${code}`);
    return ind.id;
}

/* The value of indicator id for region (and chain) in year. */
async function valueOf(client, id, region, y, chain) {
    const q = `region_code=${region}&from=${y}&to=${y}` + (chain ? `&chain=${chain}` : '');
    const r = assertOk(await client.get(`/api/v1/indicators/${id}/values?${q}`));
    return r.items[0];
}

before(async () => {
    srv = await startServer();
    for (const n of ['admin', 'city_lishui', 'city_jiaxing', 'county_liandu', 'county_nanhu', 'ent_nanhu']) {
        c[n] = await loginAs(srv, n);
    }
    const list = assertOk(await c.admin.get('/api/v1/plans?page_size=50'));
    plans = Object.fromEntries(list.items.map((p) => [p.code, p]));
    const d = new Date(Date.now() + 8 * 3600 * 1000);
    year = d.getUTCFullYear();
    today = d.toISOString().slice(0, 10);
});

after(async () => {
    if (srv) await srv.stop();
});

describe('the seed plans', () => {
    test('the demo loads the five plans with their tasks and targets', async () => {
        assert.deepEqual(Object.keys(plans).sort(), ['JX-2023-315', 'LS-2024-KJFN', 'TZ-2018-ZHT', 'TZ-LXRH', 'YZ-2024-WDGC']);
        const ls = assertOk(await c.admin.get(`/api/v1/plans/${plans['LS-2024-KJFN'].id}`));
        assert.equal(ls.n_targets, 186);
        assert.equal(ls.tasks.filter((t) => t.kind === 'task').length >= 9, true);
        const t7 = ls.tasks.find((t) => t.code === 'T7');
        assert.ok(t7 && t7.deadline && t7.units.length > 0, 'a task with deadline and responsible units');
        assert.ok(t7.units.some((u) => u.name === '市科技局'));
        const total = Object.values(ls.status_counts).reduce((a, b) => a + b, 0);
        assert.equal(total, 186);
    });

    test('the target JSON of /plans/{id}/targets is exactly the API.md contract', async () => {
        for (const p of Object.values(plans)) {
            const r = assertOk(await c.admin.get(`/api/v1/plans/${p.id}/targets?page_size=200`));
            assert.equal(r.items.length, Math.min(r.total, 200));
            for (const t of r.items) {
                assert.deepEqual(Object.keys(t).sort(), CONTRACT_KEYS, `keys of target ${t.id}`);
                assert.deepEqual(Object.keys(t.indicator).sort(), ['code', 'name', 'unit']);
                assert.ok(STATUSES.includes(t.status), t.status);
                assert.equal(typeof t.id, 'number');
                assert.equal(typeof t.task_code, 'string');
                assert.match(t.region_code, /^\d{6}$/);
                assert.equal(typeof t.target_year, 'number');
                for (const k of ['baseline_year', 'baseline_value', 'target_value', 'current_value', 'progress', 'projection']) {
                    assert.ok(t[k] === null || typeof t[k] === 'number', `${k} of ${t.id}: ${t[k]}`);
                }
                if (t.status !== 'no_data') assert.equal(typeof t.current_value, 'number');
            }
        }
        const yz = assertOk(await c.admin.get(`/api/v1/plans/${plans['YZ-2024-WDGC'].id}/targets`));
        const hnte = yz.items.find((t) => t.indicator.code === 'hnte_count');
        assert.equal(hnte.target_value, 2500);
        assert.equal(hnte.baseline_year, 2023);
        assert.equal(hnte.baseline_value, 2000);
        assert.equal(hnte.indicator.unit, '家');
    });

    test('status filter and the status counts agree', async () => {
        const id = plans['JX-2023-315'].id;
        const all = assertOk(await c.admin.get(`/api/v1/targets?plan_id=${id}&page_size=200`));
        for (const s of STATUSES) {
            const r = assertOk(await c.admin.get(`/api/v1/plans/${id}/targets?status=${s}&page_size=200`));
            assert.equal(r.total, all.status_counts[s]);
            assert.ok(r.items.every((t) => t.status === s));
        }
        assertError(await c.admin.get(`/api/v1/plans/${id}/targets?status=great`), 422, 'invalid_value', 'status');
    });
});

describe('region scope', () => {
    test('a county sees its city plan and only its own targets', async () => {
        const ls = plans['LS-2024-KJFN'].id;
        assertOk(await c.county_liandu.get(`/api/v1/plans/${ls}`));
        const r = assertOk(await c.county_liandu.get(`/api/v1/plans/${ls}/targets?page_size=200`));
        assert.equal(r.total, 20);
        assert.ok(r.items.every((t) => t.region_code === '331102'));
        const other = assertOk(await c.admin.get(`/api/v1/targets?plan_id=${ls}&region_code=331121&page_size=1`)).items[0];
        assertError(await c.county_liandu.get(`/api/v1/targets/${other.id}`), 404, 'not_found');
        assertError(await c.county_nanhu.get(`/api/v1/plans/${ls}`), 404, 'not_found');
        assertError(await c.county_nanhu.get(`/api/v1/plans/${ls}/targets`), 404, 'not_found');
        assertError(await c.county_nanhu.get(`/api/v1/targets/${r.items[0].id}`), 404, 'not_found');
        const nanhuPlans = assertOk(await c.county_nanhu.get('/api/v1/plans')).items.map((p) => p.code);
        assert.deepEqual(nanhuPlans, ['JX-2023-315']);
    });

    test('values of a region outside the scope answer 404; roles without plan.read get 403', async () => {
        const id = await indicatorId('hnte_count');
        assertError(await c.county_liandu.get(`/api/v1/indicators/${id}/values?region_code=330402`), 404, 'not_found');
        assertError(await c.county_liandu.get(`/api/v1/indicators/${id}/records?region_code=330402`), 404, 'not_found');
        assertOk(await c.county_liandu.get(`/api/v1/indicators/${id}/values?region_code=331102`));
        assertError(await c.ent_nanhu.get('/api/v1/plans'), 403, 'forbidden');
    });
});

describe('reported values', () => {
    let chain; // the chain of 莲都 (331102)
    let obs; // the value county_liandu submits

    test('a county submits; bad input names the field', async () => {
        const t = assertOk(await c.county_liandu.get(`/api/v1/targets?plan_id=${plans['LS-2024-KJFN'].id}&indicator=chain_output`)).items[0];
        chain = t.chain;
        assert.ok(chain);
        const body = { indicator_code: 'chain_output', region_code: '331102', chain, year, value: 123.4, source: '莲都区统计局' };
        assertError(await c.county_liandu.post('/api/v1/observations', { ...body, value: undefined }), 422, 'required', 'value');
        assertError(await c.county_liandu.post('/api/v1/observations', { ...body, value: 'many' }), 422, 'wrong_type', 'value');
        assertError(await c.county_liandu.post('/api/v1/observations', { ...body, colour: 'red' }), 422, 'unknown_field', 'colour');
        assertError(await c.county_liandu.post('/api/v1/observations', { ...body, region_code: '331121' }), 422, 'region_out_of_scope', 'region_code');
        assertError(await c.county_liandu.post('/api/v1/observations', { ...body, chain: undefined }), 422, 'required', 'chain');
        assertError(await c.county_liandu.post('/api/v1/observations', { ...body, year: year + 1 }), 422, 'invalid_year', 'year');
        assertError(await c.county_liandu.post('/api/v1/observations', { ...body, indicator_code: 'hnte_count', chain: undefined }), 422, 'computed_indicator', 'indicator_code');
        const en = assertError(await c.county_liandu.post('/api/v1/observations', { ...body, source: '' }, { lang: 'en' }), 422, 'required', 'source');
        assert.match(en.message, /required/);
        obs = assertOk(await c.county_liandu.post('/api/v1/observations', body), 201);
        assert.equal(obs.status, 'submitted');
        assert.equal(obs.locked, false);
        assert.equal(obs.revision, 1);
        assertError(await c.county_liandu.post('/api/v1/observations', body), 409, 'open_value_exists');
    });

    test('a county can never verify its own value; the city verifies and the value locks', async () => {
        assertError(await c.county_liandu.post(`/api/v1/observations/${obs.id}/verify`), 403, 'forbidden');
        assertError(await c.county_nanhu.get(`/api/v1/observations/${obs.id}`), 404, 'not_found');
        const edited = assertOk(await c.county_liandu.patch(`/api/v1/observations/${obs.id}`, { value: 125 }));
        assert.equal(edited.value, 125);
        const v = assertOk(await c.city_lishui.post(`/api/v1/observations/${obs.id}/verify`));
        assert.equal(v.status, 'verified');
        assert.equal(v.locked, true);
        assert.equal(v.is_current, true);
        assertError(await c.city_lishui.post(`/api/v1/observations/${obs.id}/verify`), 409, 'not_submitted');
    });

    test('a locked value cannot be edited; it changes only through a new verified revision', async () => {
        assertError(await c.county_liandu.patch(`/api/v1/observations/${obs.id}`, { value: 1 }), 409, 'locked');
        assertError(await c.city_lishui.patch(`/api/v1/observations/${obs.id}`, { value: 1 }), 409, 'locked');
        const rev = assertOk(await c.county_liandu.post('/api/v1/observations', {
            indicator_code: 'chain_output', region_code: '331102', chain, year, value: 130, source: '莲都区统计局（修订）',
        }), 201);
        assert.equal(rev.revision, 2);
        assert.equal(rev.supersedes_id, obs.id);
        const id = await indicatorId('chain_output');
        assert.equal((await valueOf(c.county_liandu, id, '331102', year, chain)).value, 125, 'the locked value stays current until the revision is verified');
        const rej = assertOk(await c.city_lishui.post(`/api/v1/observations/${rev.id}/reject`, { reason: '请附统计表' }));
        assert.equal(rej.status, 'rejected');
        assertError(await c.city_lishui.post(`/api/v1/observations/${rev.id}/reject`, {}), 422, 'required', 'reason');
        assertOk(await c.county_liandu.patch(`/api/v1/observations/${rev.id}`, { value: 131 }));
        const ok = assertOk(await c.city_lishui.post(`/api/v1/observations/${rev.id}/verify`));
        assert.equal(ok.status, 'verified');
        assert.deepEqual(ok.revisions.map((x) => [x.revision, x.status]), [[2, 'verified'], [1, 'superseded']]);
        assert.equal((await valueOf(c.county_liandu, id, '331102', year, chain)).value, 131);
        const audit = assertOk(await c.admin.get(`/api/v1/audit?entity=observation&entity_id=${rev.id}&page_size=50`));
        const actions = audit.items.map((e) => e.action).sort();
        assert.deepEqual(actions, ['create', 'reject', 'update', 'verify']);
    });

    test('an officer cannot verify a value it submitted itself', async () => {
        const mine = assertOk(await c.city_lishui.post('/api/v1/observations', {
            indicator_code: 'tech_renovation_coverage', region_code: '331100', year, value: 86.5, source: '市经信局',
        }), 201);
        assertError(await c.city_lishui.post(`/api/v1/observations/${mine.id}/verify`), 403, 'own_value');
        assertOk(await c.admin.post(`/api/v1/observations/${mine.id}/verify`));
    });

    test('evidence files: accepted types, content checked, locked after verification', async () => {
        const o = assertOk(await c.county_liandu.post('/api/v1/observations', {
            indicator_code: 'chain_profit', region_code: '331102', chain, year, value: 12.5, source: '莲都区统计局',
        }), 201);
        const pdf = Buffer.from('%PDF-1.4\n% kechuang test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
        const up = await c.county_liandu.req('POST', `/api/v1/observations/${o.id}/files?name=${encodeURIComponent('统计表.pdf')}`, pdf,
            { headers: { 'Content-Type': 'application/pdf' } });
        const withFile = assertOk(up, 201);
        assert.equal(withFile.files.length, 1);
        assert.equal(withFile.files[0].name, '统计表.pdf');
        assert.equal(withFile.files[0].mime, 'application/pdf');
        const dl = await c.county_liandu.get(`/api/v1/observation-files/${withFile.files[0].id}`);
        assert.equal(dl.status, 200);
        assert.deepEqual(dl.buf, pdf);
        assertError(await c.county_nanhu.get(`/api/v1/observation-files/${withFile.files[0].id}`), 404, 'not_found');
        const txt = await c.county_liandu.req('POST', `/api/v1/observations/${o.id}/files?name=a.pdf`, Buffer.from('not a pdf'),
            { headers: { 'Content-Type': 'application/pdf' } });
        assertError(txt, 422, 'file_type', 'file');
        assertError(await c.county_liandu.req('POST', `/api/v1/observations/${o.id}/files`, pdf,
            { headers: { 'Content-Type': 'application/pdf' } }), 422, 'required', 'name');
        assertOk(await c.city_lishui.post(`/api/v1/observations/${o.id}/verify`));
        assertError(await c.county_liandu.req('POST', `/api/v1/observations/${o.id}/files?name=b.pdf`, pdf,
            { headers: { 'Content-Type': 'application/pdf' } }), 409, 'locked');
    });
});

describe('computed indicators', () => {
    test('a new contract in a county moves its 技术合同成交额 and the drill-down lists it', async () => {
        const id = await indicatorId('tech_contract_value');
        const before = await valueOf(c.city_lishui, id, '331102', year);
        const cityBefore = await valueOf(c.city_lishui, id, '331100', year);
        const orgs = (await c.admin.all('/api/v1/orgs?region_code=331102')).items;
        const seller = orgs.find((o) => o.kind !== 'bureau');
        const buyer = (await c.admin.get('/api/v1/orgs?region_code=331121&kind=enterprise&page_size=1')).json.items[0];
        const day = `${year}-01-02` <= today ? `${year}-01-02` : today;
        const k = assertOk(await c.city_lishui.post('/api/v1/contracts', {
            title: '莲都测试技术开发合同', type: 'development', subtype: 'entrusted', seller_org_id: seller.id,
            buyer_org_id: buyer.id, contract_amount_fen: 250000000000, tech_amount_fen: 200000000000,
            signed_on: day, registration_no: `${year}331102000777`.slice(0, 16).padEnd(16, '7'), registered_on: day,
        }), 201);
        const afterV = await valueOf(c.city_lishui, id, '331102', year);
        assert.ok(Math.abs(afterV.value - (before.value || 0) - 25) < 1e-9, `${before.value} + 25 亿元 = ${afterV.value}`);
        assert.equal(afterV.numerator - before.numerator, 250000000000);
        const cityAfter = await valueOf(c.city_lishui, id, '331100', year);
        assert.ok(Math.abs(cityAfter.value - cityBefore.value - 25) < 1e-9, 'the city total moves too');
        const rec = assertOk(await c.city_lishui.get(`/api/v1/indicators/${id}/records?region_code=331102&year=${year}&page_size=200`));
        assert.ok(rec.items.some((x) => x.contract_id === k.id), 'the drill-down lists the new contract');
        assert.equal(rec.numerator, afterV.numerator, 'the records add up to the value');
        assert.equal(rec.total, rec.items.length);
        assert.ok(rec.items.every((x) => !('__num' in x)));
        // The county cannot drill into another county.
        assertError(await c.county_liandu.get(`/api/v1/indicators/${id}/records?region_code=331121&year=${year}`), 404, 'not_found');
    });

    test('a new 高新技术企业 certificate moves the count and the drill-down lists the firm', async () => {
        const id = await indicatorId('hnte_count');
        const before = await valueOf(c.county_liandu, id, '331102', year);
        const firm = assertOk(await c.county_liandu.post('/api/v1/enterprises', {
            uscc: makeUscc('331102'), name: '丽水莲都测试新材料有限公司', region_code: '331102', registered_on: '2012-03-04',
        }), 201);
        const issued = `${year}-01-03` <= today ? `${year}-01-03` : today;
        assertOk(await c.county_liandu.post('/api/v1/certifications', {
            uscc: firm.uscc, kind: 'hnte', number: `GR${year}33009876`, issued_on: issued,
        }), 201);
        const afterV = await valueOf(c.county_liandu, id, '331102', year);
        assert.equal(afterV.value, (before.value || 0) + 1);
        const rec = assertOk(await c.county_liandu.get(`/api/v1/indicators/${id}/records?region_code=331102&year=${year}&page_size=200`));
        assert.equal(rec.total, afterV.value);
        assert.ok(rec.items.some((x) => x.uscc === firm.uscc && x.cert_kinds === 'hnte'));
        // Recomputing on demand gives the same number.
        assertError(await c.county_liandu.post('/api/v1/indicators/recompute'), 403, 'forbidden');
        const rc = assertOk(await c.city_lishui.post('/api/v1/indicators/recompute'));
        assert.ok(rc.recomputed > 0);
        assert.equal((await valueOf(c.county_liandu, id, '331102', year)).value, afterV.value);
    });

    test('yearly enterprise data: a year nobody has reported yet has no value, not 0', async () => {
        // The demo's yearly data end with the year before this one (reports arrive after a year ends).
        const id = await indicatorId('rd_activity_share');
        const last = await valueOf(c.city_lishui, id, '331100', year - 1);
        assert.ok(last && last.value !== null && last.value !== undefined, `a value for ${year - 1}`);
        const now = await valueOf(c.city_lishui, id, '331100', year);
        assert.ok(!now || now.value === null || now.value === undefined, `no value for ${year}: ${JSON.stringify(now)}`);
        const r = assertOk(await c.city_lishui.get(`/api/v1/targets?region_code=331102&page_size=200`));
        const t = r.items.find((x) => x.indicator && x.indicator.code === 'chain_rd_expense');
        assert.ok(t, '莲都 has a chain R&D expense target');
        assert.ok(t.current_value > 0, `the current value is the latest reported year's (${t.current_value})`);
    });

    test('the formula registry documents every formula; reported indicators have no records', async () => {
        const f = assertOk(await c.admin.get('/api/v1/formulas'));
        const ids = f.items.map((x) => x.id);
        for (const x of ['cert_valid_count', 'cert_issued_count', 'contract_value_sum', 'demand_count', 'enterprise_share']) {
            assert.ok(ids.includes(x), x);
        }
        assert.ok(f.items.find((x) => x.id === 'contract_value_sum').ready);
        const rep = await indicatorId('rd_gdp_ratio');
        assertError(await c.admin.get(`/api/v1/indicators/${rep}/records?region_code=330400`), 422, 'not_computed', 'indicator');
    });
});

describe('targets', () => {
    let parent;

    test('a city target split into county targets reports the sum check', async () => {
        const planId = plans['LS-2024-KJFN'].id;
        const base = { plan_id: planId, task_code: 'T7', indicator_code: 'hnte_count', comparator: '>=', target_year: year + 1 };
        assertError(await c.county_liandu.post('/api/v1/targets', { ...base, code: 'X.1', region_code: '331100', target_value: 100 }), 403, 'forbidden');
        assertError(await c.city_lishui.post('/api/v1/targets', { ...base, code: 'X.1', region_code: '331100', target_value: 100, comparator: '<=' }), 422, 'comparator_direction', 'comparator');
        assertError(await c.city_lishui.post('/api/v1/targets', { ...base, code: 'X.1', region_code: '330400', target_value: 100 }), 422, 'region_outside_plan', 'region_code');
        assertError(await c.city_lishui.post('/api/v1/targets', { ...base, code: 'X.1', region_code: '331100' }), 422, 'required', 'target_value');
        assertError(await c.city_lishui.post('/api/v1/targets', { ...base, code: 'X.1', region_code: '331100', target_value: 100, task_code: 'T99' }), 422, 'invalid_value', 'task_code');
        parent = assertOk(await c.city_lishui.post('/api/v1/targets', { ...base, code: 'X.1', region_code: '331100', target_value: 100, split_rule: 'sum' }), 201);
        assert.equal(parent.target_value, 100);
        assertError(await c.city_lishui.post('/api/v1/targets', { ...base, code: 'X.1', region_code: '331100', target_value: 100 }), 409, 'conflict');
        assertError(await c.city_lishui.post('/api/v1/targets', { ...base, code: 'X.1-bad', region_code: '331100', target_value: 1, parent_id: parent.id }), 422, 'invalid_parent', 'parent_id');
        const child = (region, v) => c.city_lishui.post('/api/v1/targets', { ...base, code: `X.1-${region}`, region_code: region, target_value: v, parent_id: parent.id });
        assertOk(await child('331102', 60), 201);
        assertOk(await child('331121', 30), 201);
        let p = assertOk(await c.city_lishui.get(`/api/v1/targets/${parent.id}`));
        assert.deepEqual({ ...p.split_check }, { rule: 'sum', children: 2, combined: 90, parent_value: 100, ok: false });
        assert.equal(p.children.length, 2);
        assertOk(await child('331122', 10), 201);
        p = assertOk(await c.city_lishui.get(`/api/v1/targets/${parent.id}`));
        assert.equal(p.split_check.ok, true);
        assert.equal(p.split_check.combined, 100);
        // The county sees its own share only.
        const mine = assertOk(await c.county_liandu.get(`/api/v1/targets?parent_id=${parent.id}`));
        assert.equal(mine.total, 1);
        assertError(await c.county_liandu.get(`/api/v1/targets/${parent.id}`), 404, 'not_found');
    });

    test('a target added by mistake can be deleted, not while it has splits or tickets', async () => {
        const planId = plans['LS-2024-KJFN'].id;
        const base = { plan_id: planId, task_code: 'T7', indicator_code: 'hnte_count', comparator: '>=', target_year: year + 1 };
        const t = assertOk(await c.city_lishui.post('/api/v1/targets', { ...base, code: 'DEL.1', region_code: '331100', target_value: 50, split_rule: 'sum' }), 201);
        const kid = assertOk(await c.city_lishui.post('/api/v1/targets', { ...base, code: 'DEL.1-331102', region_code: '331102', target_value: 20, parent_id: t.id }), 201);
        assertError(await c.county_liandu.del(`/api/v1/targets/${kid.id}`), 403, 'forbidden');
        assertError(await c.city_jiaxing.del(`/api/v1/targets/${t.id}`), 404, 'not_found');
        assertError(await c.city_lishui.del(`/api/v1/targets/${t.id}`), 409, 'target_has_splits');
        const en = await c.city_lishui.del(`/api/v1/targets/${t.id}`, { lang: 'en' });
        assert.match(en.json.error.message, /split/);
        assertOk(await c.city_lishui.del(`/api/v1/targets/${kid.id}`));
        assertOk(await c.city_lishui.del(`/api/v1/targets/${t.id}`));
        assertError(await c.city_lishui.get(`/api/v1/targets/${t.id}`), 404, 'not_found');
        const au = assertOk(await c.admin.get(`/api/v1/audit?entity=target&entity_id=${t.id}`));
        assert.ok(au.items.some((e) => e.action === 'delete'), 'the deletion is audited');
        // a target a supervision ticket names keeps its subject
        const ticketed = assertOk(await c.admin.get('/api/v1/tickets?page_size=200')).items.find((x) => x.subject_kind === 'target');
        assert.ok(ticketed, 'the demo has target tickets');
        assertError(await c.admin.del(`/api/v1/targets/${ticketed.subject_id}`), 409, 'target_has_tickets');
    });

    test('milestones are set and replaced with the target; bad ones name the field', async () => {
        const planId = plans['LS-2024-KJFN'].id;
        const base = { plan_id: planId, task_code: 'T7', indicator_code: 'hnte_count', comparator: '>=', region_code: '331100', target_year: year + 2 };
        const t = assertOk(await c.city_lishui.post('/api/v1/targets', { ...base, code: 'MS.1', target_value: 80, milestones: [{ year: year + 1, value: 60 }] }), 201);
        assert.deepEqual(t.milestones.map((m) => [m.year, m.value]), [[year + 1, 60]]);
        const p = assertOk(await c.city_lishui.patch(`/api/v1/targets/${t.id}`, { milestones: [{ year: year, value: 40 }, { year: year + 1, value: 65, text: '力争' }] }));
        assert.deepEqual(p.milestones.map((m) => [m.year, m.value]), [[year, 40], [year + 1, 65]]);
        for (const bad of [[{ year: year + 5, value: 1 }], [{ year, value: 'x' }], [{ year, value: 1 }, { year, value: 2 }], ['x'], [{ year, value: 1, comparator: '~' }]]) {
            assertError(await c.city_lishui.patch(`/api/v1/targets/${t.id}`, { milestones: bad }), 422, 'invalid_milestones', 'milestones', JSON.stringify(bad));
        }
        const kept = assertOk(await c.city_lishui.get(`/api/v1/targets/${t.id}`));
        assert.equal(kept.milestones.length, 2, 'a refused change kept the milestones');
        assertOk(await c.city_lishui.patch(`/api/v1/targets/${t.id}`, { note: '只改备注' }));
        assert.equal(assertOk(await c.city_lishui.get(`/api/v1/targets/${t.id}`)).milestones.length, 2, 'a PATCH without milestones keeps them');
        assertOk(await c.city_lishui.patch(`/api/v1/targets/${t.id}`, { milestones: [] }));
        assert.equal(assertOk(await c.city_lishui.get(`/api/v1/targets/${t.id}`)).milestones.length, 0);
    });

    test('a target detail has its series, trend, milestones and responsible units', async () => {
        const t = assertOk(await c.city_lishui.get(`/api/v1/targets?plan_id=${plans['LS-2024-KJFN'].id}&indicator=tech_renovation_coverage`)).items[0];
        const d = assertOk(await c.city_lishui.get(`/api/v1/targets/${t.id}`));
        assert.equal(d.milestones.length, 1);
        assert.equal(d.milestones[0].year, 2024);
        assert.equal(d.milestones[0].value, 85);
        assert.ok(Array.isArray(d.series.points));
        assert.ok(d.units.includes('市经信局'));
        assert.equal(d.indicator.method, 'reported');
    });
});

describe('public view', () => {
    test('a plan marked public is readable without logging in; others are not', async () => {
        const ls = plans['LS-2024-KJFN'];
        const jx = plans['JX-2023-315'];
        const r = await request(srv.base, `/api/v1/public/plans/${ls.id}`);
        assert.equal(r.status, 200);
        assert.ok(r.json.targets.length >= 186, 'every target of the plan, in every county');
        assert.ok(r.json.tasks.length > 0);
        assertError(await request(srv.base, `/api/v1/public/plans/${jx.id}`), 404, 'not_found');
        const list = await request(srv.base, '/api/v1/public/plans');
        assert.deepEqual(list.json.items.map((p) => p.code), ['LS-2024-KJFN']);
        assertError(await c.county_nanhu.patch(`/api/v1/plans/${jx.id}`, { is_public: true }), 403, 'forbidden');
        assertError(await c.city_lishui.patch(`/api/v1/plans/${jx.id}`, { is_public: true }), 404, 'not_found');
        assertError(await c.city_jiaxing.patch(`/api/v1/plans/${jx.id}`, { is_public: 'yes' }), 422, 'wrong_type', 'is_public');
        const p = assertOk(await c.city_jiaxing.patch(`/api/v1/plans/${jx.id}`, { is_public: true }));
        assert.equal(p.is_public, true);
        const pub = await request(srv.base, `/api/v1/public/plans/${jx.id}`);
        assert.equal(pub.status, 200);
        assert.deepEqual(pub.json.requirements.map((x) => [x.code, x.attribute, x.comparator, x.value, x.unit]),
            [['S2.R1', 'rd_expense_revenue_ratio', '>', 5, '%']]);
    });

    test('a plan lists the rules it sets for single records (综合体 floor areas by level)', async () => {
        const tz = plans['TZ-2018-ZHT'];
        const p = assertOk(await c.admin.get(`/api/v1/plans/${tz.id}`));
        assert.deepEqual(p.requirements.map((x) => [x.task_code, x.subject, x.level, x.attribute, x.comparator, x.value, x.unit]), [
            ['T1', '产业创新服务综合体', 'county', 'floor_area', '>=', 2000, '平方米'],
            ['T1', '产业创新服务综合体', 'city', 'floor_area', '>=', 5000, '平方米'],
            ['T1', '产业创新服务综合体', 'province', 'floor_area', '>=', 10000, '平方米'],
        ]);
        assert.ok(p.requirements.every((x) => x.text.includes('场所面积一般不低于2000平方米')));
        assert.deepEqual(assertOk(await c.city_lishui.get(`/api/v1/plans/${plans['LS-2024-KJFN'].id}`)).requirements, []);
    });
});
