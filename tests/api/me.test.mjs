// me.test.mjs — the current user's own profile: display names up to 64 Chinese characters
// come back whole; blank names are refused; field labels of token errors are localised.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertError, assertOk, loginAs, startServer } from './harness.mjs';

let srv;
let me;

before(async () => {
    srv = await startServer();
    me = await loginAs(srv, 'county_xiuzhou');
});

after(async () => {
    if (srv) await srv.stop();
});

test('a 64-character Chinese display name is kept whole; 65 is too long', async () => {
    const name = '南'.repeat(64);
    const r = await me.patch('/api/v1/me', { display_name: name });
    assertOk(r);
    assert.equal(r.json.user.display_name, name);
    const s = await me.get('/api/v1/session');
    assert.equal(s.json.user.display_name, name);
    assertError(await me.patch('/api/v1/me', { display_name: '南'.repeat(65) }), 422, 'too_long', 'display_name');
});

test('a blank display name (ASCII or ideographic spaces) is refused as required', async () => {
    assertError(await me.patch('/api/v1/me', { display_name: '   ' }), 422, 'required', 'display_name');
    assertError(await me.patch('/api/v1/me', { display_name: '\u3000\u3000' }), 422, 'required', 'display_name');
});

test('token validity errors name the field with a localised label', async () => {
    const zh = await me.post('/api/v1/me/tokens', { name: 'x', days: 0 });
    assertError(zh, 422, 'invalid_value', 'days');
    assert.ok(zh.json.error.message.includes('有效天数'), zh.json.error.message);
});
