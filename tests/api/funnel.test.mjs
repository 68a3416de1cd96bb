// funnel.test.mjs — the ladder funnel through the API: certificate counts per stage equal a
// direct SQL count on the database (demo data plus firms made here), for the default year
// and for 2018 with certificates that start, expire and never expire around the date; the
// chosen date moves them; child regions add up to the total; computed verdicts equal the
// per-firm self-assessments of the enterprise API; every drill-down list has exactly as
// many firms as its number; scope and bad parameters.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, findDb, loginAs, makeUscc, runProgram, startServer, which } from './harness.mjs';

let srv;
let city;
let county;
const SQLITE = which('sqlite3');
const TAG = `漏斗测${Date.now() % 100000}`;
const F = {};

/* Creates a firm (tsme declarations), an optional 2018 year and certificates. */
async function addFirm(key, region, year, certs = []) {
    const uscc = makeUscc(region);
    assertOk(await city.post('/api/v1/enterprises', {
        uscc, name: `${TAG}${key}有限公司`, region_code: region, not_restricted_industry: true,
        no_major_incident: true, not_on_abnormal_list: true, national_award_top3_5y: false,
        provincial_rd_institution: false, led_standard_5y: false,
    }), 201, `create ${key}`);
    if (year) assertOk(await city.post(`/api/v1/enterprises/${uscc}/years`, year), 201, `year of ${key}`);
    for (const c of certs) assertOk(await city.post('/api/v1/certifications', { uscc, ...c }), 201, `cert of ${key}`);
    F[key] = uscc;
}

/* A 2018 year passing tsme-2017 with 100 points (or failing with 46 when weak). */
function y2018(weak = false) {
    return {
        year: 2018, employees: 100, tech_staff: weak ? 15 : 30, rd_staff: 0, sales_revenue_fen: 5000000000,
        cost_expense_total_fen: 4500000000, total_assets_fen: 5000000000,
        rd_expense_fen: (weak ? 150 : 300) * 1000000, ip_class1: weak ? 0 : 1, ip_class2: 3,
    };
}

/* Runs SQL on the server's database with the sqlite3 shell; returns the rows as arrays. */
async function sql(query) {
    const r = await runProgram(SQLITE, ['-readonly', '-separator', '\t', findDb(srv.dataDir), query]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
}

/* Certificate holders per stage valid on date in a region prefix, counted by SQL. */
async function sqlCounts(prefix, date) {
    const rows = await sql(`SELECT k.stage, count(DISTINCT c.org_id) FROM certifications c
        JOIN cert_kinds k ON k.code = c.kind JOIN orgs o ON o.id = c.org_id
        WHERE k.stage IS NOT NULL AND o.kind = 'enterprise' AND o.region_code LIKE '${prefix}%'
        AND c.status = 'verified' AND c.issued_on <= '${date}' AND (c.valid_to IS NULL OR c.valid_to >= '${date}') GROUP BY k.stage`);
    return Object.fromEntries(rows.map(([s, n]) => [Number(s), Number(n)]));
}

before(async () => {
    srv = await startServer();
    city = await loginAs(srv, 'city_jiaxing');
    county = await loginAs(srv, 'county_nanhu');
    await addFirm('T', '330402', y2018(), [{ kind: 'tsme', number: `2018330402A${Date.now() % 10000}`, issued_on: '2018-03-01' }]);
    await addFirm('H', '330402', y2018(true), [{ kind: 'hnte', number: `GR2016330${String(Date.now() % 100000).padStart(5, '0')}`, issued_on: '2016-12-01' }]);
    await addFirm('E', '330411', null, [{ kind: 'hnte', number: `GR2015330${String((Date.now() + 7) % 100000).padStart(5, '0')}`, issued_on: '2015-11-01' }]);
    await addFirm('G', '330402', null, [{ kind: 'sci_little_giant', number: `嘉科小巨人${Date.now() % 10000}`, issued_on: '2018-01-01' }]);
});

after(async () => {
    if (srv) await srv.stop();
});

describe('ladder funnel', () => {
    test('certificate counts equal a direct SQL count (default year and 2018)', { skip: !SQLITE && 'sqlite3 not installed' }, async () => {
        const d = assertOk(await city.get('/api/v1/ladder/funnel?region_code=330400'));
        assert.match(d.date, /^\d{4}-12-31$/);
        assert.equal(d.stages.length, 4);
        assert.deepEqual(d.stages.map((s) => s.name), ['科技型中小企业', '高新技术企业', '科技小巨人企业', '科技领军企业']);
        const want = await sqlCounts('3304', d.date);
        for (const s of d.stages) assert.equal(s.cert, want[s.stage] || 0, `stage ${s.stage} on ${d.date}`);
        const f = assertOk(await city.get('/api/v1/ladder/funnel?region_code=330400&year=2018'));
        const want18 = await sqlCounts('3304', '2018-12-31');
        for (const s of f.stages) assert.equal(s.cert, want18[s.stage] || 0, `stage ${s.stage} on 2018-12-31`);
        assert.ok(f.stages[0].cert >= 1 && f.stages[1].cert >= 1 && f.stages[2].cert >= 1);
        // The expired HNTE (valid to 2018-10-31) counts on a chosen earlier date only.
        const mid = assertOk(await city.get('/api/v1/ladder/funnel?region_code=330400&year=2018&date=2018-06-30'));
        const wantMid = await sqlCounts('3304', '2018-06-30');
        for (const s of mid.stages) assert.equal(s.cert, wantMid[s.stage] || 0, `stage ${s.stage} on 2018-06-30`);
        const all = assertOk(await city.get('/api/v1/ladder/funnel/firms?region_code=330400&year=2018&date=2018-06-30&stage=2&basis=cert&page_size=200'));
        assert.ok(all.items.some((i) => i.uscc === F.E));
        const dec = assertOk(await city.get('/api/v1/ladder/funnel/firms?region_code=330400&year=2018&stage=2&basis=cert&page_size=200'));
        assert.ok(!dec.items.some((i) => i.uscc === F.E), 'expired on 2018-10-31');
        assert.ok(dec.items.some((i) => i.uscc === F.H));
    });

    test('child regions add up; county officers see their county', async () => {
        const f = assertOk(await city.get('/api/v1/ladder/funnel?region_code=330400&year=2018'));
        assert.ok(f.children.some((c) => c.region_code === '330402' && c.region_name === '南湖区'));
        for (let i = 0; i < f.stages.length; i++) {
            const sum = f.children.reduce((n, c) => n + c.stages[i].cert, 0);
            assert.equal(sum, f.stages[i].cert, `children of stage ${f.stages[i].stage}`);
            if (f.stages[i].verdict !== null) {
                const vs = f.children.reduce((n, c) => n + c.stages[i].verdict, 0);
                assert.equal(vs, f.stages[i].verdict);
            }
        }
        const mine = assertOk(await county.get('/api/v1/ladder/funnel?year=2018'));
        assert.equal(mine.region_code, '330402');
        const nanhu = f.children.find((c) => c.region_code === '330402');
        assert.deepEqual(mine.stages.map((s) => s.cert), nanhu.stages.map((s) => s.cert));
        const outside = assertOk(await county.get('/api/v1/ladder/funnel?region_code=330411&year=2018'));
        assert.deepEqual(outside.stages.map((s) => s.cert), [0, 0, 0, 0]);
        const ent = await loginAs(srv, 'ent_nanhu');
        assertOk(await ent.get('/api/v1/ladder/funnel?year=2018'));
    });

    test('verdict counts equal the self-assessments of every firm with data that year', async () => {
        const f = assertOk(await county.get('/api/v1/ladder/funnel?year=2018'));
        assert.equal(f.stages[0].rule, 'tsme-2017');
        assert.equal(f.stages[1].rule, 'hnte-2016');
        assert.equal(f.stages[1].pre_assessment, true);
        assert.equal(f.stages[2].verdict, null, '科技小巨人 has no computed verdict');
        const ents = await county.all('/api/v1/enterprises?region_code=330402');
        let pass = 0, evaluated = 0;
        for (const e of ents.items) {
            const a = await county.get(`/api/v1/enterprises/${e.uscc}/assessments?rule=tsme&year=2018`);
            if (a.status !== 200 || !a.json.items.length || a.json.year !== 2018) continue;
            const yrs = a.json.years_available || [];
            if (!yrs.includes(2018)) continue;
            evaluated++;
            if (a.json.items[0].verdict === 'pass') pass++;
        }
        assert.equal(f.stages[0].evaluated, evaluated);
        assert.equal(f.stages[0].verdict_pass, pass);
        assert.ok(pass >= 1, 'firm T passes tsme in 2018');
        const list = assertOk(await county.get('/api/v1/ladder/funnel/firms?year=2018&stage=1&basis=verdict&page_size=200'));
        assert.equal(list.total, f.stages[0].verdict);
        const t = list.items.find((i) => i.uscc === F.T);
        assert.equal(t.verdict, 'pass');
        assert.equal(t.has_cert, true);
        assert.equal(t.score_max, 100);
    });

    test('every drill-down list has as many firms as its number', async () => {
        const f = assertOk(await city.get('/api/v1/ladder/funnel?region_code=330400&year=2018'));
        for (const s of f.stages) {
            const c = assertOk(await city.get(`/api/v1/ladder/funnel/firms?region_code=330400&year=2018&stage=${s.stage}&basis=cert&page_size=1`));
            assert.equal(c.total, s.cert, `cert stage ${s.stage}`);
            if (s.verdict === null) {
                assertError(await city.get(`/api/v1/ladder/funnel/firms?region_code=330400&year=2018&stage=${s.stage}&basis=verdict`),
                    422, 'no_rule_for_stage', 'stage');
                continue;
            }
            const v = assertOk(await city.get(`/api/v1/ladder/funnel/firms?region_code=330400&year=2018&stage=${s.stage}&basis=verdict&page_size=1`));
            assert.equal(v.total, s.verdict, `verdict stage ${s.stage}`);
        }
        const csv = await city.get('/api/v1/ladder/funnel/firms/export?region_code=330400&year=2018&stage=2&basis=cert&format=csv');
        assert.equal(csv.status, 200);
        const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r\n/);
        assert.equal(lines.length, f.stages[1].cert + 1);
        const x = await city.get('/api/v1/ladder/funnel/firms/export?region_code=330400&year=2018&stage=2&basis=verdict');
        assert.equal(x.status, 200);
        assert.equal(x.buf.subarray(0, 2).toString('latin1'), 'PK');
    });

    test('bad parameters name the field', async () => {
        assertError(await city.get('/api/v1/ladder/funnel?year=abc'), 422, 'invalid_year', 'year');
        assertError(await city.get('/api/v1/ladder/funnel?date=2018-02-30'), 422, 'invalid_date', 'date');
        assertError(await city.get('/api/v1/ladder/funnel?region_code=123'), 422, 'invalid_region', 'region_code');
        assertError(await city.get('/api/v1/ladder/funnel/firms?basis=cert'), 422, 'required', 'stage');
        assertError(await city.get('/api/v1/ladder/funnel/firms?stage=9'), 422, 'invalid_stage', 'stage');
        assertError(await city.get('/api/v1/ladder/funnel/firms?stage=1&basis=x'), 422, 'invalid_value', 'basis');
        const en = assertError(await city.get('/api/v1/ladder/funnel?date=x', { lang: 'en' }), 422, 'invalid_date', 'date');
        assert.match(en.message, /YYYY-MM-DD/);
    });
});
