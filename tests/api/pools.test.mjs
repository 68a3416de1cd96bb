// pools.test.mjs — cultivation pools (培育库) through the API, with tsme-2017 firms built
// here (2018 figures, a year before the demo data; names tagged so demo firms never mix in):
// a firm failing by one condition is in the pool, one failing by two is not until the
// region's margin allows two, one failing by two conditions both within the margin is in
// as "margin"; passing firms are never in; the county officer sees only the county; the
// list is sorted by the gap; the margin settings are edited only with rule.write (audited);
// the XLSX and CSV exports hold the API rows.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, loginAs, makeUscc, runProgram, startServer, tempDir, which } from './harness.mjs';

let srv;
let admin;
let city;
let county;
let work;
const TAG = `池测${Date.now() % 100000}`;
const F = {}; // name → uscc
const SOFFICE = which('soffice') || which('libreoffice');

/* tsme-2017 figures for 2018: employees, tech staff, R&D (万元), Ⅰ类 and Ⅱ类 IP. Sales ¥50M,
 * costs ¥45M (so the R&D / cost ratio never beats R&D / sales), assets ¥50M. */
function year2018({ emp, tech, rdWan, ip1 = 0, ip2 = 0 }) {
    return {
        year: 2018, employees: emp, tech_staff: tech, rd_staff: 0, sales_revenue_fen: 5000000000,
        cost_expense_total_fen: 4500000000, total_assets_fen: 5000000000,
        rd_expense_fen: rdWan * 1000000, ip_class1: ip1, ip_class2: ip2,
    };
}

/* Creates a firm with the declarations tsme needs and one year. */
async function addFirm(key, region, y) {
    const uscc = makeUscc(region);
    assertOk(await city.post('/api/v1/enterprises', {
        uscc, name: `${TAG}${key}有限公司`, region_code: region, not_restricted_industry: true,
        no_major_incident: true, not_on_abnormal_list: true, national_award_top3_5y: false,
        provincial_rd_institution: false, led_standard_5y: false,
    }), 201, `create ${key}`);
    assertOk(await city.post(`/api/v1/enterprises/${uscc}/years`, y), 201, `year of ${key}`);
    F[key] = uscc;
}

const POOL = (extra = '') => `/api/v1/ladder/pools?family=tsme&year=2018&q=${encodeURIComponent(TAG)}&page_size=100${extra}`;

before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
    city = await loginAs(srv, 'city_jiaxing');
    county = await loginAs(srv, 'county_nanhu');
    work = tempDir('kc-pools-');
    await addFirm('PASS', '330402', year2018({ emp: 100, tech: 30, rdWan: 300, ip1: 1 })); // 20 + 50 + 30
    await addFirm('A', '330402', year2018({ emp: 100, tech: 15, rdWan: 150, ip2: 3 })); // 8 + 20 + 18 = 46
    await addFirm('A2', '330402', year2018({ emp: 100, tech: 20, rdWan: 150, ip2: 3 })); // 12 + 20 + 18 = 50
    await addFirm('B', '330402', year2018({ emp: 600, tech: 90, rdWan: 150, ip2: 3 })); // > 500 staff, 46
    await addFirm('D', '330402', year2018({ emp: 520, tech: 78, rdWan: 200, ip2: 3 })); // 520 ≤ 550, 8 + 30 + 18 = 56
    await addFirm('X', '330411', year2018({ emp: 100, tech: 15, rdWan: 150, ip2: 3 })); // as A, in Xiuzhou
});

after(async () => {
    if (srv) await srv.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
});

/* Parses CSV text (RFC 4180: quotes, doubled quotes, newlines inside quotes) into rows. */
function parseCsv(text) {
    const rows = [];
    let row = [];
    let field = '';
    let q = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (q) {
            if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') q = false;
            else field += ch;
        } else if (ch === '"') q = true;
        else if (ch === ',') { row.push(field); field = ''; }
        else if (ch === '\n' || ch === '\r') {
            if (ch === '\r' && text[i + 1] === '\n') i++;
            row.push(field); rows.push(row); row = []; field = '';
        } else field += ch;
    }
    if (field !== '' || row.length) { row.push(field); rows.push(row); }
    return rows.filter((r) => r.some((f) => f !== ''));
}

/* The tagged firm keys in a pool answer. */
function keys(r) {
    const byUscc = Object.fromEntries(Object.entries(F).map(([k, u]) => [u, k]));
    return r.items.map((i) => byUscc[i.uscc]).filter(Boolean);
}

describe('cultivation pool', () => {
    test('one failing condition is in; two are not; within the margin is in; passing never', async () => {
        const r = assertOk(await city.get(POOL('&region_code=330400')));
        assert.deepEqual(keys(r).sort(), ['A', 'A2', 'D', 'X']);
        const a = r.items.find((i) => i.uscc === F.A);
        assert.equal(a.rule, 'tsme-2017');
        assert.equal(a.year, 2018);
        assert.equal(a.verdict, 'fail');
        assert.equal(a.score_max, 46);
        assert.equal(a.failed, 1);
        assert.equal(a.reason, 'one_condition');
        assert.match(a.failed_conditions, /综合评价得分/);
        assert.match(a.gap, /合计最少需要/);
        assert.ok(a.fixable);
        assert.ok(a.money_fen > 0 || a.persons > 0);
        const d = r.items.find((i) => i.uscc === F.D);
        assert.equal(d.failed, 2);
        assert.equal(d.reason, 'margin');
        assert.equal(r.margin.max_failed, 1);
        assert.equal(r.margin.margin_pct, 10);
        const margin = assertOk(await city.get(POOL('&region_code=330400&reason=margin')));
        assert.deepEqual(keys(margin), ['D']);
    });

    test('sorted by the size of the gap (smallest change first), other sorts too', async () => {
        const r = assertOk(await city.get(POOL('&region_code=330400')));
        const costs = r.items.filter((i) => i.gap_cost_fen !== null).map((i) => i.gap_cost_fen);
        assert.deepEqual(costs, [...costs].sort((x, y) => x - y));
        const a = r.items.findIndex((i) => i.uscc === F.A), a2 = r.items.findIndex((i) => i.uscc === F.A2);
        assert.ok(a2 < a, 'A2 (50 points) is nearer than A (46 points)');
        const byName = assertOk(await city.get(POOL('&region_code=330400&sort=-name')));
        const names = byName.items.map((i) => i.name);
        assert.deepEqual(names, [...names].sort().reverse());
        assertError(await city.get(POOL('&sort=nope')), 422, 'invalid_value', 'sort');
        const p1 = assertOk(await city.get(POOL('&region_code=330400').replace('page_size=100', 'page_size=2')));
        assert.equal(p1.items.length, 2);
        assert.equal(p1.total, 4);
    });

    test('a county officer sees the county only; an enterprise nothing of others', async () => {
        const r = assertOk(await county.get(POOL('')));
        assert.deepEqual(keys(r).sort(), ['A', 'A2', 'D']);
        const x = assertOk(await county.get(POOL('&region_code=330411')));
        assert.equal(x.total, 0);
        const ent = await loginAs(srv, 'ent_nanhu');
        const e = assertOk(await ent.get(POOL('')));
        assert.deepEqual(keys(e), []);
        assertError(await city.get('/api/v1/ladder/pools?family=nope'), 422, 'unknown_family', 'family');
        assertError(await city.get('/api/v1/ladder/pools?family=tsme&region_code=12'), 422, 'invalid_region', 'region_code');
        assertError(await city.get('/api/v1/ladder/pools?family=tsme&year=20x5'), 422, 'invalid_year', 'year');
    });

    test('margin settings: rule.write only, per region and family, audited, inherited', async () => {
        const body = { region_code: '330402', family: 'tsme', max_failed: 2, margin_pct: 10, score_margin: 5 };
        assertError(await county.put('/api/v1/ladder/pool-margins', body), 403, 'forbidden');
        const saved = assertOk(await city.put('/api/v1/ladder/pool-margins', body));
        assert.equal(saved.max_failed, 2);
        let r = assertOk(await city.get(POOL('&region_code=330400')));
        assert.deepEqual(keys(r).sort(), ['A', 'A2', 'B', 'D', 'X'], 'B (two conditions, Nanhu) is in now');
        assert.equal(r.items.find((i) => i.uscc === F.B).reason, 'one_condition');
        const m = assertOk(await county.get('/api/v1/ladder/pool-margins?region_code=330402'));
        assert.ok(m.rows.some((x) => x.region_code === '330402' && x.family === 'tsme' && x.max_failed === 2));
        assert.equal(m.effective.find((x) => x.family === 'tsme').from_region, '330402');
        assert.equal(m.effective.find((x) => x.family === 'hnte').from_region, null);
        const audit = assertOk(await admin.get('/api/v1/audit?entity=pool_margin'));
        assert.ok(audit.total >= 1);
        // The margin percentage: 0 % takes D (520 staff) out.
        assertOk(await city.put('/api/v1/ladder/pool-margins', { ...body, max_failed: 1, margin_pct: 0 }));
        r = assertOk(await city.get(POOL('&region_code=330400')));
        assert.deepEqual(keys(r).sort(), ['A', 'A2', 'X']);
        assertOk(await city.del('/api/v1/ladder/pool-margins?region_code=330402&family=tsme'));
        r = assertOk(await city.get(POOL('&region_code=330400')));
        assert.deepEqual(keys(r).sort(), ['A', 'A2', 'D', 'X']);
        assertError(await city.del('/api/v1/ladder/pool-margins?region_code=330402&family=tsme'), 404, 'not_found');
        assertError(await city.put('/api/v1/ladder/pool-margins', { ...body, max_failed: 9 }), 422, 'out_of_range', 'max_failed');
        assertError(await city.put('/api/v1/ladder/pool-margins', { ...body, family: 'nope' }), 422, 'unknown_family', 'family');
        assertError(await city.put('/api/v1/ladder/pool-margins', { ...body, region_code: '331002' }), 422, 'region_out_of_scope', 'region_code');
        assertError(await city.put('/api/v1/ladder/pool-margins', { ...body, margin_pct: '5' }), 422, 'wrong_type', 'margin_pct');
        const en = assertError(await city.put('/api/v1/ladder/pool-margins', { ...body, score_margin: 99 }, { lang: 'en' }),
            422, 'out_of_range', 'score_margin');
        assert.match(en.message, /out of range/);
    });

    test('CSV export holds the API rows', async () => {
        const api = assertOk(await city.get(POOL('&region_code=330400')));
        const csv = await city.get(`/api/v1/ladder/pools/export?family=tsme&year=2018&region_code=330400&q=${encodeURIComponent(TAG)}&format=csv`);
        assert.equal(csv.status, 200);
        assert.match(csv.headers.get('content-disposition'), /pool-tsme-330400\.csv/);
        const rows = parseCsv(csv.text.replace(/^\uFEFF/, ''));
        assert.equal(rows.length, api.total + 1);
        assert.deepEqual(rows[0].slice(0, 2), ['企业名称', '统一社会信用代码']);
        for (let i = 0; i < api.items.length; i++) {
            const cells = rows[i + 1];
            assert.equal(cells[0], api.items[i].name);
            assert.equal(cells[1], api.items[i].uscc);
            assert.equal(Number(cells[9]), api.items[i].money_fen);
            assert.equal(cells[12], api.items[i].gap);
        }
    });

    test('XLSX export opened by LibreOffice holds the API rows', { skip: !SOFFICE && 'LibreOffice not installed' }, async () => {
        const api = assertOk(await county.get(POOL('')));
        const x = await county.get(`/api/v1/ladder/pools/export?family=tsme&year=2018&q=${encodeURIComponent(TAG)}`);
        assert.equal(x.status, 200);
        assert.equal(x.buf.subarray(0, 2).toString('latin1'), 'PK');
        const file = path.join(work, 'pool.xlsx');
        fs.writeFileSync(file, x.buf);
        const profile = tempDir('lo-profile-');
        try {
            const r = await runProgram(SOFFICE, [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore',
                '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', work, file], { timeoutMs: 180000 });
            const out = path.join(work, 'pool.csv');
            assert.ok(fs.existsSync(out), `LibreOffice did not convert: ${r.stdout} ${r.stderr}`);
            const rows = parseCsv(fs.readFileSync(out, 'utf8').replace(/^\uFEFF/, ''));
            assert.equal(rows.length, api.total + 1);
            for (let i = 0; i < api.items.length; i++) {
                assert.equal(rows[i + 1][0], api.items[i].name);
                assert.equal(rows[i + 1][1], api.items[i].uscc);
                assert.equal(Number(rows[i + 1][9]), api.items[i].money_fen);
            }
        } finally {
            fs.rmSync(profile, { recursive: true, force: true });
        }
    });
});
