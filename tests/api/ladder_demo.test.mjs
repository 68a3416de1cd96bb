// ladder_demo.test.mjs — the demo enterprises (src/cli/demo_ladder.c): about 3,000 firms in
// the 31 counties of the four seed cities, 2–5 consistent years each, certificates that
// follow the rules (GR numbers, HNTE 3-year validity), officer-only local titles, and the
// hand-made anchor firm of ent_nanhu.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertOk, loginAs, startServer } from './harness.mjs';

let srv;
let admin, entNanhu;

before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
    entNanhu = await loginAs(srv, 'ent_nanhu');
});

after(async () => {
    if (srv) await srv.stop();
});

/* Adds n years − 1 day to an ISO date the way the API does (29 February → 28 February). */
function validTo(issued, n) {
    const [y, m, d] = issued.split('-').map(Number);
    const end = new Date(Date.UTC(y + n, m - 1, d));
    if (m === 2 && d === 29 && end.getUTCMonth() !== 1) end.setUTCDate(0); // 1 March → 28 February + 1
    end.setUTCDate(end.getUTCDate() - 1);
    return end.toISOString().slice(0, 10);
}

describe('demo enterprises', () => {
    test('about 3,000 enterprises spread over the 31 counties', async () => {
        const all = assertOk(await admin.get('/api/v1/enterprises?page_size=1'));
        assert.ok(all.total >= 2800 && all.total <= 3300, `total ${all.total}`);
        let counties = 0;
        for (const city of ['330400', '331000', '331100', '321000']) {
            const r = assertOk(await admin.get(`/api/v1/regions/${city}`));
            for (const c of r.children) {
                const n = assertOk(await admin.get(`/api/v1/enterprises?region_code=${c.code}&page_size=1`)).total;
                assert.ok(n >= 80, `${c.code} ${c.name}: ${n} enterprises`);
                counties++;
            }
        }
        assert.equal(counties, 31);
    });

    test('yearly data is consistent: parts never exceed wholes', async () => {
        const page = assertOk(await admin.get('/api/v1/enterprises?region_code=331081&page_size=40'));
        for (const e of page.items) {
            const ys = assertOk(await admin.get(`/api/v1/enterprises/${e.uscc}/years`)).items;
            assert.ok(ys.length >= 2 && ys.length <= 5, `${e.uscc}: ${ys.length} years`);
            for (const y of ys) {
                const le = (a, b) => y[a] === null || y[b] === null || y[a] <= y[b];
                assert.ok(le('tech_staff', 'employees') && le('rd_staff', 'tech_staff'), `${e.uscc} ${y.year} staff`);
                assert.ok(le('rd_expense_domestic_fen', 'rd_expense_fen') && le('rd_expense_fen', 'cost_expense_total_fen'), `${e.uscc} ${y.year} R&D`);
                assert.ok(le('hightech_revenue_fen', 'main_business_revenue_fen') && le('main_business_revenue_fen', 'sales_revenue_fen'), `${e.uscc} ${y.year} revenue`);
                assert.ok(['draft', 'submitted', 'verified'].includes(y.status) && ['self', 'import', 'officer'].includes(y.source));
            }
        }
    });

    test('certificates follow the rules', async () => {
        const hnte = assertOk(await admin.get('/api/v1/certifications?kind=hnte&page_size=200'));
        assert.ok(hnte.total > 500, `HNTE certificates: ${hnte.total}`);
        for (const c of hnte.items) {
            assert.match(c.number, /^GR20\d{2}3[23]\d{6}$/);
            assert.equal(c.number.slice(2, 6), c.issued_on.slice(0, 4), 'the GR year is the issue year');
            assert.equal(c.valid_to, validTo(c.issued_on, 3));
        }
        const expired = assertOk(await admin.get('/api/v1/certifications?kind=hnte&valid_on=2025-12-31&page_size=1')).total;
        assert.ok(expired < hnte.total, 'some HNTE certificates have expired by the end of 2025');
        for (const kind of ['tsme', 'innov_sme', 'srdi', 'little_giant', 'sci_little_giant', 'sci_leader']) {
            const r = assertOk(await admin.get(`/api/v1/certifications?kind=${kind}&page_size=50`));
            assert.ok(r.total > 0, `some ${kind}`);
            if (kind.startsWith('sci_')) assert.ok(r.items.every((c) => c.source === 'officer' && c.valid_to === null));
        }
    });

    test('the anchor firm of ent_nanhu: five years, the latest a draft, two tech staff short', async () => {
        const own = assertOk(await entNanhu.get('/api/v1/enterprises')).items[0];
        const ys = assertOk(await entNanhu.get(`/api/v1/enterprises/${own.uscc}/years`)).items;
        assert.deepEqual(ys.map((y) => y.year), [2025, 2024, 2023, 2022, 2021]);
        assert.equal(ys[0].status, 'draft');
        assert.ok(ys.slice(1).every((y) => y.status === 'verified'));
        const a = assertOk(await entNanhu.get(`/api/v1/enterprises/${own.uscc}/assessments?rule=hnte&year=2025`)).items[0];
        assert.equal(a.verdict, 'fail');
        assert.deepEqual(a.conditions.filter((c) => c.status === 'not_met').map((c) => c.id), ['c4_tech_staff']);
        const g = a.gaps.find((x) => x.type === 'combined');
        assert.equal(g.persons, 2);
        const certs = assertOk(await entNanhu.get('/api/v1/certifications?kind=tsme')).items;
        assert.equal(certs.length, 3);
    });
});
