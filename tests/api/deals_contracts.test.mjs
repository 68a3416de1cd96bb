// deals_contracts.test.mjs — the technology-contract registry (/api/v1/contracts): type sets
// chosen by signing date, amounts (技术交易额 ≤ 合同成交额), the 16-digit registration number
// (format, uniqueness), derived seller region, region and party scope, statistics that equal
// the sums of the contracts behind them (drill-down), exports, audit.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, loginAs, startServer } from './harness.mjs';

let srv;
const c = {};
let seller; // a non-enterprise organisation in 南湖 (330402)
let buyer; // an enterprise in 秀洲 (330411)
let taizhouOrg; // an organisation in 台州 (outside 嘉兴)
let regSeq = 0;

/* A fresh 16-digit registration number. */
function regno() {
    regSeq += 1;
    return `2025330499${String(900000 + regSeq).padStart(6, '0')}`;
}

/* A valid contract body with overrides. */
function body(over = {}) {
    return {
        title: '高效节能水泵水力模型委托开发',
        type: 'development',
        subtype: 'entrusted',
        seller_org_id: seller.id,
        buyer_org_id: buyer.id,
        contract_amount_fen: 123456789,
        tech_amount_fen: 100000000,
        signed_on: '2025-05-06',
        registration_no: regno(),
        registered_on: '2025-05-20',
        ...over,
    };
}

before(async () => {
    srv = await startServer();
    for (const n of ['admin', 'city_jiaxing', 'county_nanhu', 'county_xiuzhou', 'broker_jiaxing', 'ent_nanhu', 'ent_xiuzhou', 'city_taizhou']) {
        c[n] = await loginAs(srv, n);
    }
    const nanhu = (await c.admin.all('/api/v1/orgs?region_code=330402')).items;
    seller = nanhu.find((o) => o.kind !== 'enterprise' && o.kind !== 'bureau');
    assert.ok(seller, 'a non-enterprise organisation in 330402');
    buyer = { id: c.ent_xiuzhou.user.org_id };
    taizhouOrg = (await c.admin.get('/api/v1/orgs?region_code=331000&kind=enterprise&page_size=1')).json.items[0];
    assert.ok(taizhouOrg);
});

after(async () => {
    if (srv) await srv.stop();
});

describe('contract types', () => {
    test('both rule sets with their types; the set in force follows the date', async () => {
        const r = assertOk(await c.broker_jiaxing.get('/api/v1/contract-types?date=2025-12-31'));
        assert.equal(r.in_force, 'contract-2001');
        const ids = r.items.map((s) => s.id);
        assert.deepEqual(ids, ['contract-2001', 'contract-2026']);
        const t01 = r.items[0].types.map((t) => t.code);
        assert.deepEqual(t01, ['development', 'transfer', 'consulting', 'service']);
        const t26 = r.items[1].types.map((t) => t.code);
        assert.ok(t26.includes('license'), '2026 splits 技术许可 from 技术转让');
        const transfer01 = r.items[0].types.find((t) => t.code === 'transfer').subtypes.map((s) => s.name);
        assert.deepEqual(transfer01, ['专利权转让', '专利申请权转让', '专利实施许可', '技术秘密转让']);
        const service = r.items[0].types.find((t) => t.code === 'service').subtypes.map((s) => s.name);
        assert.deepEqual(service, ['技术服务', '技术培训', '技术中介']);
        assert.equal(typeof r.items[1].provisional, 'string', 'the 2026 set is flagged provisional');
        const r2 = assertOk(await c.broker_jiaxing.get('/api/v1/contract-types?date=2026-01-23'));
        assert.equal(r2.in_force, 'contract-2026');
        assertError(await c.broker_jiaxing.get('/api/v1/contract-types?date=2026-13-01'), 422, 'invalid_date', 'date');
        const en = assertOk(await c.broker_jiaxing.get('/api/v1/contract-types', { lang: 'en' }));
        assert.equal(en.items[0].types[0].name, 'Technology development');
    });
});

describe('registering a contract', () => {
    test('a broker registers a contract in its region: rule set and region derived', async () => {
        const b = body();
        const r = await c.broker_jiaxing.post('/api/v1/contracts', b);
        const k = assertOk(r, 201);
        assert.equal(k.rule_set, 'contract-2001');
        assert.equal(k.region_code, '330402', "region = the seller's");
        assert.equal(k.type_name, '技术开发合同');
        assert.equal(k.subtype_name, '委托开发');
        assert.equal(k.contract_amount_fen, 123456789);
        assert.equal(k.tech_amount_fen, 100000000);
        assert.equal(k.registration_no, b.registration_no);
        const got = assertOk(await c.county_nanhu.get(`/api/v1/contracts/${k.id}`));
        assert.equal(got.seller_org_id, seller.id);
        const audit = assertOk(await c.admin.get(`/api/v1/audit?entity=contract&entity_id=${k.id}`));
        assert.equal(audit.items.length, 1);
        assert.equal(audit.items[0].action, 'create');
    });

    test('技术交易额 > 合同成交额 → 422 naming tech_amount_fen, in Chinese and English', async () => {
        const b = body({ contract_amount_fen: 500000, tech_amount_fen: 500001 });
        const e = assertError(await c.broker_jiaxing.post('/api/v1/contracts', b), 422, 'tech_exceeds_contract', 'tech_amount_fen');
        assert.match(e.message, /技术交易额/);
        const en = assertError(await c.broker_jiaxing.post('/api/v1/contracts', b, { lang: 'en' }), 422, 'tech_exceeds_contract', 'tech_amount_fen');
        assert.match(en.message, /technology value/i);
        // Equal is fine.
        assertOk(await c.broker_jiaxing.post('/api/v1/contracts', body({ contract_amount_fen: 500000, tech_amount_fen: 500000 })), 201);
        // Non-positive or non-integer amounts.
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ contract_amount_fen: 0, tech_amount_fen: 0 })), 422, 'invalid_amount', 'contract_amount_fen');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ tech_amount_fen: -1 })), 422, 'invalid_amount', 'tech_amount_fen');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ contract_amount_fen: 12.5 })), 422, 'wrong_type', 'contract_amount_fen');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ contract_amount_fen: '100' })), 422, 'wrong_type', 'contract_amount_fen');
    });

    test('registration number: 16 digits, unique (409)', async () => {
        for (const bad of ['202533049900001', '20253304990000012', '2025330499A00001', '２０２５３３０４９９０００００１']) {
            assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ registration_no: bad })), 422, 'invalid_registration_no', 'registration_no', bad);
        }
        const b = body();
        assertOk(await c.broker_jiaxing.post('/api/v1/contracts', b), 201);
        const dup = body({ registration_no: b.registration_no });
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', dup), 409, 'duplicate_registration_no', 'registration_no');
        // Another registrar (the city) hits the same uniqueness.
        assertError(await c.city_jiaxing.post('/api/v1/contracts', dup), 409, 'duplicate_registration_no', 'registration_no');
    });

    test('type and sub-type are checked against the set of the signing date', async () => {
        // 技术许可 does not exist under the 2001 rules ...
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ type: 'license', subtype: 'patent_license' })), 422, 'invalid_contract_type', 'type');
        // ... but does for a contract signed under the 2026 rules.
        const k = assertOk(await c.broker_jiaxing.post('/api/v1/contracts', body({ type: 'license', subtype: 'patent_license', signed_on: '2026-02-01', registered_on: '2026-02-10' })), 201);
        assert.equal(k.rule_set, 'contract-2026');
        assert.equal(k.type_name, '技术许可合同');
        // 专利实施许可 is no longer a transfer sub-type in 2026.
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ type: 'transfer', subtype: 'patent_license', signed_on: '2026-02-01', registered_on: '2026-02-10' })), 422, 'invalid_contract_subtype', 'subtype');
        // A named set overrides the date.
        const named = assertOk(await c.broker_jiaxing.post('/api/v1/contracts', body({ rule_set: 'contract-2001', type: 'transfer', subtype: 'patent_license', signed_on: '2026-02-01', registered_on: '2026-02-10' })), 201);
        assert.equal(named.rule_set, 'contract-2001');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ rule_set: 'contract-1999' })), 422, 'invalid_value', 'rule_set');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ subtype: null })), 422, 'required', 'subtype');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ type: 'consulting', subtype: 'service' })), 422, 'invalid_contract_subtype', 'subtype');
        assertOk(await c.broker_jiaxing.post('/api/v1/contracts', body({ type: 'consulting', subtype: null })), 201);
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ type: 'sales', subtype: null })), 422, 'invalid_contract_type', 'type');
        // Before the 2001 rules nothing applies.
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ signed_on: '2000-01-01', registered_on: '2000-02-01' })), 422, 'no_contract_rules', 'signed_on');
    });

    test('dates: valid, not in the future, registration not before signing', async () => {
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ signed_on: '2025-02-30' })), 422, 'invalid_date', 'signed_on');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ registered_on: '20250520' })), 422, 'invalid_date', 'registered_on');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ registered_on: '2025-05-01' })), 422, 'registered_before_signed', 'registered_on');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ signed_on: '2099-01-01', registered_on: '2099-01-02' })), 422, 'date_in_future', 'signed_on');
    });

    test('parties: the seller in the registrar\'s region, buyer anywhere, not the same', async () => {
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ seller_org_id: taizhouOrg.id })), 422, 'org_not_found', 'seller_org_id');
        const k = assertOk(await c.broker_jiaxing.post('/api/v1/contracts', body({ buyer_org_id: taizhouOrg.id })), 201);
        assert.equal(k.region_code, '330402');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ buyer_org_id: 99999999 })), 422, 'org_not_found', 'buyer_org_id');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ buyer_org_id: seller.id })), 422, 'same_party', 'buyer_org_id');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ achievement_id: 99999999 })), 422, 'not_found_ref', 'achievement_id');
    });

    test('malformed bodies: 400 / 422, nothing written', async () => {
        const before = (await c.admin.get('/api/v1/contracts?page_size=1')).json.total;
        const r = await c.broker_jiaxing.req('POST', '/api/v1/contracts', '{"title":');
        assertError(r, 400, 'invalid_json');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ region_code: '330402' })), 422, 'unknown_field', 'region_code');
        const { title, ...noTitle } = body();
        assert.ok(title);
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', noTitle), 422, 'required', 'title');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ title: '   ' })), 422, 'required', 'title');
        assertError(await c.broker_jiaxing.post('/api/v1/contracts', body({ title: '长'.repeat(201) })), 422, 'too_long', 'title');
        assert.equal((await c.admin.get('/api/v1/contracts?page_size=1')).json.total, before);
    });

    test('who may write: brokers and officers; enterprises 403', async () => {
        assertError(await c.ent_nanhu.post('/api/v1/contracts', body()), 403, 'forbidden');
        assertOk(await c.county_nanhu.post('/api/v1/contracts', body()), 201);
        assertError(await c.county_xiuzhou.post('/api/v1/contracts', body()), 422, 'org_not_found', 'seller_org_id');
    });

    test('PATCH corrects, re-derives the rule set from a new signing date; DELETE removes', async () => {
        const k = assertOk(await c.broker_jiaxing.post('/api/v1/contracts', body()), 201);
        const p = assertOk(await c.broker_jiaxing.patch(`/api/v1/contracts/${k.id}`, { signed_on: '2026-03-01', registered_on: '2026-03-05', type: 'license', subtype: 'know_how_license' }));
        assert.equal(p.rule_set, 'contract-2026');
        assert.equal(p.subtype_name, '技术秘密使用许可');
        assertError(await c.broker_jiaxing.patch(`/api/v1/contracts/${k.id}`, { tech_amount_fen: 999999999 }), 422, 'tech_exceeds_contract', 'tech_amount_fen');
        assertError(await c.county_xiuzhou.patch(`/api/v1/contracts/${k.id}`, { title: 'x' }), 404, 'not_found');
        assertError(await c.county_xiuzhou.del(`/api/v1/contracts/${k.id}`), 404, 'not_found');
        assertOk(await c.broker_jiaxing.del(`/api/v1/contracts/${k.id}`));
        assertError(await c.admin.get(`/api/v1/contracts/${k.id}`), 404, 'not_found');
        const audit = assertOk(await c.admin.get(`/api/v1/audit?entity=contract&entity_id=${k.id}`));
        assert.deepEqual(audit.items.map((i) => i.action).sort(), ['create', 'delete', 'update']);
    });
});

describe('scope', () => {
    test('a county officer sees only its county\'s contracts; other counties 404', async () => {
        const nanhu = await c.county_nanhu.all('/api/v1/contracts');
        assert.ok(nanhu.items.length > 0);
        assert.ok(nanhu.items.every((k) => k.region_code === '330402'), 'only 330402');
        const xiuzhou = await c.county_xiuzhou.all('/api/v1/contracts');
        assert.ok(xiuzhou.items.every((k) => k.region_code === '330411'));
        assertError(await c.county_xiuzhou.get(`/api/v1/contracts/${nanhu.items[0].id}`), 404, 'not_found');
        // The region filter cannot widen the scope.
        const wide = await c.county_nanhu.all('/api/v1/contracts?region_code=331000');
        assert.equal(wide.items.length, 0);
    });

    test('a broker sees its city; another city\'s officer does not see it', async () => {
        const b = await c.broker_jiaxing.all('/api/v1/contracts');
        assert.ok(b.items.length > 0);
        assert.ok(b.items.every((k) => k.region_code.startsWith('3304')));
        const all = await c.admin.all('/api/v1/contracts?region_code=330400');
        assert.equal(b.total, all.total, 'the broker sees every 嘉兴 contract');
        const tz = await c.city_taizhou.all('/api/v1/contracts');
        assert.ok(tz.items.every((k) => k.region_code.startsWith('3310')));
        assertError(await c.city_taizhou.get(`/api/v1/contracts/${b.items[0].id}`), 404, 'not_found');
    });

    test('an enterprise sees exactly the contracts it is a party to', async () => {
        const mine = await c.ent_xiuzhou.all('/api/v1/contracts');
        const org = c.ent_xiuzhou.user.org_id;
        assert.ok(mine.items.length > 0, 'the buyer of the contracts above');
        assert.ok(mine.items.every((k) => k.seller_org_id === org || k.buyer_org_id === org));
        const direct = await c.admin.all(`/api/v1/contracts?org_id=${org}`);
        assert.equal(mine.total, direct.total);
        const other = (await c.admin.get('/api/v1/contracts?region_code=331000&page_size=1')).json.items[0];
        assertError(await c.ent_xiuzhou.get(`/api/v1/contracts/${other.id}`), 404, 'not_found');
    });
});

/* Sums of the contracts of a list. */
function sums(items) {
    return {
        count: items.length,
        contract_amount_fen: items.reduce((s, k) => s + k.contract_amount_fen, 0),
        tech_amount_fen: items.reduce((s, k) => s + k.tech_amount_fen, 0),
    };
}

describe('statistics', () => {
    test('totals equal the direct sums of the contracts in scope (admin, city, county)', async () => {
        for (const who of ['admin', 'city_jiaxing', 'county_nanhu', 'broker_jiaxing']) {
            const list = await c[who].all('/api/v1/contracts');
            for (const group of ['month', 'year', 'type', 'subtype', 'region']) {
                const s = assertOk(await c[who].get(`/api/v1/contracts/stats?group=${group}`));
                assert.deepEqual(s.total, sums(list.items), `${who} ${group} total`);
                const byItems = s.items.reduce((a, i) => ({
                    count: a.count + i.count,
                    contract_amount_fen: a.contract_amount_fen + i.contract_amount_fen,
                    tech_amount_fen: a.tech_amount_fen + i.tech_amount_fen,
                }), { count: 0, contract_amount_fen: 0, tech_amount_fen: 0 });
                assert.deepEqual(byItems, s.total, `${who} ${group}: items add up to the total`);
            }
        }
    });

    test('every number drills down to exactly the contracts behind it', async () => {
        const list = (await c.city_jiaxing.all('/api/v1/contracts')).items;
        for (const group of ['type', 'subtype', 'region', 'year']) {
            const s = assertOk(await c.city_jiaxing.get(`/api/v1/contracts/stats?group=${group}`));
            for (const item of s.items) {
                const qs = new URLSearchParams(item.filter).toString();
                const behind = await c.city_jiaxing.all(`/api/v1/contracts?${qs}`);
                assert.deepEqual(sums(behind.items), { count: item.count, contract_amount_fen: item.contract_amount_fen, tech_amount_fen: item.tech_amount_fen }, `${group} ${item.key}`);
                assert.ok(typeof item.label === 'string' && item.label.length > 0);
            }
        }
        // Region keys of a city are its counties; of the admin, the cities.
        const reg = assertOk(await c.city_jiaxing.get('/api/v1/contracts/stats?group=region'));
        assert.ok(reg.items.every((i) => i.key.startsWith('3304') && i.key !== '330400'));
        const adm = assertOk(await c.admin.get('/api/v1/contracts/stats?group=region'));
        assert.ok(adm.items.every((i) => i.key.endsWith('00')));
        // Months: a continuous axis, each equal to the contracts registered in that month.
        const m = assertOk(await c.city_jiaxing.get('/api/v1/contracts/stats?group=month&from=2025-01-01&to=2025-12-31'));
        assert.deepEqual(m.items.map((i) => i.key), Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`));
        for (const item of m.items) {
            const inMonth = list.filter((k) => k.registered_on.startsWith(item.key));
            assert.deepEqual(sums(inMonth), { count: item.count, contract_amount_fen: item.contract_amount_fen, tech_amount_fen: item.tech_amount_fen }, item.key);
        }
        // Types carry their Chinese names.
        const t = assertOk(await c.city_jiaxing.get('/api/v1/contracts/stats?group=type'));
        assert.ok(t.items.some((i) => i.label === '技术服务合同'));
    });

    test('bad statistics parameters → 422 naming them', async () => {
        assertError(await c.admin.get('/api/v1/contracts/stats?group=week'), 422, 'invalid_value', 'group');
        assertError(await c.admin.get('/api/v1/contracts/stats?month=2025-13'), 422, 'invalid_value', 'month');
        assertError(await c.admin.get('/api/v1/contracts/stats?from=yesterday'), 422, 'invalid_date', 'from');
        assertError(await c.admin.get('/api/v1/contracts?region_code=33'), 422, 'invalid_region', 'region_code');
        assertError(await c.admin.get('/api/v1/contracts?sort=amount'), 422, 'invalid_value', 'sort');
        assertError(await c.admin.get('/api/v1/contracts?org_id=abc'), 422, 'invalid_value', 'org_id');
    });
});

describe('export', () => {
    test('XLSX and CSV with the list\'s filters and scope', async () => {
        const x = await c.county_nanhu.get('/api/v1/contracts/export');
        assert.equal(x.status, 200);
        assert.match(x.headers.get('content-type'), /spreadsheetml/);
        assert.equal(x.buf.subarray(0, 2).toString('latin1'), 'PK');
        const csv = await c.county_nanhu.get('/api/v1/contracts/export?format=csv&type=service');
        assert.equal(csv.status, 200);
        assert.match(csv.headers.get('content-type'), /text\/csv/);
        const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r\n/);
        assert.match(lines[0], /合同登记编号/);
        const total = (await c.county_nanhu.get('/api/v1/contracts?type=service&page_size=1')).json.total;
        assert.equal(lines.length - 1, total);
        assertError(await c.county_nanhu.get('/api/v1/contracts/export?format=pdf'), 422, 'invalid_value', 'format');
    });
});
