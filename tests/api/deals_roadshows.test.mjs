// deals_roadshows.test.mjs — roadshows (成果推介会): create with showcased achievements and
// attendees, validation naming the field, region scope, attendee visibility, edit, delete.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, loginAs, startServer } from './harness.mjs';

let srv;
const c = {};
let achievementIds = [];
let attendees = [];

before(async () => {
    srv = await startServer();
    for (const n of ['admin', 'city_jiaxing', 'county_nanhu', 'county_xiuzhou', 'broker_jiaxing', 'ent_nanhu', 'ent_xiuzhou', 'city_taizhou']) {
        c[n] = await loginAs(srv, n);
    }
    attendees = [c.ent_nanhu.user.org_id, c.ent_xiuzhou.user.org_id];
    // Achievements are the market's; take any two the demo holds, if it holds any.
    const a = await c.admin.get('/api/v1/achievements?page_size=2');
    if (a.status === 200) achievementIds = a.json.items.map((x) => x.id);
});

after(async () => {
    if (srv) await srv.stop();
});

/* A valid roadshow body. */
function body(over = {}) {
    return {
        title: '嘉兴 2026 年汽车零部件产业链成果推介会',
        held_on: '2026-12-08',
        chain: 'JX-135N',
        region_code: '330400',
        venue: '嘉兴科技城会议中心',
        description: '发布产业链共性技术需求，推介高校院所成果。',
        achievement_ids: achievementIds,
        attendee_org_ids: attendees,
        ...over,
    };
}

describe('roadshows', () => {
    let id;

    test('a broker creates one; the record lists attendees and showcased achievements', async () => {
        const r = assertOk(await c.broker_jiaxing.post('/api/v1/roadshows', body()), 201);
        id = r.id;
        assert.equal(r.region_code, '330400');
        assert.equal(r.chain_name, '135N先进制造业集群');
        assert.deepEqual(r.attendees.map((o) => o.id).sort(), [...attendees].sort());
        assert.deepEqual(r.achievements.map((o) => o.id).sort(), [...achievementIds].sort());
        assert.equal(r.attendee_count, 2);
        const list = assertOk(await c.city_jiaxing.get('/api/v1/roadshows?q=汽车零部件'));
        assert.equal(list.total, 1);
        assert.equal(list.items[0].id, id);
    });

    test('bad input names the field; nothing is written', async () => {
        const before = (await c.admin.get('/api/v1/roadshows?page_size=1')).json.total;
        assertError(await c.broker_jiaxing.post('/api/v1/roadshows', body({ held_on: '2026-02-30' })), 422, 'invalid_date', 'held_on');
        assertError(await c.broker_jiaxing.post('/api/v1/roadshows', body({ region_code: '331000' })), 422, 'region_out_of_scope', 'region_code');
        assertError(await c.broker_jiaxing.post('/api/v1/roadshows', body({ region_code: '999999' })), 422, 'invalid_region', 'region_code');
        assertError(await c.broker_jiaxing.post('/api/v1/roadshows', body({ chain: 'NOPE' })), 422, 'invalid_value', 'chain');
        assertError(await c.broker_jiaxing.post('/api/v1/roadshows', body({ attendee_org_ids: [attendees[0], 99999999] })), 422, 'not_found_ref', 'attendee_org_ids[1]');
        assertError(await c.broker_jiaxing.post('/api/v1/roadshows', body({ achievement_ids: [99999999] })), 422, 'not_found_ref', 'achievement_ids[0]');
        assertError(await c.broker_jiaxing.post('/api/v1/roadshows', body({ attendee_org_ids: ['x'] })), 422, 'wrong_type', 'attendee_org_ids');
        assertError(await c.broker_jiaxing.post('/api/v1/roadshows', body({ title: '' })), 422, 'required', 'title');
        assertError(await c.ent_nanhu.post('/api/v1/roadshows', body()), 403, 'forbidden');
        assert.equal((await c.admin.get('/api/v1/roadshows?page_size=1')).json.total, before);
    });

    test('scope: other cities 404; attendees see the roadshows they attended', async () => {
        assertError(await c.city_taizhou.get(`/api/v1/roadshows/${id}`), 404, 'not_found');
        const tz = await c.city_taizhou.all('/api/v1/roadshows');
        assert.ok(tz.items.every((e) => e.region_code.startsWith('3310')));
        assertOk(await c.ent_nanhu.get(`/api/v1/roadshows/${id}`));
        const mine = await c.ent_nanhu.all('/api/v1/roadshows');
        assert.ok(mine.items.some((e) => e.id === id));
        for (const e of mine.items) {
            const full = assertOk(await c.ent_nanhu.get(`/api/v1/roadshows/${e.id}`));
            const own = c.ent_nanhu.user.org_id;
            assert.ok(full.attendees.some((o) => o.id === own) || full.achievements.some((a) => a.owner_org_id === own));
        }
        assertError(await c.city_taizhou.patch(`/api/v1/roadshows/${id}`, { title: 'x' }), 404, 'not_found');
    });

    test('PATCH replaces a list; DELETE removes; both audited', async () => {
        const p = assertOk(await c.broker_jiaxing.patch(`/api/v1/roadshows/${id}`, { attendee_org_ids: [attendees[1]], venue: null }));
        assert.deepEqual(p.attendees.map((o) => o.id), [attendees[1]]);
        assert.equal(p.venue, null);
        assert.equal(p.title, body().title);
        assertError(await c.ent_nanhu.get(`/api/v1/roadshows/${id}`), 404, 'not_found');
        assertOk(await c.broker_jiaxing.del(`/api/v1/roadshows/${id}`));
        assertError(await c.admin.get(`/api/v1/roadshows/${id}`), 404, 'not_found');
        const audit = assertOk(await c.admin.get(`/api/v1/audit?entity=roadshow&entity_id=${id}`));
        assert.deepEqual(audit.items.map((i) => i.action).sort(), ['create', 'delete', 'update']);
    });

    test('the demo holds roadshows for each seed city', async () => {
        const all = await c.admin.all('/api/v1/roadshows');
        for (const p of ['3304', '3310', '3311', '3210']) {
            assert.ok(all.items.some((e) => e.region_code.startsWith(p)), p);
        }
    });
});
