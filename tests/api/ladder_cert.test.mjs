// ladder_cert.test.mjs — certificates (docs/api-ladder.md): GR number check, valid_to
// computed from the kind, expiry (a certificate counts on valid_to and stops the day
// after: in the list filter, the enterprise filter and the rule record), region scope,
// self-reported certificates an enterprise may change and officer-recorded ones it may not.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, loginAs, makeUscc, startServer } from './harness.mjs';

let srv;
let admin, nanhu, xiuzhou, entNanhu, entXiuzhou;
let firm; // created by county_nanhu in 330402
let ownUscc;
let hnte; // the officer-recorded HNTE certificate of firm

before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
    nanhu = await loginAs(srv, 'county_nanhu');
    xiuzhou = await loginAs(srv, 'county_xiuzhou');
    entNanhu = await loginAs(srv, 'ent_nanhu');
    entXiuzhou = await loginAs(srv, 'ent_xiuzhou');
    firm = assertOk(await nanhu.post('/api/v1/enterprises', {
        uscc: makeUscc('330402'), name: '嘉兴证书测试电子有限公司', region_code: '330402',
        registered_on: '2010-01-01', no_major_incident: true, not_on_abnormal_list: true,
        not_restricted_industry: true,
    }), 201);
    ownUscc = assertOk(await entNanhu.get('/api/v1/enterprises')).items[0].uscc;
});

after(async () => {
    if (srv) await srv.stop();
});

describe('certificates', () => {
    test('the kinds dictionary', async () => {
        const r = assertOk(await entNanhu.get('/api/v1/certifications/kinds'));
        const codes = r.items.map((k) => k.code);
        for (const c of ['tsme', 'hnte', 'innov_sme', 'srdi', 'little_giant', 'sci_little_giant', 'sci_leader', 'other']) {
            assert.ok(codes.includes(c), `${c} in ${codes}`);
        }
        assert.equal(r.items.find((k) => k.code === 'hnte').validity_years, 3);
    });

    test('an HNTE number must be GR + year + province + 6 digits', async () => {
        const base = { uscc: firm.uscc, kind: 'hnte', issued_on: '2021-12-15' };
        for (const number of ['GR20213300123', 'GR2021330012345', 'gr202133001234', 'GR202199001234', 'GR200733001234', 'XX202133001234']) {
            assertError(await nanhu.post('/api/v1/certifications', { ...base, number }), 422, 'invalid_gr_number', 'number', number);
        }
        const r = assertOk(await nanhu.post('/api/v1/certifications', { ...base, number: 'GR202133001234', level: 'national', issuer: '浙江省科学技术厅' }), 201);
        assert.equal(r.valid_to, '2024-12-14', 'valid_to = issued_on + 3 years − 1 day');
        assert.equal(r.source, 'officer');
        assert.equal(r.kind_name, '高新技术企业');
        hnte = r;
        assertError(await nanhu.post('/api/v1/certifications', { ...base, number: 'GR202133001234' }), 409, 'conflict', 'number');
    });

    test('other bad input names the field', async () => {
        const base = { uscc: firm.uscc, kind: 'tsme', issued_on: '2024-04-01' };
        assertError(await nanhu.post('/api/v1/certifications', { ...base, kind: 'nope' }), 422, 'invalid_cert_kind', 'kind');
        assertError(await nanhu.post('/api/v1/certifications', { ...base, issued_on: '2024-13-01' }), 422, 'invalid_date', 'issued_on');
        assertError(await nanhu.post('/api/v1/certifications', { ...base, issued_on: '2150-01-01' }), 422, 'future_date', 'issued_on');
        assertError(await nanhu.post('/api/v1/certifications', { ...base, valid_to: '2024-03-31' }), 422, 'before_issued', 'valid_to');
        assertError(await nanhu.post('/api/v1/certifications', { ...base, level: 'galactic' }), 422, 'invalid_value', 'level');
        assertError(await nanhu.post('/api/v1/certifications', { kind: 'tsme', issued_on: '2024-04-01' }), 422, 'required', 'uscc');
        assertError(await nanhu.post('/api/v1/certifications', { ...base, uscc: makeUscc('330411') }), 422, 'invalid_value', 'uscc');
        assertError(await nanhu.post('/api/v1/certifications', {}), 422, 'required');
    });

    test('a certificate counts through valid_to and stops the day after', async () => {
        const on = async (day) => assertOk(await nanhu.get(`/api/v1/certifications?uscc=${firm.uscc}&kind=hnte&valid_on=${day}`)).total;
        assert.equal(await on('2021-12-14'), 0, 'not before the issue date');
        assert.equal(await on('2021-12-15'), 1);
        assert.equal(await on('2024-12-14'), 1, 'counts on valid_to');
        assert.equal(await on('2024-12-15'), 0, 'stops the day after');
        const ent = async (day) => assertOk(await nanhu.get(`/api/v1/enterprises?q=${firm.uscc}&cert=hnte&cert_on=${day}`)).total;
        assert.equal(await ent('2024-12-14'), 1);
        assert.equal(await ent('2024-12-15'), 0);
        assertError(await nanhu.get('/api/v1/certifications?valid_on=2024-02-30'), 422, 'invalid_date', 'valid_on');
        // The rule record reads has_valid_hnte on 31 December: the 2023 record holds it, 2024 not.
        const a = async (y) => {
            const r = assertOk(await nanhu.get(`/api/v1/enterprises/${firm.uscc}/assessments?rule=tsme-2017&year=${y}`));
            return r.items[0].conditions.find((c) => c.id === 'direct');
        };
        const d23 = await a(2023), d24 = await a(2024);
        assert.equal(d23.status, 'met', JSON.stringify(d23));
        assert.notEqual(d24.status, 'met', JSON.stringify(d24));
        // The profile lists only what counts today (valid to 2024-12-14: expired).
        const p = assertOk(await nanhu.get(`/api/v1/enterprises/${firm.uscc}`));
        assert.equal(p.certifications.filter((c) => c.kind === 'hnte').length, 0);
        // Editing the date moves the window; no valid_to recomputes it.
        const upd = assertOk(await nanhu.patch(`/api/v1/certifications/${hnte.id}`, { issued_on: '2023-11-20' }));
        assert.equal(upd.valid_to, '2026-11-19');
        assert.equal(await on('2026-11-19'), 1);
        assert.equal(await on('2026-11-20'), 0);
    });

    test('region scope: another county and other enterprises get 404 and see nothing', async () => {
        assertOk(await nanhu.get(`/api/v1/certifications/${hnte.id}`));
        assertError(await xiuzhou.get(`/api/v1/certifications/${hnte.id}`), 404, 'not_found');
        assertError(await entNanhu.get(`/api/v1/certifications/${hnte.id}`), 404, 'not_found');
        assertError(await xiuzhou.patch(`/api/v1/certifications/${hnte.id}`, { note: 'x' }), 404, 'not_found');
        assertError(await xiuzhou.del(`/api/v1/certifications/${hnte.id}`), 404, 'not_found');
        assert.equal(assertOk(await xiuzhou.get(`/api/v1/certifications?uscc=${firm.uscc}`)).total, 0);
        const all = await xiuzhou.all('/api/v1/certifications');
        assert.ok(all.items.every((c) => c.region_code === '330411'));
        const mine = await entXiuzhou.all('/api/v1/certifications');
        assert.ok(mine.items.every((c) => c.region_code === '330411' && c.uscc !== firm.uscc && c.uscc !== ownUscc));
    });

    test('an enterprise records its own certificates and changes only those', async () => {
        const r = assertOk(await entNanhu.post('/api/v1/certifications', { kind: 'tsme', number: '20243304020A001', issued_on: '2024-04-01' }), 201);
        assert.equal(r.source, 'self');
        assert.equal(r.uscc, ownUscc);
        assert.equal(r.valid_to, '2025-03-31');
        assertOk(await entNanhu.patch(`/api/v1/certifications/${r.id}`, { note: '年度评价入库' }));
        assertError(await entNanhu.post('/api/v1/certifications', { kind: 'sci_leader', issued_on: '2024-04-01' }), 422, 'officer_only_kind', 'kind');
        assertError(await entNanhu.post('/api/v1/certifications', { uscc: firm.uscc, kind: 'tsme', issued_on: '2024-04-01' }), 422, 'invalid_value', 'uscc');
        // An officer records one for the firm: the firm can no longer change or delete it.
        const off = assertOk(await nanhu.post('/api/v1/certifications', { uscc: ownUscc, kind: 'sci_little_giant', number: '嘉科〔2024〕9001号', issued_on: '2024-06-01', level: 'city' }), 201);
        assert.equal(off.valid_to, null, 'no validity: no expiry');
        assertError(await entNanhu.patch(`/api/v1/certifications/${off.id}`, { note: 'x' }), 409, 'cert_locked');
        assertError(await entNanhu.del(`/api/v1/certifications/${off.id}`), 409, 'cert_locked');
        assertOk(await entNanhu.del(`/api/v1/certifications/${r.id}`));
        assertError(await entNanhu.get(`/api/v1/certifications/${r.id}`), 404, 'not_found');
        const au = assertOk(await admin.get(`/api/v1/audit?entity=certification&entity_id=${r.id}`));
        assert.deepEqual(au.items.map((e) => e.action).sort(), ['create', 'delete', 'update']);
    });

    test('a self-reported certificate is pending and counts nowhere until an officer verifies it', async () => {
        const held = async () => assertOk(await nanhu.get(`/api/v1/enterprises?q=${ownUscc}&cert=hnte&cert_on=2024-06-01`)).total;
        const before = await held();
        const r = assertOk(await entNanhu.post('/api/v1/certifications', { kind: 'hnte', number: 'GR202333009876', issued_on: '2023-12-01' }), 201);
        assert.equal(r.status, 'pending');
        assert.equal(r.valid, false, 'a pending certificate is not valid');
        assert.equal(await held(), before, 'not counted while pending');
        const queue = assertOk(await nanhu.get('/api/v1/certifications?status=pending&page_size=200'));
        assert.ok(queue.items.some((c) => c.id === r.id), 'in the officer\'s queue');
        assert.ok(queue.items.every((c) => c.status === 'pending'));
        assertError(await nanhu.get('/api/v1/certifications?status=maybe'), 422, 'invalid_value', 'status');

        // an enterprise cannot review; another county cannot see it
        assertError(await entNanhu.post(`/api/v1/certifications/${r.id}/verify`, {}), 403, 'forbidden');
        assertError(await xiuzhou.post(`/api/v1/certifications/${r.id}/verify`, {}), 404, 'not_found');
        // rejection needs a reason, in the user's language
        assertError(await nanhu.post(`/api/v1/certifications/${r.id}/reject`, {}), 422, 'required', 'reason');
        const rej = assertOk(await nanhu.post(`/api/v1/certifications/${r.id}/reject`, { reason: '证书编号与公示名单不符' }));
        assert.equal(rej.status, 'rejected');
        assert.equal(rej.review_note, '证书编号与公示名单不符');
        assertError(await nanhu.post(`/api/v1/certifications/${r.id}/verify`, {}), 409, 'cert_not_pending');
        // the firm corrects it: pending again, then verified, then locked for the firm
        const fixed = assertOk(await entNanhu.patch(`/api/v1/certifications/${r.id}`, { number: 'GR202333009877' }));
        assert.equal(fixed.status, 'pending');
        assert.equal(fixed.review_note, null);
        const ok = assertOk(await nanhu.post(`/api/v1/certifications/${r.id}/verify`, {}));
        assert.equal(ok.status, 'verified');
        assert.ok(ok.reviewed_at);
        assert.equal(ok.valid, true);
        assert.equal(await held(), before + 1, 'counted once verified');
        assertError(await entNanhu.patch(`/api/v1/certifications/${r.id}`, { note: 'x' }), 409, 'cert_verified');
        assertError(await entNanhu.del(`/api/v1/certifications/${r.id}`), 409, 'cert_verified');
        const en = await entNanhu.patch(`/api/v1/certifications/${r.id}`, { note: 'x' }, { headers: { 'Accept-Language': 'en' } });
        assert.match(en.json.error.message, /verified/);
        const au = assertOk(await admin.get(`/api/v1/audit?entity=certification&entity_id=${r.id}`));
        assert.deepEqual(au.items.map((e) => e.action).sort(), ['create', 'reject', 'update', 'verify']);
    });

    test('list filters, sort and export', async () => {
        const r = assertOk(await admin.get('/api/v1/certifications?region_code=330402&sort=-issued_on&page_size=10'));
        assert.ok(r.items.every((c) => c.region_code === '330402'));
        for (let i = 1; i < r.items.length; i++) assert.ok(r.items[i - 1].issued_on >= r.items[i].issued_on);
        assertError(await admin.get('/api/v1/certifications?sort=secret'), 422, 'invalid_value', 'sort');
        const x = await nanhu.get('/api/v1/certifications/export?kind=hnte');
        assert.equal(x.status, 200);
        assert.match(x.headers.get('content-type'), /spreadsheetml/);
    });
});
