// points.test.mjs — the 创新积分 engine through the API: who may edit the configuration (a
// county officer gets 403, a city officer's save creates a new audited version, old ones
// kept), validation naming the field in the caller's language, the configuration in force
// per region, league tables with ranks and the top 5% / 5–10% / 10–20% bands at their edges
// (ties share a rank), region scope on the rows, the firm breakdown, and the export.
// Data: enterprises created here with 2014–2015 figures (years no demo firm uses).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, loginAs, makeUscc, startServer } from './harness.mjs';

let srv;
let admin;
let city;
let county;
let other;
const TAG = `积分测${Date.now() % 100000}`;
const firms = []; // {uscc, rd}

/* A small configuration: one stage, one percentile indicator on R&D staff. */
function testConfig(over = {}) {
    return {
        kind: 'points', schema: 1, id: 'test-league', title_zh: '测试积分',
        stages: [{ id: 'all', zh: '全部' }],
        groups: [{ id: 'g', zh: '指标' }],
        indicators: [{ id: 'rd_staff', group: 'g', measure: 'rd_staff', scoring: 'percentile', weights: { all: 100 } }],
        bands: [{ id: 'lead', zh: '创新领跑榜', top_percent: 5 }, { id: 'compete', zh: '创新竞跑榜', top_percent: 10 },
            { id: 'progress', zh: '创新进取榜', top_percent: 20 }],
        ...over,
    };
}

/* Creates an enterprise with 2014 and 2015 figures (rd R&D staff) through the API. */
async function addFirm(client, region, rd, name) {
    const uscc = makeUscc(region);
    assertOk(await client.post('/api/v1/enterprises', { uscc, name, region_code: region }), 201, 'create firm');
    for (const year of [2014, 2015]) {
        assertOk(await client.post(`/api/v1/enterprises/${uscc}/years`, {
            year, employees: 100, tech_staff: 50, rd_staff: rd, operating_revenue_fen: 3000000000,
        }), 201, 'add year');
    }
    return uscc;
}

before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
    city = await loginAs(srv, 'city_jiaxing');
    county = await loginAs(srv, 'county_nanhu');
    other = await loginAs(srv, 'city_taizhou');
    // R&D staff 20, 19, 18, 18, 16, 15 … 1: 20 firms, one tie at rank 3.
    const values = [20, 19, 18, 18, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    for (let i = 0; i < values.length; i++) {
        const uscc = await addFirm(city, '330411', values[i], `${TAG}-${String(i).padStart(2, '0')}有限公司`);
        firms.push({ uscc, rd: values[i] });
    }
});

after(async () => {
    if (srv) await srv.stop();
});

describe('创新积分 configuration', () => {
    test('the shipped configuration is in force and provisional until a city saves one', async () => {
        const r = assertOk(await county.get('/api/v1/points/config?region_code=330402'));
        assert.equal(r.source.version, 0);
        assert.equal(r.source.provisional, true);
        assert.match(r.source.provisional_text, /未核实/);
        assert.equal(r.config.kind, 'points');
        assert.equal(r.config.stages.length, 3);
        assert.deepEqual(r.config.stages.map((s) => s.zh), ['初创期', '成长期', '稳定期']);
        assert.ok(r.config.indicators.some((i) => i.local), 'a local add-on indicator');
        assert.ok(r.config.bonus.length > 0 && r.config.negative.length > 0);
        const d = assertOk(await county.get('/api/v1/points/dictionary'));
        assert.ok(d.measures.some((m) => m.id === 'rd_intensity' && m.unit === 'ratio'));
    });

    test('a county officer cannot save a configuration (403)', async () => {
        const r = await county.post('/api/v1/points/configs', { region_code: '330400', config: testConfig() });
        assertError(r, 403, 'forbidden');
    });

    test('a city officer saves new versions; old ones are kept and audited', async () => {
        const before = assertOk(await city.get('/api/v1/points/configs?region_code=330400'));
        const a = assertOk(await city.post('/api/v1/points/configs',
            { region_code: '330400', note: '第一版', config: testConfig() }), 201);
        assert.equal(a.version, before.total + 1);
        assert.equal(a.region_code, '330400');
        assert.equal(a.config.id, 'test-league');
        const b = assertOk(await city.post('/api/v1/points/configs',
            { region_code: '330400', note: '第二版', config: testConfig({ title_zh: '测试积分二' }) }), 201);
        assert.equal(b.version, a.version + 1);
        const list = assertOk(await city.get('/api/v1/points/configs?region_code=330400'));
        assert.equal(list.total, before.total + 2);
        assert.equal(list.items[0].version, b.version);
        const old = assertOk(await county.get(`/api/v1/points/configs/${a.id}`));
        assert.equal(old.config.title_zh, '测试积分', 'the old version is kept as it was');
        const inForce = assertOk(await county.get('/api/v1/points/config?region_code=330402'));
        assert.equal(inForce.source.version, b.version);
        assert.equal(inForce.config.title_zh, '测试积分二');
        const audit = assertOk(await admin.get(`/api/v1/audit?entity=points_config&entity_id=${b.id}`));
        assert.equal(audit.total, 1);
        assert.equal(audit.items[0].action, 'create');
        // Another city's officer does not see Jiaxing's versions.
        assertError(await other.get(`/api/v1/points/configs/${a.id}`), 404, 'not_found');
    });

    test('validation names the field, in Chinese or English', async () => {
        const bad = testConfig({ indicators: [{ ...testConfig().indicators[0], weights: { all: 90 } }] });
        const zh = assertError(await city.post('/api/v1/points/configs', { region_code: '330400', config: bad }),
            422, 'weights_sum', 'config.weights.all');
        assert.match(zh.message, /权重之和须为 100/);
        const en = assertError(await city.post('/api/v1/points/configs', { region_code: '330400', config: bad }, { lang: 'en' }),
            422, 'weights_sum', 'config.weights.all');
        assert.match(en.message, /must sum to 100/);
        const brackets = testConfig({
            indicators: [{ id: 'x', group: 'g', measure: 'rd_expense', scoring: 'brackets', weights: { all: 100 },
                brackets: [{ op: '>=', value: '4%', score: 100 }, { else: true, score: 0 }] }],
        });
        assertError(await city.post('/api/v1/points/configs', { region_code: '330400', config: brackets }),
            422, 'unit_mismatch', 'config.indicators[0].brackets[0].value');
        assertError(await city.post('/api/v1/points/configs', { region_code: '330400' }), 422, 'required', 'config');
        assertError(await city.post('/api/v1/points/configs', { region_code: '330400', config: 'x' }), 422, 'wrong_type', 'config');
        assertError(await city.post('/api/v1/points/configs', { region_code: '330400', config: testConfig(), extra: 1 }),
            422, 'unknown_field', 'extra');
        assertError(await city.post('/api/v1/points/configs', { region_code: '331000', config: testConfig() }),
            422, 'region_out_of_scope', 'region_code');
        assertError(await city.post('/api/v1/points/configs', { region_code: '330402', config: testConfig() }),
            422, 'invalid_region', 'region_code');
        assertError(await city.post('/api/v1/points/configs', '{"region_code":', { headers: { 'Content-Type': 'application/json' } }),
            400, 'invalid_json');
    });
});

describe('league tables', () => {
    test('ranks and bands at their edges (20 firms: 1 lead, 1 compete, ranks 3–4 progress; ties share)', async () => {
        const r = assertOk(await city.get(`/api/v1/points/league?region_code=330411&year=2015&q=${encodeURIComponent(TAG)}&page_size=50`));
        assert.equal(r.total, 20);
        assert.equal(r.year, 2015);
        assert.equal(r.stages[0].ranked, 20);
        const byRd = new Map(firms.map((f) => [f.uscc, f.rd]));
        const rows = r.items.map((i) => ({ rd: byRd.get(i.uscc), rank: i.rank, band: i.band, total: i.total }));
        assert.deepEqual(rows.slice(0, 6).map((x) => [x.rd, x.rank, x.band]), [
            [20, 1, 'lead'], [19, 2, 'compete'], [18, 3, 'progress'], [18, 3, 'progress'], [16, 5, null], [15, 6, null],
        ]);
        for (const x of rows.slice(4)) assert.equal(x.band, null, `rank ${x.rank} is outside the top 20%`);
        // The mid-rank percentile: the best of 20 scores 100 → 100 points; the worst 0.
        assert.equal(rows[0].total, 100);
        assert.equal(rows[19].total, 0);
        assert.deepEqual(r.stages[0].bands, { lead: 1, compete: 1, progress: 2 });
        const only = assertOk(await city.get(`/api/v1/points/league?region_code=330411&year=2015&band=progress&q=${encodeURIComponent(TAG)}`));
        assert.equal(only.total, 2);
        const any = assertOk(await city.get(`/api/v1/points/league?region_code=330411&year=2015&band=any&q=${encodeURIComponent(TAG)}`));
        assert.equal(any.total, 4);
    });

    test('rows follow the region scope; ranks stay those of the whole league', async () => {
        const r = assertOk(await county.get('/api/v1/points/league?region_code=330411&year=2015'));
        assert.equal(r.total, 0, 'a Nanhu officer sees no Xiuzhou firm');
        assert.equal(r.stages[0].ranked, 20);
        assertError(await city.get('/api/v1/points/league?region_code=330000&year=2015'), 422, 'league_region', 'region_code');
        assertError(await city.get('/api/v1/points/league?region_code=330411&year=2015&stage=nope'), 422, 'invalid_stage', 'stage');
        assertError(await city.get('/api/v1/points/league?region_code=330411&year=1800'), 422, 'invalid_year', 'year');
        assertError(await city.get('/api/v1/points/league?region_code=999999'), 422, 'invalid_region', 'region_code');
    });

    test('a firm breakdown lists every indicator with value, percentile, score, weight and points', async () => {
        const top = firms[0];
        const r = assertOk(await city.get(`/api/v1/points/firms/${top.uscc}?year=2015`));
        assert.equal(r.city_league.rank, 1);
        assert.equal(r.city_league.band, 'lead');
        assert.equal(r.city_league.band_label, '创新领跑榜');
        const ind = r.points.indicators[0];
        assert.equal(ind.id, 'rd_staff');
        assert.equal(ind.value, '20');
        assert.deepEqual(ind.percentile, { below: 19, ties: 1, cohort: 20, direction: 'higher' });
        assert.equal(ind.score, 100);
        assert.equal(ind.weight, 100);
        assert.equal(ind.points, 100);
        assert.equal(r.points.total, 100);
        const tie = assertOk(await city.get(`/api/v1/points/firms/${firms[2].uscc}?year=2015`));
        assert.deepEqual(tie.points.indicators[0].percentile, { below: 16, ties: 2, cohort: 20, direction: 'higher' });
        assert.equal(tie.points.indicators[0].score, 86.84); // (2·16 + 2 − 1) / 38 = 86.842…, truncated
        assertError(await county.get(`/api/v1/points/firms/${top.uscc}?year=2015`), 404, 'not_found');
        assertError(await city.get(`/api/v1/points/firms/${top.uscc}?year=2020`), 422, 'no_year_data', 'year');
    });

    test('the export has the API rows (CSV and XLSX)', async () => {
        const q = `region_code=330411&year=2015&q=${encodeURIComponent(TAG)}`;
        const api = assertOk(await city.get(`/api/v1/points/league?${q}&page_size=50`));
        const csv = await city.get(`/api/v1/points/league/export?${q}&format=csv`);
        assert.equal(csv.status, 200);
        assert.match(csv.headers.get('content-type'), /text\/csv/);
        const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r\n/);
        assert.match(lines[0], /^发展阶段,排名,/);
        assert.equal(lines.length, api.total + 1);
        for (let i = 0; i < api.items.length; i++) {
            const cells = lines[i + 1].split(',');
            assert.equal(cells[1], String(api.items[i].rank));
            assert.equal(cells[4], api.items[i].name);
            assert.equal(cells[5], api.items[i].uscc);
            assert.equal(Number(cells[7]), api.items[i].total);
        }
        const x = await city.get(`/api/v1/points/league/export?${q}`);
        assert.equal(x.status, 200);
        assert.equal(x.buf.subarray(0, 2).toString('latin1'), 'PK');
        assertError(await city.get(`/api/v1/points/league/export?${q}&format=pdf`), 422, 'invalid_value', 'format');
    });
});
