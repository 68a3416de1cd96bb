// market.test.mjs — the technology market's records: demands (quality gate, life cycle,
// confidentiality scope), achievements (patent numbers, search with highlights, import,
// owners' scope), experts, the public routes, and matching with reasons that follows
// writes at once (the live index).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, loginAs, request, startServer } from './harness.mjs';

let srv;
const c = {};

before(async () => {
    srv = await startServer();
    for (const n of ['admin', 'ent_nanhu', 'ent_xiuzhou', 'inst_jiaxing', 'broker_jiaxing',
        'county_nanhu', 'county_wenling', 'city_taizhou', 'provider_taizhou', 'expert_lishui']) {
        c[n] = await loginAs(srv, n);
    }
});

after(async () => {
    if (srv) await srv.stop();
});

/* A complete demand body (publishable), with overrides. */
function demandInput(over = {}) {
    return {
        title: '电池包壳体高真空压铸铝合金开发',
        problem: '新能源汽车电池包下壳体拟采用一体化压铸，现有铝合金压铸件抗拉强度和延伸率不足，厚大部位有缩孔气孔，热处理后变形。',
        existing: '2800 吨压铸机 3 台，X 射线探伤设备。',
        keywords: ['一体化压铸', '铝合金'],
        indicators: [{ name: '抗拉强度', target: '≥ 260', unit: 'MPa' }, { name: '延伸率', target: '≥ 10', unit: '%' }],
        budget_min_fen: 80_000_000,
        budget_max_fen: 300_000_000,
        deadline: '2027-06-30',
        coop_modes: ['合作开发'],
        chain: 'JX-AUTO-PARTS',
        field: '先进制造与自动化',
        confidentiality: 'public',
        ...over,
    };
}

/* Valid ZC 0006-2003 application numbers (check digits computed here, independently). */
function patentNo(digits12) {
    const w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    const s = [...digits12].reduce((acc, d, i) => acc + Number(d) * w[i], 0) % 11;
    return `${digits12}.${s === 10 ? 'X' : s}`;
}

describe('demands: the quality gate and the life cycle', () => {
    let id;

    test('a demand without indicators and budget is saved as a draft with what is missing', async () => {
        const r = await c.ent_nanhu.post('/api/v1/demands', demandInput({ indicators: [], budget_min_fen: null, budget_max_fen: null }));
        const d = assertOk(r, 201);
        id = d.id;
        assert.equal(d.status, 'draft');
        assert.equal(d.org_id, c.ent_nanhu.user.org_id, 'an enterprise posts for its own organisation');
        assert.equal(d.region_code, '330402', 'the region is the firm\'s');
        assert.equal(d.quality.publishable, false);
        const blocking = d.quality.missing.filter((m) => m.blocks_publishing).map((m) => m.field);
        assert.deepEqual(blocking.sort(), ['budget', 'indicators']);
        assert.equal(d.completeness, d.quality.score);
        assert.ok(d.quality.score < 100 && d.quality.score > 0);
    });

    test('publishing is refused (422) naming the missing fields, in Chinese and in English', async () => {
        const r = await c.ent_nanhu.post(`/api/v1/demands/${id}/status`, { status: 'published' });
        const e = assertError(r, 422, 'incomplete', 'indicators');
        assert.match(e.message, /技术指标/);
        assert.match(e.message, /预算/);
        const en = await c.ent_nanhu.post(`/api/v1/demands/${id}/status`, { status: 'published' }, { lang: 'en' });
        const ee = assertError(en, 422, 'incomplete');
        assert.match(ee.message, /Technical indicators/);
        assert.match(ee.message, /Budget/);
        const still = assertOk(await c.ent_nanhu.get(`/api/v1/demands/${id}`));
        assert.equal(still.status, 'draft', 'nothing changed');
    });

    test('the quality route scores an unsaved form without writing', async () => {
        const r = assertOk(await c.ent_nanhu.post('/api/v1/demands/quality', demandInput()));
        assert.equal(r.quality.publishable, true);
        assert.equal(r.quality.score, 100);
        const half = assertOk(await c.ent_nanhu.post('/api/v1/demands/quality', { title: '某需求', indicators: [] }));
        assert.equal(half.quality.publishable, false);
    });

    test('completing the demand lets it publish; illegal transitions are rejected', async () => {
        const p = assertOk(await c.ent_nanhu.patch(`/api/v1/demands/${id}`, {
            indicators: demandInput().indicators, budget_max_fen: 300_000_000,
        }));
        assert.equal(p.quality.publishable, true);
        assertError(await c.ent_nanhu.post(`/api/v1/demands/${id}/status`, { status: 'matched' }), 422, 'illegal_transition', 'status');
        assertError(await c.ent_nanhu.post(`/api/v1/demands/${id}/status`, { status: 'closed' }), 422, 'illegal_transition');
        const pub = assertOk(await c.ent_nanhu.post(`/api/v1/demands/${id}/status`, { status: 'published' }));
        assert.equal(pub.status, 'published');
        assert.ok(pub.published_at);
        assertError(await c.ent_nanhu.post(`/api/v1/demands/${id}/status`, { status: 'draft' }), 422, 'illegal_transition');
        assertError(await c.ent_nanhu.post(`/api/v1/demands/${id}/status`, { status: 'nonsense' }), 422, 'invalid_value', 'status');
        // A published demand stays publishable: removing its indicators is refused.
        assertError(await c.ent_nanhu.patch(`/api/v1/demands/${id}`, { indicators: [] }), 422, 'incomplete', 'indicators');
        assertError(await c.ent_nanhu.del(`/api/v1/demands/${id}`), 422, 'not_draft');
        assert.equal(assertOk(await c.ent_nanhu.post(`/api/v1/demands/${id}/status`, { status: 'matched' })).status, 'matched');
        assert.equal(assertOk(await c.ent_nanhu.post(`/api/v1/demands/${id}/status`, { status: 'published' })).status, 'published');
        assert.equal(assertOk(await c.ent_nanhu.post(`/api/v1/demands/${id}/status`, { status: 'closed' })).status, 'closed');
        for (const s of ['published', 'matched', 'draft']) {
            assertError(await c.ent_nanhu.post(`/api/v1/demands/${id}/status`, { status: s }), 422, 'illegal_transition');
        }
        assertError(await c.ent_nanhu.patch(`/api/v1/demands/${id}`, { title: '改个标题' }), 422, 'demand_closed');
    });

    test('the audit log records the demand and its status changes', async () => {
        const r = assertOk(await c.admin.get(`/api/v1/audit?entity=demand&entity_id=${id}&page_size=50`));
        const actions = r.items.map((e) => e.action);
        assert.ok(actions.includes('create'));
        assert.ok(actions.filter((a) => a === 'status').length >= 4, JSON.stringify(actions));
    });

    test('bad input answers 4xx naming the field', async () => {
        assertError(await c.ent_nanhu.post('/api/v1/demands', demandInput({ coop_modes: ['随便合作'] })), 422, 'invalid_value', 'coop_modes');
        assertError(await c.ent_nanhu.post('/api/v1/demands', demandInput({ budget_min_fen: 500, budget_max_fen: 100 })), 422, 'max_below_min', 'budget_max_fen');
        assertError(await c.ent_nanhu.post('/api/v1/demands', demandInput({ deadline: '2027-02-30' })), 422, 'invalid_date', 'deadline');
        assertError(await c.ent_nanhu.post('/api/v1/demands', demandInput({ confidentiality: 'secret' })), 422, 'invalid_value', 'confidentiality');
        assertError(await c.ent_nanhu.post('/api/v1/demands', demandInput({ chain: 'NO-SUCH-CHAIN' })), 422, 'invalid_value', 'chain');
        assertError(await c.ent_nanhu.post('/api/v1/demands', demandInput({ indicators: [{ name: '强度' }] })), 422, 'required', 'indicators');
        assertError(await c.ent_nanhu.post('/api/v1/demands', demandInput({ indicators: [{ name: '强度', target: '1', extra: 1 }] })), 422, 'unknown_field', 'indicators');
        assertError(await c.ent_nanhu.post('/api/v1/demands', demandInput({ indicators: 'none' })), 422, 'wrong_type', 'indicators');
        assertError(await c.ent_nanhu.post('/api/v1/demands', demandInput({ org_id: c.ent_xiuzhou.user.org_id })), 422, 'org_out_of_scope', 'org_id');
        assertError(await c.ent_nanhu.post('/api/v1/demands', '{"title": '), 400, 'invalid_json');
        assertError(await c.ent_nanhu.post('/api/v1/demands', demandInput({ title: '' })), 422, 'required', 'title');
        assertError(await c.inst_jiaxing.post('/api/v1/demands', demandInput()), 403, 'forbidden');
    });
});

describe('demands: confidentiality', () => {
    const ids = {};

    before(async () => {
        for (const conf of ['public', 'members', 'brokers_only']) {
            const d = assertOk(await c.ent_nanhu.post('/api/v1/demands', demandInput({ title: `保密测试需求 ${conf}`, confidentiality: conf })), 201);
            assertOk(await c.ent_nanhu.post(`/api/v1/demands/${d.id}/status`, { status: 'published' }));
            ids[conf] = d.id;
        }
        ids.draft = assertOk(await c.ent_nanhu.post('/api/v1/demands', demandInput({ title: '保密测试需求 draft' })), 201).id;
    });

    /* Status of GET /api/v1/demands/{id} for client cl, or of the public route. */
    const see = async (cl, id) => (cl ? (await cl.get(`/api/v1/demands/${id}`)).status : (await request(srv.base, `/api/v1/public/demands/${id}`)).status);

    test('anonymous visitors see published public demands only', async () => {
        assert.equal(await see(null, ids.public), 200);
        for (const k of ['members', 'brokers_only', 'draft']) assert.equal(await see(null, ids[k]), 404, k);
        const list = await request(srv.base, '/api/v1/public/demands?page_size=200&q=保密测试需求');
        assert.equal(list.status, 200);
        assert.deepEqual(list.json.items.map((d) => d.id), [ids.public]);
        for (const d of (await request(srv.base, '/api/v1/public/demands?page_size=200')).json.items) {
            assert.equal(d.confidentiality, 'public');
            assert.notEqual(d.status, 'draft');
            assert.ok(!('contact_name' in d) && !('contact_phone' in d), 'no contacts on the public pages');
        }
    });

    test('another firm sees public and members demands, never brokers-only or drafts (404)', async () => {
        assert.equal(await see(c.ent_xiuzhou, ids.public), 200);
        assert.equal(await see(c.ent_xiuzhou, ids.members), 200);
        assert.equal(await see(c.ent_xiuzhou, ids.brokers_only), 404);
        assert.equal(await see(c.ent_xiuzhou, ids.draft), 404);
        assert.equal(await see(c.inst_jiaxing, ids.brokers_only), 404);
        assert.equal(await see(c.provider_taizhou, ids.brokers_only), 404);
        const list = assertOk(await c.ent_xiuzhou.get('/api/v1/demands?page_size=200&q=保密测试需求'));
        assert.deepEqual(list.items.map((d) => d.id).sort(), [ids.public, ids.members].sort());
        const other = assertOk(await c.ent_xiuzhou.get(`/api/v1/demands/${ids.public}`));
        assert.ok(!('contact_phone' in other), 'other firms do not get the contact');
        assert.equal(other.can_edit, false);
        assertError(await c.ent_xiuzhou.patch(`/api/v1/demands/${ids.public}`, { title: 'x' }), 403, 'forbidden');
        assertError(await c.ent_xiuzhou.patch(`/api/v1/demands/${ids.brokers_only}`, { title: 'x' }), 404, 'not_found');
    });

    test('brokers and officers of the region see brokers-only; officers see drafts; others outside do not', async () => {
        assert.equal(await see(c.broker_jiaxing, ids.brokers_only), 200);
        assert.equal(await see(c.broker_jiaxing, ids.draft), 404, 'brokers do not see drafts');
        assert.equal(await see(c.county_nanhu, ids.brokers_only), 200);
        assert.equal(await see(c.county_nanhu, ids.draft), 200);
        assert.equal(await see(c.county_wenling, ids.brokers_only), 404, 'an officer of another county');
        assert.equal(await see(c.city_taizhou, ids.draft), 404);
        assert.equal(await see(c.admin, ids.brokers_only), 200);
        assert.equal(await see(c.ent_nanhu, ids.brokers_only), 200, 'the owner');
        assert.equal(await see(c.ent_nanhu, ids.draft), 200);
        // An officer of the region may edit on the firm's behalf; one outside may not even see it.
        assertOk(await c.county_nanhu.patch(`/api/v1/demands/${ids.draft}`, { existing: '由区科技局协助补充' }));
        assertError(await c.county_wenling.patch(`/api/v1/demands/${ids.draft}`, { existing: 'x' }), 404);
    });

    test('matching never returns demands the viewer may not see', async () => {
        // An achievement written to fit the brokers-only demand exactly.
        const a = assertOk(await c.inst_jiaxing.post('/api/v1/achievements', {
            title: '保密测试需求 电池包壳体高真空压铸铝合金', kind: '技术秘密', abstract: '一体化压铸 铝合金 抗拉强度 延伸率 电池包壳体', trl: 6, transfer_modes: ['合作开发'],
        }), 201);
        const seen = async (cl) => assertOk(await cl.get(`/api/v1/achievements/${a.id}/matches?limit=100`)).items.map((i) => i.id);
        const forFirm = await seen(c.ent_xiuzhou);
        assert.ok(forFirm.includes(ids.public));
        assert.ok(!forFirm.includes(ids.brokers_only) && !forFirm.includes(ids.draft));
        const forBroker = await seen(c.broker_jiaxing);
        assert.ok(forBroker.includes(ids.brokers_only), 'the broker sees the brokers-only demand matched');
        assert.ok(!forBroker.includes(ids.draft));
    });
});

describe('achievements', () => {
    test('patent numbers are checked by the ZC 0006-2003 check digit and normalised', async () => {
        const good = patentNo('202310123456');
        const bad = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
        const base = { title: '高效离心泵叶轮水力设计方法', kind: '发明专利', trl: 6, transfer_modes: ['转让', '许可'] };
        const e = assertError(await c.inst_jiaxing.post('/api/v1/achievements', { ...base, patent_numbers: [good, bad] }), 422, 'invalid_patent_number', 'patent_numbers');
        assert.match(e.message, /第 2 项/);
        assertError(await c.inst_jiaxing.post('/api/v1/achievements', { ...base, patent_numbers: [] }), 422, 'patent_required', 'patent_numbers');
        assertError(await c.inst_jiaxing.post('/api/v1/achievements', { ...base, patent_numbers: [patentNo('202320123456')] }), 422, 'patent_kind_mismatch', 'patent_numbers');
        assertError(await c.inst_jiaxing.post('/api/v1/achievements', { ...base, patent_numbers: ['ZL202310123456'] }), 422, 'invalid_patent_number');
        const ok = assertOk(await c.inst_jiaxing.post('/api/v1/achievements', { ...base, patent_numbers: [`ZL${good.replace('.', '')}`.toLowerCase()] }), 201);
        assert.deepEqual(ok.patent_numbers, [good], 'stored in the normalised form');
        assert.equal(ok.owner_org_id, c.inst_jiaxing.user.org_id);
        assert.equal(ok.region_code, '330402');
        assert.equal(ok.status, 'published');
    });

    test('other rules: kind, TRL, modes, prices, owner', async () => {
        const base = { title: '某成果', kind: '技术秘密' };
        assertError(await c.inst_jiaxing.post('/api/v1/achievements', { ...base, kind: '论文' }), 422, 'invalid_value', 'kind');
        assertError(await c.inst_jiaxing.post('/api/v1/achievements', { ...base, trl: 10 }), 422, 'out_of_range', 'trl');
        assertError(await c.inst_jiaxing.post('/api/v1/achievements', { ...base, transfer_modes: ['转让', '转让'] }), 422, 'invalid_value', 'transfer_modes');
        assertError(await c.inst_jiaxing.post('/api/v1/achievements', { ...base, price_min_fen: 10, price_max_fen: 5 }), 422, 'max_below_min', 'price_max_fen');
        assertError(await c.inst_jiaxing.post('/api/v1/achievements', { ...base, owner_org_id: c.ent_nanhu.user.org_id }), 422, 'org_out_of_scope', 'owner_org_id');
        assertError(await c.county_nanhu.post('/api/v1/achievements', { ...base }), 422, 'required', 'owner_org_id');
        assertError(await c.broker_jiaxing.post('/api/v1/achievements', { ...base }), 403, 'forbidden');
    });

    test('drafts are the owner\'s; others get 404, edits by others 403', async () => {
        const d = assertOk(await c.inst_jiaxing.post('/api/v1/achievements', { title: '草稿成果 钛合金', kind: '其他', status: 'draft' }), 201);
        assert.equal((await c.ent_nanhu.get(`/api/v1/achievements/${d.id}`)).status, 404);
        assert.equal((await request(srv.base, `/api/v1/public/achievements/${d.id}`)).status, 404);
        assert.equal((await c.county_nanhu.get(`/api/v1/achievements/${d.id}`)).status, 200);
        const pub = assertOk(await c.inst_jiaxing.patch(`/api/v1/achievements/${d.id}`, { status: 'published' }));
        assert.equal(pub.status, 'published');
        assert.equal((await request(srv.base, `/api/v1/public/achievements/${d.id}`)).status, 200);
        assertError(await c.ent_nanhu.patch(`/api/v1/achievements/${d.id}`, { title: 'x' }), 403, 'forbidden');
        assertOk(await c.inst_jiaxing.del(`/api/v1/achievements/${d.id}`));
        assert.equal((await c.inst_jiaxing.get(`/api/v1/achievements/${d.id}`)).status, 404);
    });

    test('search finds 1- to 4-character Chinese terms with highlight spans', async () => {
        for (const q of ['泵', '电池', '锂电池', '神经网络']) {
            const r = assertOk(await c.ent_nanhu.get(`/api/v1/achievements?q=${encodeURIComponent(q)}&page_size=5`));
            assert.ok(r.total > 0, `${q}: hits`);
            assert.deepEqual(r.terms, [q]);
            for (const it of r.items) {
                const title = Array.from(it.title);
                const snip = Array.from(it.snippet.text);
                const marked = [...it.highlights.title.map(([s, e]) => title.slice(s, e).join('')),
                    ...it.snippet.spans.map(([s, e]) => snip.slice(s, e).join(''))];
                assert.ok(marked.length > 0, `${q}: something is highlighted in ${it.title}`);
                for (const m of marked) assert.equal(m, q);
            }
        }
        const and = assertOk(await c.ent_nanhu.get(`/api/v1/achievements?q=${encodeURIComponent('锂电池 正极')}&page_size=50`));
        const only = assertOk(await c.ent_nanhu.get(`/api/v1/achievements?q=${encodeURIComponent('锂电池')}&page_size=1`));
        assert.ok(and.total > 0 && and.total < only.total, 'two terms narrow the result');
        const f = assertOk(await c.ent_nanhu.get('/api/v1/achievements?kind=发明专利&trl_min=6&transfer_mode=许可&page_size=50'));
        assert.ok(f.total > 0);
        for (const it of f.items) {
            assert.equal(it.kind, '发明专利');
            assert.ok(it.trl >= 6);
            assert.ok(it.transfer_modes.includes('许可'));
        }
        assertError(await c.ent_nanhu.get('/api/v1/achievements?trl_min=12'), 422, 'invalid_value', 'trl_min');
        const pub = await request(srv.base, `/api/v1/public/achievements?q=${encodeURIComponent('电池')}`);
        assert.equal(pub.status, 200);
        assert.ok(pub.json.items.every((a) => a.status === 'published' && !('external_id' in a) === false || a.status === 'published'));
    });

    test('import (JSON Lines and CSV) is idempotent by external id, with per-row errors', async () => {
        const good = patentNo('201910654321');
        const lines = [
            { id: 'imp-1', title: '高效节能水泵叶轮', abstract: '采用三元流设计的水泵叶轮', keywords: ['水泵', '叶轮'], kind: '发明专利', patent_numbers: [good], trl: 7, transfer_modes: ['许可'] },
            { id: 'imp-2', title: '阀门密封面堆焊材料', kind: '其他', trl: 11 },
            { id: 'imp-3', title: '球阀硬密封结构', kind: '实用新型', patent_numbers: [good] },
            { id: 'imp-1', title: '重复' },
        ].map((o) => JSON.stringify(o)).join('\n') + '\n';
        const send = (cl, body, fmt) => cl.req('POST', `/api/v1/achievements/import${fmt ? `?format=${fmt}` : ''}`, body, { headers: { 'Content-Type': 'text/plain' } });
        const r1 = assertOk(await send(c.inst_jiaxing, lines));
        assert.equal(r1.rows, 4);
        assert.equal(r1.inserted, 1);
        assert.equal(r1.errors, 3);
        const byLine = Object.fromEntries(r1.row_errors.map((e) => [e.line, e]));
        assert.equal(byLine[2].field, 'trl');
        assert.equal(byLine[2].code, 'out_of_range');
        assert.match(byLine[2].message, /技术成熟度/);
        assert.equal(byLine[3].code, 'patent_kind_mismatch');
        assert.equal(byLine[4].code, 'duplicate');
        const r2 = assertOk(await send(c.inst_jiaxing, lines));
        assert.equal(r2.inserted, 0);
        assert.equal(r2.unchanged, 1);
        const csv = 'id,title,keywords,kind,trl,transfer_modes\nimp-1,高效节能水泵叶轮（改进型）,水泵;叶轮,发明专利,8,许可;转让\nimp-4,智能阀门定位器,阀门,其他,5,合作开发\n';
        const r3 = assertOk(await send(c.inst_jiaxing, csv, 'csv'));
        assert.equal(r3.updated, 1);
        assert.equal(r3.inserted, 1);
        const found = assertOk(await c.inst_jiaxing.get(`/api/v1/achievements?q=${encodeURIComponent('水泵叶轮 改进型')}&mine=1`));
        const imp1 = found.items.find((i) => i.external_id === 'imp-1');
        assert.ok(imp1, 'the updated row is found');
        assert.equal(imp1.title, '高效节能水泵叶轮（改进型）');
        assert.equal(imp1.trl, 8);
        assert.deepEqual(imp1.transfer_modes, ['许可', '转让']);
        assert.equal(imp1.owner_org_id, c.inst_jiaxing.user.org_id);
        // Another institution cannot overwrite it; an enterprise imports only for itself.
        const r4 = assertOk(await send(c.ent_nanhu, csv, 'csv'));
        assert.equal(r4.errors, 2);
        assert.ok(r4.row_errors.every((e) => e.code === 'not_yours'));
        assertError(await send(c.inst_jiaxing, 'name,text\nx,y\n', 'csv'), 422, 'missing_column');
        assertError(await send(c.inst_jiaxing, ''), 422, 'import_format');
        assertError(await send(c.inst_jiaxing, lines, 'xml'), 422, 'invalid_value', 'format');
        // The imported achievement is matchable at once.
        const d = assertOk(await c.ent_nanhu.post('/api/v1/demands', demandInput({ title: '改进型高效节能水泵叶轮', problem: '需要改进型高效节能水泵叶轮的三元流设计，提高水泵效率。' })), 201);
        const m = assertOk(await c.ent_nanhu.get(`/api/v1/demands/${d.id}/matches?target=achievements&limit=5`));
        assert.equal(m.items[0].title, '高效节能水泵叶轮（改进型）');
    });
});

describe('experts', () => {
    test('create, edit, list; contacts only for staff and the own organisation', async () => {
        const e = assertOk(await c.inst_jiaxing.post('/api/v1/experts', {
            name: '测试专家', title: '教授', fields: ['新材料', '材料科学与工程'], keywords: ['镁合金', '压铸'],
            bio: '长期从事镁合金压铸与热处理研究。', email: 'x@example.org',
        }), 201);
        assert.equal(e.org_id, c.inst_jiaxing.user.org_id);
        assert.equal(e.region_code, '330402');
        assert.equal(e.email, 'x@example.org');
        const other = assertOk(await c.ent_nanhu.get(`/api/v1/experts/${e.id}`));
        assert.equal(other.email, null, 'another organisation does not get the contact');
        assert.equal(assertOk(await c.broker_jiaxing.get(`/api/v1/experts/${e.id}`)).email, 'x@example.org');
        assertError(await c.inst_jiaxing.post('/api/v1/experts', { name: 'y', email: 'not-an-email' }), 422, 'invalid_value', 'email');
        assertError(await c.ent_nanhu.patch(`/api/v1/experts/${e.id}`, { name: 'z' }), 403, 'forbidden');
        assertOk(await c.inst_jiaxing.patch(`/api/v1/experts/${e.id}`, { keywords: ['镁合金', '压铸', '半固态成形'] }));
        const l = assertOk(await c.ent_nanhu.get('/api/v1/experts?q=测试专家'));
        assert.equal(l.total, 1);
        assert.equal((await request(srv.base, `/api/v1/experts/${e.id}`)).status, 401, 'no public expert pages');
    });
});

describe('matching', () => {
    let dem;

    before(async () => {
        dem = assertOk(await c.ent_nanhu.post('/api/v1/demands', demandInput({ title: '锂电池正极材料循环寿命提升', problem: '储能用锂离子电池正极材料在高温循环中容量衰减快，需要改进正极材料包覆和掺杂工艺，提高循环寿命和能量密度。', keywords: ['锂离子电池', '正极材料'], field: '新能源与节能', coop_modes: ['技术转让', '合作开发'] })), 201);
    });

    test('demand → achievements: ranked, with per-field text reasons, terms, highlights and signal contributions that add up', async () => {
        const r = assertOk(await c.ent_nanhu.get(`/api/v1/demands/${dem.id}/matches?target=achievements&limit=10`));
        assert.equal(r.target, 'achievements');
        assert.equal(r.source.id, dem.id);
        assert.equal(r.items.length, 10);
        for (let i = 1; i < r.items.length; i++) assert.ok(r.items[i - 1].score >= r.items[i].score, 'best first');
        let signals = 0;
        for (const it of r.items) {
            assert.ok(it.reasons.length > 0);
            const sum = it.reasons.reduce((a, x) => a + x.contribution, 0);
            assert.ok(Math.abs(sum - it.score) < 0.01 * Math.max(1, it.score), `contributions ${sum} add up to ${it.score}`);
            const text = it.reasons.filter((x) => x.signal === 'text');
            assert.ok(text.length > 0 && text.every((x) => ['title', 'keywords', 'abstract'].includes(x.field)));
            assert.ok(it.terms.length > 0);
            const q = dem.title + dem.problem + dem.keywords.join('') + dem.indicators.map((x) => x.name).join('');
            for (const t of it.terms) assert.ok(q.includes(t), `term ${t} is the demand's own words`);
            const title = Array.from(it.title);
            for (const [s, e] of it.highlights.title) assert.ok(it.terms.includes(title.slice(s, e).join('')) || it.terms.some((t) => title.slice(s, e).join('').includes(t)));
            signals += it.reasons.filter((x) => x.signal !== 'text').length;
            assert.equal(it.record.status, 'published');
            assert.notEqual(it.record.owner_org_id, c.ent_nanhu.user.org_id, 'never the firm\'s own');
        }
        assert.ok(signals > 0, 'structured signals fire on the demo data');
        const top = r.items[0];
        assert.match(top.title + top.snippet.text, /锂|电池|正极/);
    });

    test('demand → institutions and experts', async () => {
        const inst = assertOk(await c.ent_nanhu.get(`/api/v1/demands/${dem.id}/matches?target=institutions&limit=5`));
        assert.ok(inst.items.length > 0);
        for (const it of inst.items) {
            const a = it.reasons.find((x) => x.signal === 'achievements');
            assert.ok(a && a.items.length >= 1 && a.items.length <= 3);
            assert.ok(it.record.name && it.record.matching_achievements >= a.items.length);
        }
        const ex = assertOk(await c.ent_nanhu.get(`/api/v1/demands/${dem.id}/matches?target=experts&limit=5`));
        assert.ok(ex.items.length > 0);
        assert.ok(ex.items[0].reasons.some((x) => x.signal === 'text' && ['fields', 'keywords', 'bio'].includes(x.field)));
        assertError(await c.ent_nanhu.get(`/api/v1/demands/${dem.id}/matches?target=people`), 422, 'invalid_value', 'target');
        assertError(await c.ent_nanhu.get(`/api/v1/demands/${dem.id}/matches?limit=0`), 422, 'invalid_value', 'limit');
        assert.equal((await c.ent_xiuzhou.get(`/api/v1/demands/${dem.id}/matches`)).status, 404, 'a draft of another firm');
    });

    test('the index follows writes: a new achievement is found, an edited one moves, a deleted one disappears', async () => {
        const word = '钒钛磁铁矿冶炼渣';
        const d = assertOk(await c.ent_nanhu.post('/api/v1/demands', demandInput({ title: `${word}综合利用`, problem: `需要${word}中钒和钛的高效回收工艺。` })), 201);
        const ids = async () => assertOk(await c.ent_nanhu.get(`/api/v1/demands/${d.id}/matches?limit=5`)).items.map((i) => i.id);
        const a = assertOk(await c.inst_jiaxing.post('/api/v1/achievements', { title: `${word}提钒提钛新工艺`, kind: '技术秘密', trl: 5 }), 201);
        assert.equal((await ids())[0], a.id);
        assertOk(await c.inst_jiaxing.patch(`/api/v1/achievements/${a.id}`, { title: '与之无关的纺织印染废水处理' }));
        assert.ok(!(await ids()).includes(a.id));
        assertOk(await c.inst_jiaxing.patch(`/api/v1/achievements/${a.id}`, { title: `${word}提钒提钛新工艺` }));
        assert.equal((await ids())[0], a.id);
        assertOk(await c.inst_jiaxing.del(`/api/v1/achievements/${a.id}`));
        assert.ok(!(await ids()).includes(a.id));
    });

    test('achievement → demands carries reasons and the published demands of others only', async () => {
        const a = assertOk(await c.inst_jiaxing.post('/api/v1/achievements', { title: '锂离子电池正极材料包覆改性技术', abstract: '提高锂电池正极材料循环寿命和能量密度', kind: '技术秘密', trl: 7, transfer_modes: ['转让'] }), 201);
        assertOk(await c.ent_nanhu.post(`/api/v1/demands/${dem.id}/status`, { status: 'published' }));
        const r = assertOk(await c.inst_jiaxing.get(`/api/v1/achievements/${a.id}/matches?limit=20`));
        assert.equal(r.target, 'demands');
        const hit = r.items.find((i) => i.id === dem.id);
        assert.ok(hit, 'the published demand is found');
        assert.ok(hit.reasons.some((x) => x.signal === 'trl'), 'TRL 7 fits 技术转让');
        assert.ok(hit.reasons.some((x) => x.signal === 'mode'), '转让 fits 技术转让');
        assert.ok(r.items.every((i) => i.record.status === 'published'));
    });
});
