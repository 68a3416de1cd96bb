// market_batch.test.mjs — batch matching (roadshow preparation): every open demand of a
// chain against the achievement library through GET /api/v1/demands/batch-matches and
// its XLSX/CSV export; the confidentiality scope of the single-demand matches; bad input.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, loginAs, request, startServer } from './harness.mjs';

let srv;
const c = {};
const CHAIN = 'JX-AUTO-PARTS';

before(async () => {
    srv = await startServer();
    for (const n of ['admin', 'ent_nanhu', 'ent_xiuzhou', 'broker_jiaxing', 'city_taizhou']) {
        c[n] = await loginAs(srv, n);
    }
});

after(async () => {
    if (srv) await srv.stop();
});

/* Parses a small RFC 4180 CSV (BOM stripped) into rows of cells. */
function parseCsv(text) {
    const s = text.replace(/^\uFEFF/, '');
    const rows = [];
    let row = [];
    let cell = '';
    let q = false;
    for (let i = 0; i < s.length; i++) {
        const ch = s[i];
        if (q) {
            if (ch === '"' && s[i + 1] === '"') { cell += '"'; i++; }
            else if (ch === '"') q = false;
            else cell += ch;
        } else if (ch === '"') q = true;
        else if (ch === ',') { row.push(cell); cell = ''; }
        else if (ch === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
        else cell += ch;
    }
    if (cell || row.length) { row.push(cell); rows.push(row); }
    return rows;
}

describe('batch matching of a chain', () => {
    test('every published demand of the chain in scope, each with its top K and reasons', async () => {
        const list = await c.broker_jiaxing.all(`/api/v1/demands?chain=${CHAIN}&status=published`);
        assert.ok(list.total >= 3, 'the demo has published demands in the chain');
        const b = assertOk(await c.broker_jiaxing.get(`/api/v1/demands/batch-matches?chain=${CHAIN}&limit=3&page_size=50`));
        assert.equal(b.total, list.total, 'the same demands as the list');
        assert.equal(b.limit, 3);
        assert.equal(b.chain, CHAIN);
        assert.deepEqual(b.items.map((i) => i.demand.id).sort((x, y) => x - y), list.items.map((d) => d.id).sort((x, y) => x - y));
        let withMatches = 0;
        for (const it of b.items) {
            assert.equal(it.demand.chain, CHAIN);
            assert.equal(it.demand.status, 'published');
            assert.ok(!('contact_phone' in it.demand), 'no contacts in the batch');
            assert.ok(it.matches.length <= 3);
            if (it.matches.length) withMatches++;
            for (let i = 1; i < it.matches.length; i++) assert.ok(it.matches[i - 1].score >= it.matches[i].score, 'best first');
            for (const m of it.matches) {
                assert.ok(m.reasons.length > 0);
                const sum = m.reasons.reduce((a, r) => a + r.contribution, 0);
                assert.ok(Math.abs(sum - m.score) < 0.01, 'contributions add up to the score');
                assert.notEqual(m.record.owner_org_id, it.demand.org_id, 'never the demand\'s own organisation');
                assert.ok(Array.isArray(m.highlights.title));
            }
        }
        assert.ok(withMatches >= 1, 'matching finds achievements for the chain');
        // The same as the single-demand route.
        const first = b.items.find((i) => i.matches.length);
        const one = assertOk(await c.broker_jiaxing.get(`/api/v1/demands/${first.demand.id}/matches?limit=3`));
        assert.deepEqual(first.matches.map((m) => m.id), one.items.map((m) => m.id));
        assert.deepEqual(first.matches.map((m) => m.score), one.items.map((m) => m.score));
    });

    test('paging over the demands and a list of demand ids', async () => {
        const all = assertOk(await c.admin.get(`/api/v1/demands/batch-matches?chain=${CHAIN}&limit=1&page_size=50`));
        const p2 = assertOk(await c.admin.get(`/api/v1/demands/batch-matches?chain=${CHAIN}&limit=1&page_size=2&page=2`));
        assert.equal(p2.page, 2);
        assert.equal(p2.page_size, 2);
        assert.equal(p2.total, all.total);
        assert.deepEqual(p2.items.map((i) => i.demand.id), all.items.slice(2, 4).map((i) => i.demand.id));
        const ids = all.items.slice(0, 2).map((i) => i.demand.id);
        const byIds = assertOk(await c.admin.get(`/api/v1/demands/batch-matches?demand_ids=${ids.join(',')}&limit=2`));
        assert.deepEqual(byIds.items.map((i) => i.demand.id), ids);
        assert.equal(byIds.chain, null);
    });

    test('confidentiality: a brokers_only demand is batched for its firm and the brokers only', async () => {
        const d = assertOk(await c.ent_nanhu.post('/api/v1/demands', {
            title: '新能源汽车电池包壳体铝合金压铸工艺优化',
            problem: '电池包下壳体一体化压铸件抗拉强度和延伸率不足，厚大部位有缩孔气孔。',
            keywords: ['铝合金', '压铸'],
            indicators: [{ name: '抗拉强度', target: '≥ 260', unit: 'MPa' }],
            budget_min_fen: 50_000_000,
            coop_modes: ['合作开发'],
            chain: CHAIN,
            confidentiality: 'brokers_only',
        }), 201);
        assertOk(await c.ent_nanhu.post(`/api/v1/demands/${d.id}/status`, { status: 'published' }));
        const has = async (client) => {
            const r = assertOk(await client.get(`/api/v1/demands/batch-matches?demand_ids=${d.id}`));
            return r.items.map((i) => i.demand.id).includes(d.id);
        };
        assert.equal(await has(c.ent_nanhu), true, 'own firm');
        assert.equal(await has(c.broker_jiaxing), true, 'broker of the region');
        assert.equal(await has(c.ent_xiuzhou), false, 'another firm does not see it');
        assert.equal(await has(c.city_taizhou), false, 'another city does not see it');
        const chainX = assertOk(await c.ent_xiuzhou.get(`/api/v1/demands/batch-matches?chain=${CHAIN}&page_size=50`));
        assert.ok(!chainX.items.some((i) => i.demand.id === d.id));
        const own = assertOk(await c.ent_nanhu.get(`/api/v1/demands/batch-matches?demand_ids=${d.id}&limit=10`));
        for (const m of own.items[0].matches) assert.notEqual(m.record.owner_org_id, c.ent_nanhu.user.org_id);
    });

    test('export: XLSX, and CSV with one row per demand and achievement', async () => {
        const b = assertOk(await c.broker_jiaxing.get(`/api/v1/demands/batch-matches?chain=${CHAIN}&limit=2&page_size=50`));
        const x = await c.broker_jiaxing.get(`/api/v1/demands/batch-matches/export?chain=${CHAIN}&limit=2`);
        assert.equal(x.status, 200);
        assert.match(x.headers.get('content-type'), /spreadsheetml/);
        assert.equal(x.buf.subarray(0, 2).toString('latin1'), 'PK');
        const csv = await c.broker_jiaxing.get(`/api/v1/demands/batch-matches/export?chain=${CHAIN}&limit=2&format=csv`);
        assert.equal(csv.status, 200);
        const rows = parseCsv(csv.text);
        assert.equal(rows[0][0], '需求编号');
        assert.ok(rows[0].includes('匹配理由') && rows[0].includes('匹配词'));
        const want = b.items.reduce((a, i) => a + Math.max(1, i.matches.length), 0);
        assert.equal(rows.length - 1, want, 'one row per match, one per demand without');
        const it = b.items.find((i) => i.matches.length);
        const row = rows.find((r) => r[0] === String(it.demand.id) && r[6] === '1');
        assert.ok(row, 'the demand\'s first match is a row');
        assert.equal(row[7], String(it.matches[0].id));
        assert.equal(row[8], it.matches[0].title);
        const en = await c.broker_jiaxing.get(`/api/v1/demands/batch-matches/export?chain=${CHAIN}&format=csv`, { lang: 'en' });
        assert.equal(parseCsv(en.text)[0][0], 'Demand ID');
    });
});

describe('batch matching: bad input and access', () => {
    const bad = [
        ['', 'required', 'chain'],
        ['chain=NO-SUCH-CHAIN', 'invalid_value', 'chain'],
        [`chain=${CHAIN}&limit=0`, undefined, 'limit'],
        [`chain=${CHAIN}&limit=21`, undefined, 'limit'],
        [`chain=${CHAIN}&limit=x`, undefined, 'limit'],
        ['demand_ids=abc', 'invalid_value', 'demand_ids'],
        ['demand_ids=1,,2', 'invalid_value', 'demand_ids'],
        ['demand_ids=1,2,', 'invalid_value', 'demand_ids'],
        ['demand_ids=0', 'invalid_value', 'demand_ids'],
        [`demand_ids=${Array.from({ length: 201 }, (_, i) => i + 1).join(',')}`, 'too_many', 'demand_ids'],
        [`chain=${CHAIN}&page_size=51`, undefined, 'page_size'],
        [`chain=${CHAIN}&region_code=12`, 'invalid_region', 'region_code'],
        [`chain=${CHAIN}&status=draft`, undefined, 'status'],
        [`chain=${CHAIN}&field=nonsense`, undefined, 'field'],
    ];
    for (const [qs, code, field] of bad) {
        test(`422 for ?${qs.slice(0, 40)} naming ${field}`, async () => {
            const r = await c.broker_jiaxing.get(`/api/v1/demands/batch-matches?${qs}`);
            assertError(r, 422, code, field);
            if (field === 'page_size') return; // the export has no pages
            const x = await c.broker_jiaxing.get(`/api/v1/demands/batch-matches/export?${qs}`);
            assertError(x, 422, code, field);
        });
    }

    test('messages in Chinese and English', async () => {
        const zh = assertError(await c.admin.get('/api/v1/demands/batch-matches'), 422, 'required', 'chain');
        assert.match(zh.message, /产业链/);
        const en = assertError(await c.admin.get('/api/v1/demands/batch-matches', { lang: 'en' }), 422, 'required', 'chain');
        assert.match(en.message, /Industry chain/);
        const ids = assertError(await c.admin.get('/api/v1/demands/batch-matches?demand_ids=x', { lang: 'en' }), 422, 'invalid_value', 'demand_ids');
        assert.match(ids.message, /Demand ids/);
    });

    test('export format must be xlsx or csv', async () => {
        assertError(await c.admin.get(`/api/v1/demands/batch-matches/export?chain=${CHAIN}&format=pdf`), 422, 'invalid_value', 'format');
    });

    test('anonymous callers are refused', async () => {
        const r = await request(srv.base, `/api/v1/demands/batch-matches?chain=${CHAIN}`);
        assert.equal(r.status, 401);
    });
});
