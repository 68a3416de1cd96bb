// tickets.test.mjs — supervision tickets (督查): an off-track target opens a ticket by
// itself and only once; only the responsible county answers; only the city closes and
// escalates; reminders; the full history; opening by hand; region scope.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, loginAs, startServer } from './harness.mjs';

let srv;
const c = {};
let year;
let target; // the off-track target of 莲都 (331102) this test creates
let ticket; // its ticket

before(async () => {
    // The sweeper checks for changes every second (default 30).
    srv = await startServer({ env: { KC_SWEEP_SECONDS: '1' } });
    for (const u of ['admin', 'city_lishui', 'city_jiaxing', 'county_liandu', 'county_nanhu']) c[u] = await loginAs(srv, u);
    year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();
});

after(async () => {
    if (srv) await srv.stop();
});

/* Beijing day n days from today (YYYY-MM-DD). */
function day(n) {
    return new Date(Date.now() + 8 * 3600 * 1000 + n * 86400 * 1000).toISOString().slice(0, 10);
}

/* Polls the tickets of a subject until there is one (the server's sweeper), ≤ 30 s. */
async function waitForTicket(subjectId) {
    for (let i = 0; i < 120; i++) {
        const r = assertOk(await c.city_lishui.get(`/api/v1/tickets?subject_kind=target&subject_id=${subjectId}`));
        if (r.total > 0) return r;
        await new Promise((res) => setTimeout(res, 250));
    }
    assert.fail(`no ticket opened for target ${subjectId}`);
}

/* A county submits a value and the city verifies it. */
async function report(value, y) {
    const o = assertOk(await c.county_liandu.post('/api/v1/observations', {
        indicator_code: 'tech_renovation_coverage', region_code: '331102', year: y, value, source: '莲都区经信局',
    }), 201);
    assertOk(await c.city_lishui.post(`/api/v1/observations/${o.id}/verify`));
}

describe('opening', () => {
    test('the demo opened tickets for off-track targets and overdue tasks', async () => {
        const all = assertOk(await c.admin.get('/api/v1/tickets?page_size=200'));
        assert.ok(all.total > 0);
        assert.ok(all.items.some((t) => t.reason === 'overdue_task'));
        assert.ok(all.items.some((t) => t.reason === 'off_track' || t.reason === 'overdue_target'));
        for (const t of all.items) assert.equal(t.status, 'open');
    });

    test('an off-track target opens a ticket by itself, and only one', async () => {
        const plans = assertOk(await c.city_lishui.get('/api/v1/plans?page_size=50')).items;
        const ls = plans.find((p) => p.code === 'LS-2024-KJFN');
        target = assertOk(await c.city_lishui.post('/api/v1/targets', {
            plan_id: ls.id, task_code: 'T8', indicator_code: 'tech_renovation_coverage', code: 'TKT.1',
            region_code: '331102', comparator: '>=', target_value: 90, target_year: year,
        }), 201);
        await report(30, year - 2);
        await report(33, year - 1);
        const t = assertOk(await c.city_lishui.get(`/api/v1/targets/${target.id}`));
        assert.equal(t.status, 'off_track', `the target is off track: ${JSON.stringify(t)}`);
        const r = await waitForTicket(target.id);
        assert.equal(r.total, 1);
        ticket = r.items[0];
        assert.equal(ticket.reason, 'off_track');
        assert.equal(ticket.status, 'open');
        assert.equal(ticket.region_code, '331102');
        assert.equal(ticket.unit_name, '莲都区人民政府');
        assert.equal(ticket.level, 1);
        assert.equal(ticket.deadline, day(15));
        // Sweeping again (on demand, and by the server after another change) opens nothing new.
        const s1 = assertOk(await c.city_lishui.post('/api/v1/tickets/sweep', {}));
        assert.equal(typeof s1.opened, 'number');
        await report(34, year);
        assertOk(await c.city_lishui.post('/api/v1/tickets/sweep', {}));
        const again = assertOk(await c.city_lishui.get(`/api/v1/tickets?subject_kind=target&subject_id=${target.id}`));
        assert.equal(again.total, 1);
        assertError(await c.county_liandu.post('/api/v1/tickets/sweep', {}), 403, 'forbidden');
    });
});

describe('answering and deciding', () => {
    test('only the responsible county answers; validation names the field', async () => {
        const path = `/api/v1/tickets/${ticket.id}`;
        const seen = assertOk(await c.county_liandu.get(path));
        assert.equal(seen.can_answer, true);
        assert.equal(seen.can_close, false);
        assert.equal(seen.subject.kind, 'target');
        assert.equal(seen.subject.indicator_code, 'tech_renovation_coverage');
        assertError(await c.county_nanhu.get(path), 404, 'not_found');
        assertError(await c.county_nanhu.post(`${path}/answer`, { measure: 'x' }), 404, 'not_found');
        assertError(await c.city_jiaxing.get(path), 404, 'not_found');
        assertError(await c.city_lishui.post(`${path}/answer`, { measure: '市里代答' }), 403, 'not_responsible');
        assert.equal(assertOk(await c.city_lishui.get(path)).can_answer, false);
        assertError(await c.county_liandu.post(`${path}/answer`, {}), 422, 'required', 'measure');
        assertError(await c.county_liandu.post(`${path}/answer`, { measure: ' ' }), 422, 'required', 'measure');
        assertError(await c.county_liandu.post(`${path}/answer`, { measure: 'x', photo: 1 }), 422, 'unknown_field', 'photo');
        assertError(await c.county_liandu.post(`${path}/answer`, { measure: 'x'.repeat(2001) }), 422, 'too_long', 'measure');
        const a = assertOk(await c.county_liandu.post(`${path}/answer`, {
            measure: '制定技改专项行动，年内新增技改项目 20 个', evidence: '莲都区经信局 2026 年技改项目清单',
        }));
        assert.equal(a.status, 'answered');
        assertError(await c.county_liandu.post(`${path}/answer`, { measure: '再答一次' }), 409, 'invalid_transition', 'status');
    });

    test('only the city escalates and closes; reminders; the full history', async () => {
        const path = `/api/v1/tickets/${ticket.id}`;
        assertError(await c.county_liandu.post(`${path}/close`, { note: '自行办结' }), 403, 'forbidden');
        assertError(await c.county_liandu.post(`${path}/escalate`, { note: 'x' }), 403, 'forbidden');
        assertError(await c.city_lishui.post(`${path}/escalate`, {}), 422, 'required', 'note');
        assertError(await c.city_lishui.post(`${path}/escalate`, { note: 'x', deadline: day(0) }), 422, 'deadline_range', 'deadline');
        assertError(await c.city_lishui.post(`${path}/escalate`, { note: 'x', deadline: day(200) }), 422, 'deadline_range', 'deadline');
        assertError(await c.city_lishui.post(`${path}/escalate`, { note: 'x', deadline: '2026-02-30' }), 422, 'invalid_date', 'deadline');
        const e = assertOk(await c.city_lishui.post(`${path}/escalate`, { note: '措施不具体，挂牌督办', deadline: day(1) }));
        assert.equal(e.status, 'escalated');
        assert.equal(e.level, 2);
        assert.equal(e.deadline, day(1));
        // The deadline is within three days: the sweep leaves a due-soon reminder.
        const s = assertOk(await c.city_lishui.post('/api/v1/tickets/sweep', {}));
        assert.ok(s.reminders >= 1);
        const withReminder = assertOk(await c.county_liandu.get(path));
        assert.deepEqual(withReminder.reminders.map((m) => [m.kind, m.level]), [['due_soon', 2]]);
        const summary = assertOk(await c.county_liandu.get('/api/v1/tickets/summary'));
        assert.ok(summary.due_soon >= 1);
        assert.ok(summary.reminders.some((m) => m.ticket_id === ticket.id && m.kind === 'due_soon'));
        assertOk(await c.city_lishui.post('/api/v1/tickets/sweep', {}));
        assert.equal(assertOk(await c.county_liandu.get(path)).reminders.length, 1, 'one reminder per kind and level');

        assertOk(await c.county_liandu.post(`${path}/answer`, { measure: '已落实 12 个技改项目，附清单' }));
        const closed = assertOk(await c.city_lishui.post(`${path}/close`, { note: '措施落实，办结' }));
        assert.equal(closed.status, 'closed');
        assert.ok(closed.closed_at);
        assertError(await c.county_liandu.post(`${path}/answer`, { measure: 'x' }), 409, 'invalid_transition', 'status');
        assertError(await c.city_lishui.post(`${path}/close`, { note: 'x' }), 409, 'invalid_transition', 'status');
        assertError(await c.city_lishui.post(`${path}/escalate`, { note: 'x' }), 409, 'invalid_transition', 'status');

        const h = assertOk(await c.city_lishui.get(path));
        assert.deepEqual(h.events.map((x) => x.action), ['open', 'answer', 'escalate', 'remind', 'answer', 'close']);
        assert.deepEqual(h.events.map((x) => x.status_after), ['open', 'answered', 'escalated', 'escalated', 'answered', 'closed']);
        assert.equal(h.events[1].by_user, 'county_liandu');
        assert.equal(h.events[1].evidence, '莲都区经信局 2026 年技改项目清单');
        assert.equal(h.events[2].note, '措施不具体，挂牌督办');
        assert.equal(h.events[0].by_user, 'system');
        const audit = assertOk(await c.admin.get(`/api/v1/audit?entity=sup_ticket&entity_id=${ticket.id}&page_size=50`));
        assert.deepEqual(audit.items.map((x) => x.action).sort(), ['answer', 'answer', 'close', 'create', 'escalate'].sort());

        // Closed for this year: the sweep does not reopen it, even though it is still off track.
        assertOk(await c.city_lishui.post('/api/v1/tickets/sweep', {}));
        const list = assertOk(await c.city_lishui.get(`/api/v1/tickets?subject_kind=target&subject_id=${target.id}`));
        assert.equal(list.total, 1);
    });

    test('the city opens a ticket by hand, once while one is open', async () => {
        const body = { subject_kind: 'target', subject_id: target.id, note: '请说明技改覆盖率偏低的原因' };
        assertError(await c.county_liandu.post('/api/v1/tickets', body), 403, 'forbidden');
        assertError(await c.city_jiaxing.post('/api/v1/tickets', body), 422, 'invalid_value', 'subject_id');
        assertError(await c.city_lishui.post('/api/v1/tickets', { ...body, subject_kind: 'plan' }), 422, 'invalid_value', 'subject_kind');
        const m = assertOk(await c.city_lishui.post('/api/v1/tickets', body), 201);
        assert.equal(m.reason, 'manual');
        assert.equal(m.detail, body.note);
        assert.equal(m.opened_by, 'city_lishui');
        assertError(await c.city_lishui.post('/api/v1/tickets', body), 409, 'ticket_open', 'subject_id');
    });

    test('the county answers with evidence files; the files stay with the answer in the history', async () => {
        const open = assertOk(await c.city_lishui.get(`/api/v1/tickets?subject_kind=target&subject_id=${target.id}&status=open`));
        assert.equal(open.total, 1);
        const path = `/api/v1/tickets/${open.items[0].id}`;
        const pdf = Buffer.from('%PDF-1.4\n% kechuang ticket evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
        const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
        const up = (who, name, buf) => c[who].req('POST', `${path}/files?name=${encodeURIComponent(name)}`, buf,
            { headers: { 'Content-Type': 'application/octet-stream' } });
        // Only the responsible county uploads; bad files are refused and name the field.
        assertError(await up('city_lishui', 'a.pdf', pdf), 403, 'not_responsible');
        assertError(await up('county_nanhu', 'a.pdf', pdf), 404, 'not_found');
        assertError(await up('county_liandu', 'a.pdf', Buffer.from('plain text')), 422, 'file_type', 'file');
        assertError(await c.county_liandu.req('POST', `${path}/files`, pdf,
            { headers: { 'Content-Type': 'application/pdf' } }), 422, 'required', 'name');
        assertError(await up('county_liandu', 'a.pdf', Buffer.alloc(1024 * 1024 + 1, 0x25)), 413, 'too_large');
        const f1 = assertOk(await up('county_liandu', '技改项目清单.pdf', pdf), 201);
        assert.equal(f1.name, '技改项目清单.pdf');
        assert.equal(f1.mime, 'application/pdf');
        const f2 = assertOk(await up('county_liandu', '现场照片.png', png), 201);
        // A wrong upload is removed before answering: only by the unit, only while unused.
        const wrong = assertOk(await up('county_liandu', '传错的文件.pdf', pdf), 201);
        assertError(await c.city_lishui.req('DELETE', `${path}/files/${wrong.id}`), 403, 'not_responsible');
        assertError(await c.county_nanhu.req('DELETE', `${path}/files/${wrong.id}`), 404, 'not_found');
        const removed = assertOk(await c.county_liandu.req('DELETE', `${path}/files/${wrong.id}`));
        assert.ok(!removed.pending_files.some((f) => f.id === wrong.id));
        assertError(await c.county_liandu.req('DELETE', `${path}/files/${wrong.id}`), 404, 'not_found');
        assertError(await c.county_liandu.get(`/api/v1/ticket-files/${wrong.id}`), 404, 'not_found');
        const pending = assertOk(await c.county_liandu.get(path));
        assert.deepEqual(pending.pending_files.map((f) => f.id), [f1.id, f2.id]);
        // A file of another ticket, or an unknown id, cannot be named.
        const other = assertOk(await c.admin.get('/api/v1/tickets?region_code=331102&status=open&page_size=50')).items
            .find((t) => t.id !== open.items[0].id);
        if (other) {
            const fo = assertOk(await c.county_liandu.req('POST', `/api/v1/tickets/${other.id}/files?name=x.pdf`, pdf,
                { headers: { 'Content-Type': 'application/pdf' } }), 201);
            assertError(await c.county_liandu.post(`${path}/answer`, { measure: 'x', file_ids: [fo.id] }), 422, 'file_not_uploaded', 'file_ids');
        }
        assertError(await c.county_liandu.post(`${path}/answer`, { measure: 'x', file_ids: [999999] }), 422, 'file_not_uploaded', 'file_ids');
        assertError(await c.county_liandu.post(`${path}/answer`, { measure: 'x', file_ids: [f1.id, f1.id] }), 422, 'file_not_uploaded', 'file_ids');
        assertError(await c.county_liandu.post(`${path}/answer`, { measure: 'x', file_ids: ['a'] }), 422, 'wrong_type', 'file_ids');
        // The refused answers changed nothing: the ticket is still open, both files unused.
        const still = assertOk(await c.county_liandu.get(path));
        assert.equal(still.status, 'open');
        assert.equal(still.pending_files.length, 2);
        const a = assertOk(await c.county_liandu.post(`${path}/answer`, {
            measure: '原因：技改项目申报滞后；措施：组织专项对接', evidence: '清单与现场照片见附件', file_ids: [f1.id, f2.id],
        }));
        assert.equal(a.status, 'answered');
        assert.deepEqual(a.pending_files, []);
        const ev = a.events.at(-1);
        assert.equal(ev.action, 'answer');
        assert.deepEqual(ev.files.map((f) => [f.id, f.name]), [[f1.id, '技改项目清单.pdf'], [f2.id, '现场照片.png']]);
        // The city downloads the files; another county and another city cannot.
        const dl = await c.city_lishui.get(`/api/v1/ticket-files/${f1.id}`);
        assert.equal(dl.status, 200);
        assert.deepEqual(dl.buf, pdf);
        assertError(await c.county_nanhu.get(`/api/v1/ticket-files/${f1.id}`), 404, 'not_found');
        assertError(await c.city_jiaxing.get(`/api/v1/ticket-files/${f1.id}`), 404, 'not_found');
        // Answered: no more uploads until the city escalates.
        assertError(await up('county_liandu', 'late.pdf', pdf), 409, 'invalid_transition', 'status');
        const audit = assertOk(await c.admin.get(`/api/v1/audit?entity=sup_ticket&entity_id=${open.items[0].id}&page_size=50`));
        assert.equal(audit.items.filter((x) => x.action === 'attach').length, 3);
        assert.equal(audit.items.filter((x) => x.action === 'detach').length, 1);
        // A file used by an answer can no longer be removed.
        assertError(await c.county_liandu.req('DELETE', `${path}/files/${f1.id}`), 404, 'not_found');
    });
});

describe('scope and lists', () => {
    test('a county lists its own tickets, the city its counties\', other cities none', async () => {
        const mine = await c.county_liandu.all('/api/v1/tickets');
        assert.ok(mine.total >= 2);
        assert.ok(mine.items.every((t) => t.region_code === '331102'));
        const nanhu = await c.county_nanhu.all('/api/v1/tickets');
        assert.ok(nanhu.items.every((t) => t.region_code === '330402'));
        const city = await c.city_lishui.all('/api/v1/tickets');
        assert.ok(city.items.every((t) => t.region_code.startsWith('3311')));
        assert.ok(city.items.some((t) => t.region_code === '331102'));
        const jx = await c.city_jiaxing.all('/api/v1/tickets');
        assert.ok(jx.items.every((t) => t.region_code.startsWith('3304')));
        const closed = assertOk(await c.city_lishui.get('/api/v1/tickets?status=closed'));
        assert.ok(closed.items.every((t) => t.status === 'closed'));
        assertError(await c.city_lishui.get('/api/v1/tickets?status=done'), 422, 'invalid_value', 'status');
        assertError(await c.city_lishui.get('/api/v1/tickets?sort=title'), 422);
        const x = await c.city_lishui.get('/api/v1/tickets/export?status=active');
        assert.equal(x.status, 200);
        assert.equal(x.buf.subarray(0, 2).toString(), 'PK');
        assertError(await c.county_liandu.get('/api/v1/tickets/999999'), 404, 'not_found');
    });
});
