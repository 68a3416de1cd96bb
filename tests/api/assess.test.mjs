// assess.test.mjs — the county assessment (考核) API: scheme validation naming the field,
// versions, runs and re-runs that reproduce their scores, freezing at the cut-off, the
// XLSX and PDF downloads, and region scope.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, CJK, loginAs, runProgram, startServer, tempDir, which } from './harness.mjs';
import fs from 'node:fs';
import path from 'node:path';

let srv;
const c = {};
let work;

before(async () => {
    srv = await startServer();
    for (const u of ['admin', 'city_lishui', 'city_jiaxing', 'county_liandu', 'county_nanhu']) c[u] = await loginAs(srv, u);
    work = tempDir('kc-assess-');
});

after(async () => {
    if (srv) await srv.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
});

/* Today in Beijing time (YYYY-MM-DD). */
function today() {
    return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/* Two indicators of 丽水's county targets, best covered first. */
async function lishuiIndicators() {
    const r = assertOk(await c.city_lishui.get('/api/v1/assess/indicators?region_code=331100'));
    assert.ok(r.items.length >= 3, 'indicators of 丽水 targets');
    assert.ok(r.items[0].counties_with_targets >= 9, '丽水 has per-county targets');
    return r.items.map((i) => i.code);
}

let codes;
let schemeId;

describe('schemes', () => {
    test('validation names the field, in Chinese and English', async () => {
        codes = await lishuiIndicators();
        const base = { region_code: '331100', name: '测试考核方案' };
        const item = (code, weight, rule = 'ratio', extra = {}) => ({ indicator_code: code, weight, rule, ...extra });
        const post = (body, opts) => c.city_lishui.post('/api/v1/assess/schemes', body, opts);

        let e = assertError(await post({ ...base, items: [item(codes[0], 60), item(codes[1], 30)] }), 422, 'weights_sum', 'items');
        assert.match(e.message, /90/);
        e = assertError(await post({ ...base, items: [item(codes[0], 60), item(codes[1], 40.005)] }), 422, 'invalid_weight', 'items[1].weight');
        assert.match(e.message, /第 2 项指标/);
        assertError(await post({ ...base, items: [item(codes[0], 0), item(codes[1], 100)] }), 422, 'invalid_weight', 'items[0].weight');
        assertError(await post({ ...base, items: [item(codes[0], 50), item(codes[0], 50)] }), 422, 'duplicate_indicator', 'items[1].indicator_code');
        assertError(await post({ ...base, items: [item('no_such_indicator', 100)] }), 422, 'unknown_indicator', 'items[0].indicator_code');
        assertError(await post({ ...base, items: [item(codes[0], 100, 'average')] }), 422, 'invalid_value', 'items[0].rule');
        assertError(await post({ ...base, items: [item(codes[0], 100, 'ratio', { cap_pct: 250 })] }), 422, 'out_of_range', 'items[0].cap_pct');
        assertError(await post({ ...base, items: [item(codes[0], 100, 'linear', { floor_pct: 100 })] }), 422, 'out_of_range', 'items[0].floor_pct');
        assertError(await post({ ...base, items: [item(codes[0], 100, 'ratio', { bonus: 1 })] }), 422, 'unknown_field', 'items[0].bonus');
        assertError(await post({ ...base, items: [item(codes[0], '100')] }), 422, 'wrong_type', 'items[0].weight');
        assertError(await post({ ...base, items: [] }), 422, 'required', 'items');
        assertError(await post({ ...base, items: 'x' }), 422, 'wrong_type', 'items');
        assertError(await post({ ...base, items: [{ weight: 100, rule: 'rank' }] }), 422, 'required', 'items[0].indicator_code');
        assertError(await post({ name: 'x', items: [item(codes[0], 100)] }), 422, 'required', 'region_code');
        assertError(await post({ ...base, region_code: '331102', items: [item(codes[0], 100)] }), 422, 'not_a_city', 'region_code');
        assertError(await post({ ...base, region_code: '330400', items: [item(codes[0], 100)] }), 422, 'region_out_of_scope', 'region_code');
        assertError(await post({ ...base, colour: 'red', items: [item(codes[0], 100)] }), 422, 'unknown_field', 'colour');
        const bad = await c.city_lishui.req('POST', '/api/v1/assess/schemes', '{"name":', {});
        assertError(bad, 400, 'invalid_json', null);
        e = assertError(await post({ ...base, items: [item(codes[0], 60), item(codes[1], 30)] }, { lang: 'en' }), 422, 'weights_sum', 'items');
        assert.match(e.message, /sum to 100/);
        e = assertError(await post({ ...base, items: [item(codes[0], 100, 'ratio', { cap_pct: 99 })] }, { lang: 'en' }), 422, 'out_of_range', 'items[0].cap_pct');
        assert.match(e.message, /^Item 1: Cap/);
    });

    test('create, read, save a new version; old versions stay readable', async () => {
        const items = [
            { indicator_code: codes[0], weight: 40, rule: 'ratio' },
            { indicator_code: codes[1], weight: 35.5, rule: 'linear', floor_pct: 50 },
            { indicator_code: codes[2], weight: 24.5, rule: 'rank', min_pct: 60 },
        ];
        const s = assertOk(await c.city_lishui.post('/api/v1/assess/schemes', { region_code: '331100', name: '丽水测试方案', items }), 201);
        schemeId = s.id;
        assert.equal(s.version, 1);
        assert.equal(s.items.length, 3);
        assert.equal(s.items[1].weight, 35.5);
        assert.equal(s.items[1].floor_pct, 50);
        assert.equal(s.items[0].cap_pct, 120, 'default cap');
        assert.equal(s.items[2].min_pct, 60);
        assertError(await c.city_lishui.post('/api/v1/assess/schemes', { region_code: '331100', name: '丽水测试方案', items }), 409, 'conflict', 'name');

        const v2 = assertOk(await c.city_lishui.put(`/api/v1/assess/schemes/${schemeId}`, {
            name: '丽水测试方案', note: '权重调整', items: [{ indicator_code: codes[0], weight: 100, rule: 'ratio', cap_pct: 110 }],
        }));
        assert.equal(v2.version, 2);
        assert.equal(v2.items.length, 1);
        assert.equal(v2.versions.length, 2);
        const v1 = assertOk(await c.city_lishui.get(`/api/v1/assess/schemes/${schemeId}?version=1`));
        assert.equal(v1.shown_version, 1);
        assert.equal(v1.items.length, 3);
        assertError(await c.city_lishui.get(`/api/v1/assess/schemes/${schemeId}?version=9`), 404, 'not_found');
        assertError(await c.city_lishui.put(`/api/v1/assess/schemes/${schemeId}`, { name: 'x', items: [{ indicator_code: codes[0], weight: 50, rule: 'ratio' }] }), 422, 'weights_sum', 'items');

        const list = assertOk(await c.city_lishui.get('/api/v1/assess/schemes?q=丽水测试'));
        assert.equal(list.total, 1);
        assert.equal(list.items[0].version, 2);
        assert.equal(list.items[0].n_items, 1);
    });

    test('scope: other cities see nothing, counties see their city, only assess.run writes', async () => {
        assertError(await c.city_jiaxing.get(`/api/v1/assess/schemes/${schemeId}`), 404, 'not_found');
        assertError(await c.county_nanhu.get(`/api/v1/assess/schemes/${schemeId}`), 404, 'not_found');
        assertOk(await c.county_liandu.get(`/api/v1/assess/schemes/${schemeId}`));
        const jx = assertOk(await c.city_jiaxing.get('/api/v1/assess/schemes'));
        assert.ok(jx.items.every((s) => s.region_code === '330400'), 'jiaxing lists its own schemes only');
        assertError(await c.county_liandu.post('/api/v1/assess/schemes', { region_code: '331100', name: 'x', items: [] }), 403, 'forbidden');
        assertError(await c.county_liandu.put(`/api/v1/assess/schemes/${schemeId}`, { name: 'x', items: [] }), 403, 'forbidden');
        assertError(await c.city_jiaxing.put(`/api/v1/assess/schemes/${schemeId}`, { name: 'x', items: [{ indicator_code: codes[0], weight: 100, rule: 'rank' }] }), 404, 'not_found');
        assertError(await c.city_jiaxing.get('/api/v1/assess/indicators?region_code=331100'), 422, 'region_out_of_scope', 'region_code');
    });
});

describe('runs', () => {
    let runId;

    test('bad run input is refused, naming the field', async () => {
        const post = (body) => c.city_lishui.post('/api/v1/assess/runs', body);
        const y = Number(today().slice(0, 4));
        assertError(await post({ scheme_id: schemeId, year: y - 1 }), 422, 'required', 'cutoff');
        assertError(await post({ scheme_id: schemeId, year: y - 1, cutoff: '2099-01-01' }), 422, 'cutoff_future', 'cutoff');
        assertError(await post({ scheme_id: schemeId, year: y - 1, cutoff: `${y - 1}-13-01` }), 422, 'invalid_date', 'cutoff');
        assertError(await post({ scheme_id: schemeId, year: y - 1, cutoff: `${y - 2}-12-31` }), 422, 'cutoff_before_year', 'cutoff');
        assertError(await post({ scheme_id: schemeId, year: 1990, cutoff: today() }), 422, 'invalid_year', 'year');
        assertError(await post({ scheme_id: 999999, year: y - 1, cutoff: today() }), 422, 'invalid_value', 'scheme_id');
        assertError(await post({ scheme_id: schemeId, year: y - 1, cutoff: today(), version: 5 }), 422, 'invalid_value', 'version');
        assertError(await post({ scheme_id: 'x', year: y - 1, cutoff: today() }), 422, 'wrong_type', 'scheme_id');
        assertError(await c.city_jiaxing.post('/api/v1/assess/runs', { scheme_id: schemeId, year: y - 1, cutoff: today() }), 422, 'invalid_value', 'scheme_id');
        assertError(await c.county_liandu.post('/api/v1/assess/runs', { scheme_id: schemeId, year: y - 1, cutoff: today() }), 403, 'forbidden');
    });

    test('a run ranks every county; a re-run reproduces it exactly', async () => {
        const y = Number(today().slice(0, 4));
        const run = assertOk(await c.city_lishui.post('/api/v1/assess/runs', { scheme_id: schemeId, year: y - 1, cutoff: today(), version: 1 }), 201);
        runId = run.id;
        assert.equal(run.version, 1);
        assert.equal(run.n_counties, 9);
        assert.equal(run.counties.length, 9);
        assert.equal(run.items.length, 3);
        assert.ok(run.counties.some((k) => k.county_name === '莲都区'));
        const ranks = run.counties.map((k) => k.rank);
        assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'counties come in rank order');
        for (const k of run.counties) {
            assert.equal(k.scores.length, 3);
            const sum = k.scores.reduce((s, x) => s + Math.round(x.score * 100), 0);
            assert.equal(Math.round(k.total * 100), sum, `${k.county_name}: total is the sum of its scores`);
        }
        const again = assertOk(await c.city_lishui.post(`/api/v1/assess/runs/${runId}/rerun`, {}), 201);
        assert.equal(again.rerun_of, runId);
        assert.equal(again.identical, true);
        assert.equal(again.digest, run.digest);
        assert.deepEqual(again.counties, run.counties);

        const list = assertOk(await c.city_lishui.get(`/api/v1/assess/runs?scheme_id=${schemeId}`));
        assert.equal(list.total, 2);
        assertOk(await c.county_liandu.get(`/api/v1/assess/runs/${runId}`));
        assertError(await c.county_nanhu.get(`/api/v1/assess/runs/${runId}`), 404, 'not_found');
        assertError(await c.city_jiaxing.get(`/api/v1/assess/runs/${runId}/report`), 404, 'not_found');
        assertError(await c.city_jiaxing.post(`/api/v1/assess/runs/${runId}/rerun`, {}), 404, 'not_found');
    });

    test('XLSX export: one row per county and item', async () => {
        const r = await c.city_lishui.get(`/api/v1/assess/runs/${runId}/export`);
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type'), /spreadsheetml/);
        assert.equal(r.buf.subarray(0, 2).toString(), 'PK');
        const soffice = which('soffice') || which('libreoffice');
        if (!soffice) return;
        const file = path.join(work, 'run.xlsx');
        fs.writeFileSync(file, r.buf);
        const profile = tempDir('lo-profile-');
        try {
            const conv = await runProgram(soffice, [
                `-env:UserInstallation=file://${profile}`, '--headless', '--norestore',
                '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', work, file,
            ], { timeoutMs: 180000 });
            assert.equal(conv.code, 0, conv.stderr);
        } finally {
            fs.rmSync(profile, { recursive: true, force: true });
        }
        const csv = fs.readFileSync(path.join(work, 'run.csv'), 'utf8').replace(/^\uFEFF/, '');
        const lines = csv.trim().split('\n');
        assert.equal(lines.length, 1 + 9 * 3);
        assert.match(lines[0], /排名/);
        assert.match(csv, /莲都区/);
    });

    test('PDF report: Chinese county names and scores in the text', async (t) => {
        const r = await c.city_lishui.get(`/api/v1/assess/runs/${runId}/report`);
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-type'), 'application/pdf');
        assert.equal(r.buf.subarray(0, 5).toString(), '%PDF-');
        if (!which('pdftotext')) return t.skip('pdftotext missing');
        const file = path.join(work, 'run.pdf');
        fs.writeFileSync(file, r.buf);
        const out = await runProgram('pdftotext', ['-layout', file, '-']);
        assert.equal(out.code, 0, out.stderr);
        const run = assertOk(await c.city_lishui.get(`/api/v1/assess/runs/${runId}`));
        assert.match(out.stdout, /县\(市、区\)科技创新考核报告/);
        for (const k of run.counties) {
            assert.ok(out.stdout.includes(k.county_name), `${k.county_name} in the PDF`);
            assert.ok(out.stdout.includes(k.total.toFixed(2)), `${k.total.toFixed(2)} in the PDF`);
        }
        assert.ok(CJK.test(out.stdout));
        const en = await c.city_lishui.get(`/api/v1/assess/runs/${runId}/report`, { lang: 'en' });
        fs.writeFileSync(file, en.buf);
        const outEn = await runProgram('pdftotext', [file, '-']);
        assert.match(outEn.stdout, /Ranking/);
        assert.match(outEn.stdout, /莲都区/);
    });
});
