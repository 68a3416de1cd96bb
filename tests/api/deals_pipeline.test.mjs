// deals_pipeline.test.mjs — the brokerage pipeline (/api/v1/matches): creating matches from
// published demands, legal stage transitions only (illegal → 409), drops that need a reason
// (→ 422) and that the supply side sees, broker assignment, history, the board, the contract
// of a signed match, broker metrics equal to the records behind them, roadshow intents,
// and region / party scope. The demands and achievements are seeded into the database.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, findDb, loginAs, runCli, runProgram, startServer } from './harness.mjs';

let srv;
const c = {};
let dataDir;
let demand; // published, 南湖 enterprise
let demand2; // published, 秀洲 enterprise
let draft; // a draft demand
let demand3; // published, 南湖 enterprise, for the roadshow intent
let ach1;
let ach2;
let instOrg;
let m1;
let m2;
let regSeq = 0;

/* Runs SQL on the stopped server's database with the sqlite3 CLI; returns its output. */
async function sql(db, statement) {
    const r = await runProgram('sqlite3', ['-batch', db, statement]);
    assert.equal(r.code, 0, `sqlite3: ${r.stderr}`);
    return r.stdout.trim();
}

/* Demands and achievements are the market's records: they are written straight into the
 * demo database (its 0007 schema) while the server is stopped, so this test needs no
 * market route — achievements through `kechuang import achievements` (the FTS index needs
 * the binary's tokenizer), then their owner and status, and the demands with SQL. */
async function seed(dir) {
    const file = path.join(dir, 'seed-achievements.jsonl');
    fs.writeFileSync(file, [
        { id: 'DEALS-T1', title: '高效离心泵叶轮三维反问题设计方法', abstract: '部分负荷效率提高 4 个百分点。', keywords: ['离心泵', '叶轮'] },
        { id: 'DEALS-T2', title: '离心泵蜗壳低噪声水力模型', abstract: '降低蜗壳隔舌处压力脉动。', keywords: ['离心泵', '噪声'] },
    ].map((o) => JSON.stringify(o)).join('\n') + '\n');
    const imp = await runCli(['import', 'achievements', '--data', dir, file]);
    assert.equal(imp.code, 0, imp.stderr);
    const db = findDb(dir);
    const inst = "(SELECT org_id FROM users WHERE username = 'inst_jiaxing')";
    await sql(db, `UPDATE achievements SET owner_org_id = ${inst}, region_code = (SELECT region_code FROM orgs WHERE id = ${inst}),
        chain = 'JX-135N', kind = '技术秘密', trl = 6, status = 'published' WHERE external_id IN ('DEALS-T1', 'DEALS-T2');`);
    const demandSql = (user, title, status) => `INSERT INTO demands(org_id, region_code, title, problem, keywords, budget_min_fen,
        budget_max_fen, coop_modes, chain, confidentiality, status, completeness, published_at, created_at, updated_at)
        SELECT u.org_id, o.region_code, '${title}', '部分负荷工况下效率偏低，需要改进叶轮与蜗壳水力设计。', '["离心泵"]',
        50000000, 200000000, '["技术转让","合作开发"]', 'JX-135N', 'public', '${status}', 100, 1767225600, 1767225600, 1767225600
        FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = '${user}';`;
    await sql(db, demandSql('ent_nanhu', '离心泵部分负荷效率提升', 'published') + demandSql('ent_xiuzhou', '秀洲：阀门密封寿命提升', 'published') +
        demandSql('ent_nanhu', '尚未发布的需求', 'draft') + demandSql('ent_nanhu', '推介会现场登记的需求', 'published'));
    const ids = (await sql(db, "SELECT id FROM demands WHERE title IN ('离心泵部分负荷效率提升', '秀洲：阀门密封寿命提升', '尚未发布的需求', '推介会现场登记的需求') ORDER BY id")).split('\n').map(Number);
    const achs = (await sql(db, "SELECT id FROM achievements WHERE external_id IN ('DEALS-T1', 'DEALS-T2') ORDER BY external_id")).split('\n').map(Number);
    return { ids, achs };
}

before(async () => {
    const first = await startServer();
    dataDir = first.dataDir;
    await first.stop({ keep: true });
    const { ids, achs } = await seed(dataDir);
    [demand, demand2, draft, demand3] = ids;
    [ach1, ach2] = achs;
    srv = await startServer({ dataDir });
    for (const n of ['admin', 'city_jiaxing', 'city_taizhou', 'county_nanhu', 'county_xiuzhou', 'broker_jiaxing', 'broker_nanhu', 'broker_taizhou', 'ent_nanhu', 'ent_xiuzhou', 'inst_jiaxing']) {
        c[n] = await loginAs(srv, n);
    }
    instOrg = c.inst_jiaxing.user.org_id;
});

after(async () => {
    if (srv) await srv.stop({ keep: false });
});

describe('creating matches', () => {
    test('a broker proposes a match from a demand\'s candidates; it takes it', async () => {
        const m = assertOk(await c.broker_jiaxing.post('/api/v1/matches', {
            demand_id: demand, achievement_id: ach1, source: 'matching', score: 3.25, reasons: ['标题：离心泵、叶轮', '同一产业链'],
        }), 201);
        m1 = m.id;
        assert.equal(m.stage, 'proposed');
        assert.equal(m.stage_name, '已推荐');
        assert.equal(m.broker_id, c.broker_jiaxing.user.id);
        assert.equal(m.supply_org_id, instOrg);
        assert.equal(m.demand_org_id, c.ent_nanhu.user.org_id);
        assert.equal(m.region_code, '330402');
        assert.deepEqual(m.reasons, ['标题：离心泵、叶轮', '同一产业链']);
        assert.equal(m.score, 3.25);
        assert.equal(m.history.length, 1);
        assert.equal(m.history[0].kind, 'created');
        assert.deepEqual(m.next_stages.map((s) => s.stage), ['contacted', 'dropped']);
        const audit = assertOk(await c.admin.get(`/api/v1/audit?entity=match&entity_id=${m1}`));
        assert.equal(audit.items[0].action, 'create');
    });

    test('one open match per demand and target → 409', async () => {
        assertError(await c.county_nanhu.post('/api/v1/matches', { demand_id: demand, achievement_id: ach1 }), 409, 'duplicate_match');
    });

    test('bad input → 422 naming the field; enterprises 403; other regions cannot see the demand', async () => {
        assertError(await c.broker_jiaxing.post('/api/v1/matches', { demand_id: draft, achievement_id: ach1 }), 422, 'demand_not_open', 'demand_id');
        assertError(await c.broker_jiaxing.post('/api/v1/matches', { demand_id: demand }), 422, 'one_target');
        assertError(await c.broker_jiaxing.post('/api/v1/matches', { demand_id: demand, achievement_id: ach1, org_id: instOrg }), 422, 'one_target');
        assertError(await c.broker_jiaxing.post('/api/v1/matches', { demand_id: demand, achievement_id: 99999999 }), 422, 'not_found_ref', 'achievement_id');
        assertError(await c.broker_jiaxing.post('/api/v1/matches', { demand_id: 99999999, achievement_id: ach1 }), 422, 'not_found_ref', 'demand_id');
        assertError(await c.county_nanhu.post('/api/v1/matches', { demand_id: demand, achievement_id: ach2, broker_id: c.county_nanhu.user.id }), 422, 'invalid_broker', 'broker_id');
        assertError(await c.county_nanhu.post('/api/v1/matches', { demand_id: demand, achievement_id: ach2, broker_id: c.broker_taizhou.user.id }), 422, 'invalid_broker', 'broker_id');
        assertError(await c.county_nanhu.post('/api/v1/matches', { demand_id: demand, org_id: c.ent_nanhu.user.org_id }), 422, 'same_party', 'org_id');
        assertError(await c.city_taizhou.post('/api/v1/matches', { demand_id: demand, achievement_id: ach2 }), 422, 'not_found_ref', 'demand_id');
        assertError(await c.ent_nanhu.post('/api/v1/matches', { demand_id: demand, achievement_id: ach2 }), 403, 'forbidden');
        assertError(await c.broker_jiaxing.post('/api/v1/matches', { demand_id: demand, achievement_id: ach2, score: 'high' }), 422, 'wrong_type', 'score');
        assertError(await c.broker_jiaxing.post('/api/v1/matches', { demand_id: demand, achievement_id: ach2, source: 'roadshow' }), 422, 'invalid_value', 'source');
    });
});

describe('stage transitions', () => {
    test('skipping a stage or going back → 409 with the possible next stages', async () => {
        let e = assertError(await c.broker_jiaxing.post(`/api/v1/matches/${m1}/stage`, { stage: 'signed' }), 409, 'illegal_transition', 'stage');
        assert.match(e.message, /已推荐/);
        assert.match(e.message, /已联系/);
        e = assertError(await c.broker_jiaxing.post(`/api/v1/matches/${m1}/stage`, { stage: 'negotiating' }, { lang: 'en' }), 409, 'illegal_transition', 'stage');
        assert.match(e.message, /Contacted/);
        assertError(await c.broker_jiaxing.post(`/api/v1/matches/${m1}/stage`, { stage: 'proposed' }), 409, 'illegal_transition', 'stage');
        assertError(await c.broker_jiaxing.post(`/api/v1/matches/${m1}/stage`, { stage: 'won' }), 422, 'invalid_value', 'stage');
        assertError(await c.broker_jiaxing.post(`/api/v1/matches/${m1}/stage`, {}), 422, 'required', 'stage');
        const m = assertOk(await c.admin.get(`/api/v1/matches/${m1}`));
        assert.equal(m.stage, 'proposed', 'nothing changed');
        assert.equal(m.history.length, 1);
    });

    test('proposed → contacted → negotiating → signed; then final', async () => {
        let m = assertOk(await c.broker_jiaxing.post(`/api/v1/matches/${m1}/stage`, { stage: 'contacted' }));
        assert.equal(m.stage, 'contacted');
        assert.ok(m.contacted_at);
        m = assertOk(await c.broker_jiaxing.post(`/api/v1/matches/${m1}/stage`, { stage: 'negotiating', note: '双方已约定现场考察' }));
        m = assertOk(await c.broker_jiaxing.post(`/api/v1/matches/${m1}/stage`, { stage: 'signed' }));
        assert.equal(m.stage, 'signed');
        assert.ok(m.signed_at);
        assert.deepEqual(m.next_stages, []);
        assert.deepEqual(m.history.map((h) => [h.kind, h.from_stage, h.to_stage]), [
            ['created', null, 'proposed'], ['stage', 'proposed', 'contacted'],
            ['stage', 'contacted', 'negotiating'], ['stage', 'negotiating', 'signed']]);
        assert.equal(m.history[2].note, '双方已约定现场考察');
        const e = assertError(await c.broker_jiaxing.post(`/api/v1/matches/${m1}/stage`, { stage: 'dropped', reason: 'price_gap' }), 409, 'illegal_transition', 'stage');
        assert.match(e.message, /已签约/);
    });
});

describe('dropping', () => {
    test('a drop needs a valid reason (and a note for "other") → 422', async () => {
        m2 = assertOk(await c.broker_jiaxing.post('/api/v1/matches', { demand_id: demand, achievement_id: ach2 }), 201).id;
        assertError(await c.broker_jiaxing.post(`/api/v1/matches/${m2}/stage`, { stage: 'dropped' }), 422, 'drop_reason_required', 'reason');
        assertError(await c.broker_jiaxing.post(`/api/v1/matches/${m2}/stage`, { stage: 'dropped', reason: 'bored' }), 422, 'invalid_value', 'reason');
        assertError(await c.broker_jiaxing.post(`/api/v1/matches/${m2}/stage`, { stage: 'dropped', reason: 'other' }), 422, 'drop_note_required', 'note');
        assertError(await c.broker_jiaxing.post(`/api/v1/matches/${m2}/stage`, { stage: 'dropped', reason: 'other', note: '   ' }), 422, 'drop_note_required', 'note');
        assertError(await c.broker_jiaxing.post(`/api/v1/matches/${m2}/stage`, { stage: 'contacted', reason: 'price_gap' }), 422, 'reason_only_for_drop', 'reason');
        assert.equal(assertOk(await c.admin.get(`/api/v1/matches/${m2}`)).stage, 'proposed');
    });

    test('a dropped match keeps its reason; both sides see it, others do not', async () => {
        const m = assertOk(await c.broker_jiaxing.post(`/api/v1/matches/${m2}/stage`, { stage: 'dropped', reason: 'price_gap', note: '报价高于企业预算上限' }));
        assert.equal(m.stage, 'dropped');
        assert.equal(m.drop_reason, 'price_gap');
        assert.equal(m.drop_reason_name, '价格差距');
        assert.equal(m.history.at(-1).reason, 'price_gap');
        const supply = assertOk(await c.inst_jiaxing.get(`/api/v1/matches/${m2}`));
        assert.equal(supply.drop_reason, 'price_gap');
        assert.equal(supply.drop_note, '报价高于企业预算上限');
        const supplyList = await c.inst_jiaxing.all('/api/v1/matches?stage=dropped');
        assert.ok(supplyList.items.some((x) => x.id === m2));
        assert.ok(supplyList.items.every((x) => x.supply_org_id === instOrg || x.demand_org_id === instOrg));
        const en = assertOk(await c.inst_jiaxing.get(`/api/v1/matches/${m2}`, { lang: 'en' }));
        assert.equal(en.drop_reason_name, 'Price gap');
        assertOk(await c.ent_nanhu.get(`/api/v1/matches/${m2}`));
        assertError(await c.ent_xiuzhou.get(`/api/v1/matches/${m2}`), 404, 'not_found');
        assertError(await c.county_xiuzhou.get(`/api/v1/matches/${m2}`), 404, 'not_found');
        assertError(await c.city_taizhou.post(`/api/v1/matches/${m2}/stage`, { stage: 'contacted' }), 404, 'not_found');
        // A dropped match no longer blocks a new one for the same pair.
        const again = assertOk(await c.broker_jiaxing.post('/api/v1/matches', { demand_id: demand, achievement_id: ach2 }), 201);
        assert.notEqual(again.id, m2);
    });
});

describe('brokers', () => {
    test('officers assign brokers covering the region; another broker cannot move it', async () => {
        const m = assertOk(await c.county_nanhu.post('/api/v1/matches', { demand_id: demand, org_id: instOrg }), 201);
        assert.equal(m.broker_id, null, 'an officer\'s match waits for a broker');
        assertError(await c.county_nanhu.patch(`/api/v1/matches/${m.id}`, { broker_id: c.broker_taizhou.user.id }), 422, 'invalid_broker', 'broker_id');
        const a = assertOk(await c.county_nanhu.patch(`/api/v1/matches/${m.id}`, { broker_id: c.broker_nanhu.user.id }));
        assert.equal(a.broker_name, '南湖技术经纪人');
        assert.equal(a.history.at(-1).kind, 'broker');
        assertError(await c.broker_jiaxing.post(`/api/v1/matches/${m.id}/stage`, { stage: 'contacted' }), 403, 'not_assigned_broker');
        assertError(await c.broker_jiaxing.patch(`/api/v1/matches/${m.id}`, { broker_id: c.broker_jiaxing.user.id }), 403, 'not_assigned_broker');
        assertOk(await c.broker_nanhu.post(`/api/v1/matches/${m.id}/stage`, { stage: 'contacted' }));
        const brokers = assertOk(await c.county_nanhu.get('/api/v1/brokers'));
        assert.deepEqual(brokers.items.map((b) => b.username), ['broker_nanhu']);
        const cityBrokers = assertOk(await c.city_jiaxing.get('/api/v1/brokers'));
        assert.ok(cityBrokers.items.some((b) => b.username === 'broker_jiaxing'));
        assert.ok(cityBrokers.items.every((b) => b.region_code.startsWith('3304')));
    });

    test('an unassigned match is taken by the broker who moves it', async () => {
        // demand × ach1 is signed, so still open: no second match for the pair.
        assertError(await c.county_nanhu.post('/api/v1/matches', { demand_id: demand, achievement_id: ach1 }), 409, 'duplicate_match');
        const free = assertOk(await c.city_jiaxing.post('/api/v1/matches', { demand_id: demand2, achievement_id: ach1 }), 201);
        const moved = assertOk(await c.broker_jiaxing.post(`/api/v1/matches/${free.id}/stage`, { stage: 'contacted' }));
        assert.equal(moved.broker_id, c.broker_jiaxing.user.id);
        assert.deepEqual(moved.history.map((h) => h.kind), ['created', 'broker', 'stage']);
    });
});

describe('the contract of a signed match', () => {
    test('prefilled draft, one registration per match, deal count', async () => {
        const d = assertOk(await c.broker_jiaxing.get(`/api/v1/matches/${m1}/contract-draft`));
        assert.equal(d.match_id, m1);
        assert.equal(d.seller_org_id, instOrg);
        assert.equal(d.buyer_org_id, c.ent_nanhu.user.org_id);
        assert.equal(d.achievement_id, ach1);
        // The demand's first cooperation mode is 技术转让.
        assert.equal(d.type, 'transfer');
        assert.equal(d.subtype, 'patent_right');
        assert.match(d.signed_on, /^\d{4}-\d{2}-\d{2}$/);
        assertError(await c.broker_jiaxing.get(`/api/v1/matches/${m2}/contract-draft`), 409, 'match_not_signed', 'match_id');
        const dealCount = async () => Number(await sql(findDb(dataDir), `SELECT deal_count FROM achievements WHERE id = ${ach1}`));
        const before = { deal_count: await dealCount() };
        const body = {
            title: d.title, type: d.type, subtype: d.subtype, seller_org_id: d.seller_org_id, buyer_org_id: d.buyer_org_id,
            achievement_id: d.achievement_id, match_id: d.match_id, signed_on: d.signed_on, registered_on: d.registered_on,
            contract_amount_fen: 150000000, tech_amount_fen: 120000000, registration_no: `2026330402${String(700000 + ++regSeq)}`,
        };
        const k = assertOk(await c.broker_jiaxing.post('/api/v1/contracts', body), 201);
        assert.equal(k.match_id, m1);
        assert.equal(k.broker_name, '嘉兴技术经纪人');
        const again = { ...body, registration_no: `2026330402${String(700000 + ++regSeq)}` };
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', again), 409, 'match_has_contract', 'match_id');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', { ...again, match_id: m2 }), 422, 'match_not_signed', 'match_id');
        assertError(await c.broker_jiaxing.get(`/api/v1/matches/${m1}/contract-draft`), 409, 'match_has_contract', 'match_id');
        const m = assertOk(await c.ent_nanhu.get(`/api/v1/matches/${m1}`));
        assert.equal(m.contract_id, k.id);
        assert.equal(await dealCount(), before.deal_count + 1, 'a transfer of the achievement counts once');
        assertOk(await c.broker_jiaxing.del(`/api/v1/contracts/${k.id}`));
        assert.equal(await dealCount(), before.deal_count);
        assertOk(await c.broker_jiaxing.post('/api/v1/contracts', { ...body, registration_no: `2026330402${String(700000 + ++regSeq)}` }), 201);
    });
});

describe('board and metrics', () => {
    test('board columns equal the list per stage', async () => {
        const b = assertOk(await c.broker_jiaxing.get('/api/v1/matches/board?limit=5'));
        assert.deepEqual(b.columns.map((x) => x.stage), ['proposed', 'contacted', 'negotiating', 'signed', 'dropped']);
        for (const col of b.columns) {
            const l = assertOk(await c.broker_jiaxing.get(`/api/v1/matches?stage=${col.stage}&page_size=1`));
            assert.equal(col.count, l.total, col.stage);
            assert.ok(col.items.length <= 5);
            assert.ok(col.items.every((m) => m.stage === col.stage));
        }
        assertError(await c.broker_jiaxing.get('/api/v1/matches/board?stage=signed'), 422, 'invalid_value', 'stage');
    });

    test('broker metrics equal the matches and contracts behind them', async () => {
        const r = assertOk(await c.city_jiaxing.get('/api/v1/brokers/metrics'));
        assert.ok(r.items.every((b) => b.region_code.startsWith('3304')));
        for (const b of r.items) {
            const mine = (await c.city_jiaxing.all(`/api/v1/matches?broker_id=${b.broker_id}`)).items;
            assert.equal(b.matches, mine.length, `${b.username} matches`);
            assert.equal(b.signed, mine.filter((m) => m.stage === 'signed').length);
            assert.equal(b.dropped, mine.filter((m) => m.stage === 'dropped').length);
            assert.equal(b.responded, mine.filter((m) => m.contacted_at).length);
            // The seller of a match's contract may sit outside the city: the admin lists them all.
            const ks = (await c.admin.all(`/api/v1/contracts?broker_id=${b.broker_id}`)).items;
            assert.equal(b.contracts, ks.length);
            assert.equal(b.contract_amount_fen, ks.reduce((s, k) => s + k.contract_amount_fen, 0));
            if (b.matches) assert.equal(b.conversion_rate, b.signed / b.matches);
            const resp = mine.filter((m) => m.contacted_at).map((m) => (Date.parse(m.contacted_at) - Date.parse(m.created_at)) / 3600000);
            if (resp.length) {
                const avg = resp.reduce((s, x) => s + x, 0) / resp.length;
                assert.ok(Math.abs(b.first_response_avg_hours - avg) < 1e-6, `${b.username} avg response`);
            } else {
                assert.equal(b.first_response_avg_hours, null);
            }
        }
        const jx = r.items.find((b) => b.username === 'broker_jiaxing');
        assert.ok(jx.signed >= 1 && jx.contracts >= 1);
        assertError(await c.city_jiaxing.get('/api/v1/brokers/metrics?from=2025-02-30'), 422, 'invalid_date', 'from');
        assertError(await c.ent_nanhu.get('/api/v1/brokers/metrics'), 403, 'forbidden');
    });
});

describe('roadshow intents', () => {
    test('an intent at a roadshow is a proposed match; a roadshow with intents stays', async () => {
        const rs = assertOk(await c.broker_jiaxing.post('/api/v1/roadshows', {
            title: '南湖泵阀产业链成果推介会', held_on: '2026-10-15', region_code: '330402', chain: 'JX-135N',
            demand_ids: [demand], achievement_ids: [ach1, ach2], attendee_org_ids: [c.ent_nanhu.user.org_id],
        }), 201);
        assert.deepEqual(rs.demands.map((d) => d.id), [demand]);
        // demand × ach2 is open already (proposed again above).
        assertError(await c.broker_nanhu.post(`/api/v1/roadshows/${rs.id}/intents`, { demand_id: demand, achievement_id: ach2 }), 409, 'duplicate_match');
        const dem3 = demand3;
        const intent = assertOk(await c.broker_nanhu.post(`/api/v1/roadshows/${rs.id}/intents`, { demand_id: dem3, achievement_id: ach2 }), 201);
        assert.equal(intent.source, 'roadshow');
        assert.equal(intent.roadshow_id, rs.id);
        assert.equal(intent.stage, 'proposed');
        assert.equal(intent.broker_id, c.broker_nanhu.user.id);
        assertError(await c.broker_nanhu.post(`/api/v1/roadshows/${rs.id}/intents`, { demand_id: dem3, achievement_id: ach1, source: 'manual' }), 422, 'unknown_field', 'source');
        const full = assertOk(await c.county_nanhu.get(`/api/v1/roadshows/${rs.id}`));
        assert.deepEqual(full.intents.map((i) => i.id), [intent.id]);
        assert.equal(full.intent_count, 1);
        assertError(await c.broker_jiaxing.del(`/api/v1/roadshows/${rs.id}`), 409, 'in_use_roadshow');
        assertError(await c.city_taizhou.post(`/api/v1/roadshows/${rs.id}/intents`, { demand_id: dem3, achievement_id: ach1 }), 404, 'not_found');
        const list = await c.county_nanhu.all(`/api/v1/matches?roadshow_id=${rs.id}`);
        assert.deepEqual(list.items.map((i) => i.id), [intent.id]);
    });
});

describe('scope', () => {
    test('a county officer sees the matches of its county only; a party sees its own', async () => {
        const nanhu = await c.county_nanhu.all('/api/v1/matches');
        assert.ok(nanhu.items.length > 0);
        assert.ok(nanhu.items.every((m) => m.region_code === '330402'));
        const xiuzhou = await c.county_xiuzhou.all('/api/v1/matches');
        assert.ok(xiuzhou.items.every((m) => m.region_code === '330411'));
        assertError(await c.county_xiuzhou.get(`/api/v1/matches/${m1}`), 404, 'not_found');
        const ent = await c.ent_nanhu.all('/api/v1/matches');
        const org = c.ent_nanhu.user.org_id;
        assert.ok(ent.items.every((m) => m.demand_org_id === org || m.supply_org_id === org));
        const direct = await c.admin.all(`/api/v1/matches?org_id=${org}`);
        assert.equal(ent.total, direct.total);
    });
});
