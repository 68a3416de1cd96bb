// ladder.test.mjs — enterprises and their yearly records (docs/api-ladder.md): region
// scope (county 330402 vs 330411, an enterprise sees only itself, 404 outside scope),
// bad input as 422 naming the field, the draft → submitted → verified life cycle with the
// verification lock and officer revisions, the audit trail, and the assessments endpoint.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, badUscc, CJK, loginAs, makeUscc, startServer } from './harness.mjs';

let srv;
let admin, cityJx, cityTz, nanhu, xiuzhou, entNanhu, entXiuzhou, entNanhuEn;
let firmA; // created by county_nanhu in 330402
let ownUscc; // ent_nanhu's own enterprise

before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
    cityJx = await loginAs(srv, 'city_jiaxing');
    cityTz = await loginAs(srv, 'city_taizhou');
    nanhu = await loginAs(srv, 'county_nanhu');
    xiuzhou = await loginAs(srv, 'county_xiuzhou');
    entNanhu = await loginAs(srv, 'ent_nanhu');
    entXiuzhou = await loginAs(srv, 'ent_xiuzhou');
    entNanhuEn = await loginAs(srv, 'ent_nanhu', { lang: 'en' });
});

after(async () => {
    if (srv) await srv.stop();
});

/* A complete, consistent year of data (8 of 90 staff in technology: short of HNTE's 10%). */
function yearData(year, over = {}) {
    return {
        year,
        employees: 90, tech_staff: 8, rd_staff: 6,
        sales_revenue_fen: 40_000_000_00, main_business_revenue_fen: 38_000_000_00,
        operating_revenue_fen: 40_000_000_00, total_income_fen: 41_000_000_00,
        hightech_revenue_fen: 30_000_000_00,
        rd_expense_fen: 2_000_000_00, rd_expense_domestic_fen: 2_000_000_00,
        cost_expense_total_fen: 35_000_000_00,
        total_assets_fen: 50_000_000_00, total_liabilities_fen: 20_000_000_00,
        net_profit_fen: 3_000_000_00,
        ip_class1: 3, ip_class1_self_developed: 3, ip_class1_high_value: 1, ip_class2: 8,
        conversions: 4, equity_financing_fen: 0,
        ...over,
    };
}

const profile = {
    registered_on: '2012-03-15', hightech_field: '先进制造与自动化',
    national_award_top3_5y: false, provincial_award_top3_3y: false, sci_award_3y: false,
    provincial_rd_institution: false, led_standard_5y: false, no_major_incident: true,
    not_on_abnormal_list: true, not_restricted_industry: true, strategic_emerging_industry: true,
    niche_years: 6.5,
};

describe('enterprises: create, read, scope', () => {
    test('a county officer creates an enterprise in its county with a profile', async () => {
        const uscc = makeUscc('330402');
        const r = await nanhu.post('/api/v1/enterprises', {
            uscc, name: '嘉兴梯度测试机械有限公司', region_code: '330402', industry_code: 'C34',
            ...profile,
        });
        firmA = assertOk(r, 201);
        assert.equal(firmA.uscc, uscc);
        assert.equal(firmA.region_code, '330402');
        assert.equal(firmA.no_major_incident, true);
        assert.equal(firmA.led_standard_5y, false);
        assert.equal(firmA.niche_years, 6.5);
        assert.equal(firmA.hightech_field, '先进制造与自动化');
        assert.equal(firmA.has_ip_title, null, 'an extension field never given reads null');
        assert.deepEqual(firmA.certifications, []);
    });

    test('create refuses bad input with the field named', async () => {
        assertError(await nanhu.post('/api/v1/enterprises', { uscc: badUscc('330402'), name: '坏码企业', region_code: '330402' }),
            422, 'invalid_uscc', 'uscc');
        assertError(await nanhu.post('/api/v1/enterprises', { uscc: makeUscc('330411'), name: '越界企业', region_code: '330411' }),
            422, 'region_out_of_scope', 'region_code');
        assertError(await nanhu.post('/api/v1/enterprises', { uscc: makeUscc(), name: '日期企业', region_code: '330402', registered_on: '2023-02-30' }),
            422, 'invalid_date', 'registered_on');
        assertError(await nanhu.post('/api/v1/enterprises', { uscc: makeUscc(), name: '领域企业', region_code: '330402', hightech_field: '制造' }),
            422, 'invalid_hightech_field', 'hightech_field');
        assertError(await nanhu.post('/api/v1/enterprises', { uscc: makeUscc(), name: '布尔企业', region_code: '330402', sci_award_3y: 'yes' }),
            422, 'wrong_type', 'sci_award_3y');
        assertError(await nanhu.post('/api/v1/enterprises', { uscc: makeUscc(), name: '等级企业', region_code: '330402', chain_role: 3 }),
            422, 'out_of_range', 'chain_role');
        assertError(await nanhu.post('/api/v1/enterprises', { uscc: firmA.uscc, name: '重复企业', region_code: '330402' }),
            409, 'conflict', 'uscc');
        assertError(await entNanhu.post('/api/v1/enterprises', { uscc: makeUscc(), name: '企业自建', region_code: '330402' }),
            403, 'forbidden');
        assertError(await nanhu.post('/api/v1/enterprises', {}), 422, 'required');
    });

    test('region scope: the other county, the other city and other enterprises get 404', async () => {
        const p = `/api/v1/enterprises/${firmA.uscc}`;
        assertOk(await nanhu.get(p));
        assertOk(await cityJx.get(p));
        assertOk(await admin.get(p));
        assertError(await xiuzhou.get(p), 404, 'not_found');
        assertError(await cityTz.get(p), 404, 'not_found');
        assertError(await entNanhu.get(p), 404, 'not_found');
        assertError(await entXiuzhou.get(p), 404, 'not_found');
        assertError(await xiuzhou.patch(p, { niche_years: 1 }), 404, 'not_found');
        assertError(await xiuzhou.get(`${p}/years`), 404, 'not_found');
        assertError(await xiuzhou.get(`${p}/assessments`), 404, 'not_found');
        // The lists: the officer of 330411 never sees it; an enterprise sees only itself.
        const listX = assertOk(await xiuzhou.get(`/api/v1/enterprises?q=${firmA.uscc}`));
        assert.equal(listX.total, 0);
        const listN = assertOk(await nanhu.get(`/api/v1/enterprises?q=${firmA.uscc}`));
        assert.equal(listN.total, 1);
        const all = await xiuzhou.all('/api/v1/enterprises');
        assert.ok(all.items.every((e) => e.region_code === '330411'), 'county 330411 sees only its own');
        const own = assertOk(await entNanhu.get('/api/v1/enterprises'));
        assert.equal(own.total, 1);
        ownUscc = own.items[0].uscc;
        assert.equal(own.items[0].region_code, '330402');
        assertOk(await entNanhu.get(`/api/v1/enterprises/${ownUscc}`));
        assertError(await entXiuzhou.get(`/api/v1/enterprises/${ownUscc}`), 404, 'not_found');
        assertError(await nanhu.get('/api/v1/enterprises/not-a-uscc'), 404, 'not_found');
    });

    test('list filters, sort, paging and export', async () => {
        const r = assertOk(await cityJx.get('/api/v1/enterprises?region_code=330402&sort=-name&page_size=5'));
        assert.ok(r.total >= 2);
        assert.ok(r.items.length <= 5);
        assert.ok(r.items.every((e) => e.region_code === '330402'));
        for (let i = 1; i < r.items.length; i++) assert.ok(r.items[i - 1].name >= r.items[i].name, 'sorted by -name');
        const ind = assertOk(await cityJx.get('/api/v1/enterprises?industry_code=C34&q=梯度测试'));
        assert.equal(ind.total, 1);
        assertError(await cityJx.get('/api/v1/enterprises?sort=password'), 422, 'invalid_value', 'sort');
        assertError(await cityJx.get('/api/v1/enterprises?region_code=33'), 422, 'invalid_region', 'region_code');
        const x = await nanhu.get('/api/v1/enterprises/export?q=梯度测试');
        assert.equal(x.status, 200);
        assert.match(x.headers.get('content-type'), /spreadsheetml/);
    });

    test('the enterprise edits its own profile; the audit log records the diff', async () => {
        const r = assertOk(await entNanhu.patch(`/api/v1/enterprises/${ownUscc}`, {
            registered_on: '2016-05-01', hightech_field: '新材料', no_major_incident: true,
            not_on_abnormal_list: true, not_restricted_industry: true, niche_years: 4,
            has_ip_title: false, digital_level: 2,
        }));
        assert.equal(r.registered_on, '2016-05-01');
        assert.equal(r.niche_years, 4);
        assert.equal(r.digital_level, 2);
        assert.equal(r.has_ip_title, false);
        assertError(await entNanhu.patch(`/api/v1/enterprises/${ownUscc}`, { niche_years: -1 }), 422, 'out_of_range', 'niche_years');
        assertError(await entNanhu.patch(`/api/v1/enterprises/${ownUscc}`, { uscc: makeUscc() }), 422, 'unknown_field', 'uscc');
        const au = assertOk(await admin.get(`/api/v1/audit?entity=enterprise&entity_id=${r.org_id}`));
        const upd = au.items.find((e) => e.action === 'update');
        assert.ok(upd, 'an update entry exists');
        const diff = typeof upd.diff === 'string' ? JSON.parse(upd.diff) : upd.diff;
        assert.equal(diff.registered_on.after, '2016-05-01');
    });
});

describe('yearly records: validation, life cycle, lock, revisions', () => {
    const yp = (y) => `/api/v1/enterprises/${ownUscc}/years${y ? '/' + y : ''}`;

    test('an enterprise adds a year as a self-reported draft', async () => {
        // Years before the demo's (2021–2025), so the test owns them.
        const r = assertOk(await entNanhu.post(yp(), yearData(2018)), 201);
        assert.equal(r.status, 'draft');
        assert.equal(r.source, 'self');
        assert.equal(r.revision, 1);
        assert.equal(r.is_current, true);
        assert.equal(r.employees, 90);
        assert.equal(r.srdi_quality_score, null);
        assertError(await entNanhu.post(yp(), yearData(2018)), 409, 'year_exists', 'year');
        for (const y of [2016, 2017]) assertOk(await entNanhu.post(yp(), yearData(y, { employees: 80 + y - 2016 })), 201);
        const list = assertOk(await entNanhu.get(yp()));
        const mine = list.items.map((i) => i.year).filter((y) => y <= 2018);
        assert.deepEqual(mine, [2018, 2017, 2016]);
        assert.ok(list.items.every((i, k) => k === 0 || list.items[k - 1].year > i.year), 'newest first');
    });

    test('bad yearly input: 422 naming the field, in the caller\'s language, nothing written', async () => {
        assertError(await entNanhu.post(yp(), yearData(2015, { employees: -1 })), 422, 'negative', 'employees');
        assertError(await entNanhu.post(yp(), yearData(2015, { rd_expense_fen: -5 })), 422, 'negative', 'rd_expense_fen');
        const e = assertError(await entNanhu.post(yp(), yearData(2015, { tech_staff: 91 })), 422, 'exceeds_field', 'tech_staff');
        assert.match(e.message, CJK);
        assert.match(e.message, /科技人员数.*职工总数/);
        const en = assertError(await entNanhuEn.post(yp(), yearData(2015, { tech_staff: 91 })), 422, 'exceeds_field', 'tech_staff');
        assert.match(en.message, /Technology staff cannot exceed Total employees/);
        assertError(await entNanhu.post(yp(), yearData(2015, { rd_expense_domestic_fen: 2_000_000_01 })), 422, 'exceeds_field', 'rd_expense_domestic_fen');
        assertError(await entNanhu.post(yp(), yearData(2015, { sales_revenue_fen: '100' })), 422, 'wrong_type', 'sales_revenue_fen');
        assertError(await entNanhu.post(yp(), yearData(2015, { sales_revenue_fen: 1.5 })), 422, 'wrong_type', 'sales_revenue_fen');
        assertError(await entNanhu.post(yp(), yearData(1980)), 422, 'invalid_year', 'year');
        assertError(await entNanhu.post(yp(), yearData(2999)), 422, 'invalid_year', 'year');
        assertError(await entNanhu.post(yp(), { year: 2021, staff: 3 }), 422, 'unknown_field', 'staff');
        assertError(await entNanhu.post(yp(), { employees: 3 }), 422, 'required', 'year');
        assertError(await entNanhu.patch(yp(2018), { net_profit_fen: 'x' }), 422, 'wrong_type', 'net_profit_fen');
        assertError(await entNanhu.get(yp(2015)), 404, 'not_found');
        // A negative net profit is fine.
        const ok = assertOk(await entNanhu.patch(yp(2018), { net_profit_fen: -120_000_00 }));
        assert.equal(ok.net_profit_fen, -120_000_00);
    });

    test('submit, verify, lock: the enterprise cannot verify; a verified year is locked for everyone', async () => {
        const sub = assertOk(await entNanhu.post(`${yp(2018)}/submit`));
        assert.equal(sub.status, 'submitted');
        assertError(await entNanhu.post(`${yp(2018)}/submit`), 409, 'already_submitted');
        assertError(await entNanhu.post(`${yp(2018)}/verify`), 403, 'forbidden');
        assertError(await xiuzhou.post(`${yp(2018)}/verify`), 404, 'not_found');
        const v = assertOk(await nanhu.post(`${yp(2018)}/verify`));
        assert.equal(v.status, 'verified');
        assert.equal(v.verified_by, 'county_nanhu');
        assert.equal(v.source, 'self', 'verification keeps the source of the data');
        for (const c of [entNanhu, nanhu]) {
            const e = assertError(await c.patch(yp(2018), { employees: 95 }), 409, 'locked');
            assert.match(e.message, /核验/);
            assert.match(e.message, /county_nanhu/);
        }
        assertError(await entNanhu.post(`${yp(2018)}/submit`), 409, 'locked');
        assertError(await nanhu.post(`${yp(2018)}/verify`), 409, 'already_verified');
        const en = assertError(await entNanhuEn.patch(yp(2018), { employees: 95 }), 409, 'locked');
        assert.match(en.message, /verified/);
        const still = assertOk(await entNanhu.get(yp(2018)));
        assert.equal(still.employees, 90);
    });

    test('an officer changes a verified year by a new verified revision; history keeps both', async () => {
        assertError(await entNanhu.post(`${yp(2018)}/revisions`, { employees: 95 }), 403, 'forbidden');
        assertError(await nanhu.post(`${yp(2017)}/revisions`, { employees: 95 }), 409, 'not_locked');
        assertError(await nanhu.post(`${yp(2018)}/revisions`, { tech_staff: 500 }), 422, 'exceeds_field', 'tech_staff');
        const rv = assertOk(await nanhu.post(`${yp(2018)}/revisions`, { employees: 95, tech_staff: 10 }), 201);
        assert.equal(rv.revision, 2);
        assert.equal(rv.status, 'verified');
        assert.equal(rv.source, 'officer');
        assert.equal(rv.employees, 95);
        assert.equal(rv.rd_expense_fen, 2_000_000_00, 'fields not named are carried over');
        const cur = assertOk(await entNanhu.get(yp(2018)));
        assert.equal(cur.revision, 2);
        const h = assertOk(await entNanhu.get(`${yp(2018)}/history`));
        assert.equal(h.total, 2);
        assert.deepEqual(h.items.map((i) => [i.revision, i.is_current, i.employees]), [[2, true, 95], [1, false, 90]]);
        assertError(await xiuzhou.get(`${yp(2018)}/history`), 404, 'not_found');
        const au = assertOk(await admin.get(`/api/v1/audit?entity=enterprise_year&entity_id=${rv.id}`));
        assert.ok(au.items.some((e) => e.action === 'revise'), 'the revision is audited');
        const au1 = assertOk(await admin.get(`/api/v1/audit?entity=enterprise_year&entity_id=${h.items[1].id}`));
        assert.deepEqual(au1.items.map((e) => e.action).sort(), ['create', 'submit', 'update', 'verify']);
    });

    test('an enterprise editing a submitted year returns it to draft', async () => {
        assertOk(await entNanhu.post(`${yp(2017)}/submit`));
        const r = assertOk(await entNanhu.patch(yp(2017), { ip_class2: 9 }));
        assert.equal(r.status, 'draft');
        assert.equal(r.ip_class2, 9);
        assertOk(await entNanhu.post(`${yp(2017)}/submit`));
        const o = assertOk(await nanhu.patch(yp(2017), { ip_class2: 10 }));
        assert.equal(o.status, 'submitted', 'an officer\'s correction keeps the status');
        assert.equal(o.source, 'officer');
    });
});

describe('assessments', () => {
    const ap = () => `/api/v1/enterprises/${ownUscc}/assessments`;

    test('one rule set: verdict, conditions with status and missing fields, items, gaps', async () => {
        // 2018 now has 10 of 95 staff in technology; 2017's 8 of 81 fails the 10% test.
        const r = assertOk(await entNanhu.get(`${ap()}?rule=hnte&year=2017`));
        assert.equal(r.year, 2017);
        assert.equal(r.items.length, 1);
        const a = r.items[0];
        assert.equal(a.rule, 'hnte-2016');
        assert.equal(a.uscc, ownUscc);
        assert.equal(a.pre_assessment, true);
        assert.equal(a.verdict, 'fail');
        const c4 = a.conditions.find((c) => c.id === 'c4_tech_staff');
        assert.equal(c4.status, 'not_met');
        assert.match(c4.label, CJK);
        assert.ok(a.items.length > 0);
        assert.ok(a.items.some((i) => i.status === 'expert' && i.points_min < i.points_max), 'HNTE expert items are ranges');
        assert.ok(a.gaps.length > 0, 'a failing year has gaps');
        const g = a.gaps.find((x) => x.condition === 'c4_tech_staff');
        assert.ok(g, `a gap for the tech-staff condition: ${JSON.stringify(a.gaps.map((x) => x.text))}`);
        assert.match(g.text, /科技人员/);
        assert.ok(g.persons > 0);
        assert.equal(g.text, g.zh);
        const en = assertOk(await entNanhuEn.get(`${ap()}?rule=hnte&year=2017`));
        const ge = en.items[0].gaps.find((x) => x.condition === 'c4_tech_staff');
        assert.equal(ge.text, ge.en);
        assert.doesNotMatch(ge.text, CJK);
    });

    test('a missing field makes a condition unknown and names the field', async () => {
        // Remove a field from a draft year to see "unknown" naming it.
        assertOk(await entNanhu.patch(`/api/v1/enterprises/${ownUscc}/years/2016`, { employees: null }));
        const r = assertOk(await entNanhu.get(`${ap()}?rule=tsme-2017&year=2016`));
        const a = r.items[0];
        const c2 = a.conditions.find((c) => c.id === 'c2_size');
        assert.equal(c2.status, 'unknown');
        const m = c2.missing.find((x) => x.field === 'employees');
        assert.ok(m, JSON.stringify(c2.missing));
        assert.equal(m.year, 2016);
        assert.equal(m.label, '职工总数');
    });

    test('every applicable rule set, years available, and errors', async () => {
        const r = assertOk(await nanhu.get(`${ap()}`));
        assert.equal(r.year, r.years_available[0], 'defaults to the latest year');
        for (const y of [2018, 2017, 2016]) assert.ok(r.years_available.includes(y));
        assert.ok(r.year <= 2025);
        const rules = r.items.map((i) => i.rule);
        for (const want of ['tsme-2017', 'hnte-2016', 'innov-sme-2022', 'srdi-2022']) assert.ok(rules.includes(want), `${want} in ${rules}`);
        assert.ok(!rules.includes('srdi-2026'), `only the set in force for ${r.year}`);
        const old = assertOk(await nanhu.get(`${ap()}?year=2018`));
        assert.ok(!old.items.some((i) => i.rule.startsWith('srdi')), 'no srdi set was in force in 2018');
        for (const a of r.items) {
            assert.ok(['pass', 'fail', 'uncertain', 'unknown'].includes(a.verdict));
            assert.ok(Array.isArray(a.conditions) && Array.isArray(a.items) && Array.isArray(a.gaps) && Array.isArray(a.provisional));
        }
        assertError(await nanhu.get(`${ap()}?rule=nope`), 422, 'unknown_rule', 'rule');
        assertError(await nanhu.get(`${ap()}?year=20x4`), 422, 'invalid_year', 'year');
        // A rule-set id is used whatever the year; a family picks the set in force.
        const byId = assertOk(await nanhu.get(`${ap()}?rule=srdi-2026&year=2024`));
        assert.equal(byId.items[0].rule, 'srdi-2026');
        const byFamily = assertOk(await nanhu.get(`${ap()}?rule=srdi&year=2024`));
        assert.equal(byFamily.items[0].rule, 'srdi-2022');
    });

    test('an enterprise without yearly data must name the year', async () => {
        assertError(await nanhu.get(`/api/v1/enterprises/${firmA.uscc}/assessments`), 422, 'no_year_data', 'year');
        const r = assertOk(await nanhu.get(`/api/v1/enterprises/${firmA.uscc}/assessments?rule=tsme&year=2024`));
        assert.equal(r.items[0].verdict, 'unknown');
    });

    test('the rule sets are listed', async () => {
        const r = assertOk(await entNanhu.get('/api/v1/rule-sets'));
        assert.ok(r.items.some((s) => s.id === 'hnte-2016' && s.family === 'hnte' && s.pre_assessment === true));
        const s26 = r.items.find((s) => s.id === 'srdi-2026');
        assert.equal(s26.effective_from, '2026-04-01');
    });
});
