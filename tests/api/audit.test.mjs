// audit.test.mjs — the audit log (entries, field diffs, who and from where), name history,
// the SM3 hash chain (API and `kechuang audit verify`, detecting an edited and a deleted
// entry in the SQLite file) and `kechuang backup` / `restore`.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
    assertOk, copyDir, findDb, listTotal, login, loginAs, orgInput, runCli, runProgram, startServer, tempDir, which,
} from './harness.mjs';

let srv;
let admin;
const cleanup = [];

before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
});

after(async () => {
    if (srv) await srv.stop();
    for (const d of cleanup) fs.rmSync(d, { recursive: true, force: true });
});

/* Runs SQL on a database file with the sqlite3 command-line shell; returns stdout. */
async function sql(db, statement) {
    const r = await runProgram('sqlite3', ['-batch', db, statement]);
    assert.equal(r.code, 0, `sqlite3 ${statement}: ${r.stderr}`);
    return r.stdout;
}

/* True when text mentions id as a whole number. */
function mentionsId(text, id) {
    return new RegExp(`(^|[^0-9])${id}([^0-9]|$)`).test(text);
}

let org;
let renamed;
let middleId;

describe('audit entries', () => {
    test('create and update of an org are audited with the field diff, username and IP', async () => {
        const c = await admin.post('/api/v1/orgs', orgInput({ name: '审计测试原名有限公司', address: '旧地址' }));
        org = assertOk(c, 201).org;
        renamed = '审计测试新名有限公司';
        const p = await admin.patch(`/api/v1/orgs/${org.id}`, { name: renamed, address: '新地址' });
        assertOk(p);
        assert.equal(p.json.org.name, renamed);

        const r = await admin.get(`/api/v1/audit?entity=org&entity_id=${org.id}`);
        assertOk(r);
        const items = r.json.items;
        assert.equal(r.json.total, 2, `two entries for org ${org.id}: ${JSON.stringify(items)}`);
        const [upd, cre] = items; // newest first
        assert.equal(upd.action, 'update');
        assert.equal(cre.action, 'create');
        assert.ok(upd.id > cre.id, 'newest first');
        for (const e of items) {
            assert.equal(e.entity, 'org');
            assert.equal(String(e.entity_id), String(org.id));
            assert.equal(e.username, 'admin');
            assert.equal(e.user_id, admin.user.id);
            assert.equal(e.ip, '127.0.0.1');
            assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
            assert.match(e.hash, /^[0-9a-f]{64}$/, 'SM3 hex digest');
        }
        assert.deepEqual(upd.diff.name, { before: '审计测试原名有限公司', after: renamed });
        assert.deepEqual(upd.diff.address, { before: '旧地址', after: '新地址' });
        assert.ok(!('uscc' in upd.diff), 'unchanged fields are not in the update diff');
        assert.equal(cre.diff.name.after, '审计测试原名有限公司');
        assert.equal(cre.diff.name.before ?? null, null);
    });

    test('a PATCH that changes nothing adds no update entry (or an empty diff)', async () => {
        const before = await listTotal(admin, `/api/v1/audit?entity=org&entity_id=${org.id}`);
        assertOk(await admin.patch(`/api/v1/orgs/${org.id}`, { name: renamed }));
        const r = await admin.get(`/api/v1/audit?entity=org&entity_id=${org.id}`);
        if (r.json.total > before) assert.deepEqual(r.json.items[0].diff, {}, 'a no-op update has no field diff');
    });

    test('renaming adds a name_history entry', async () => {
        const g = await admin.get(`/api/v1/orgs/${org.id}`);
        assertOk(g);
        const h = g.json.name_history;
        assert.ok(Array.isArray(h), 'name_history array');
        assert.equal(h.length, 1, JSON.stringify(h));
        assert.equal(h[0].old_name, '审计测试原名有限公司');
        assert.equal(h[0].new_name, renamed);
        assert.match(h[0].changed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.ok(h[0].changed_by === 'admin' || h[0].changed_by === admin.user.id, `changed_by ${h[0].changed_by}`);
    });

    test('logins are audited', async () => {
        await loginAs(srv, 'city_lishui');
        const r = await admin.get('/api/v1/audit?action=login&user=city_lishui');
        assertOk(r);
        assert.ok(r.json.total >= 1, 'a login entry for city_lishui');
        assert.ok(r.json.items.every((e) => e.action === 'login' && e.username === 'city_lishui'));
    });

    test('user creation and password changes are audited without any password or hash', async () => {
        const pw = 'Audit-user-Passw0rd-1';
        const c = await admin.post('/api/v1/users', {
            username: 'audit_pw_user', display_name: '审计用户', role: 'county_officer', region_code: '330402', password: pw,
        });
        assertOk(c, 201);
        const id = c.json.user.id;
        assertOk(await admin.post(`/api/v1/users/${id}/password`, { password: 'Audit-user-Passw0rd-2' }));
        const r = await admin.get(`/api/v1/audit?entity=user&entity_id=${id}`);
        assertOk(r);
        const actions = r.json.items.map((e) => e.action);
        assert.ok(actions.includes('create') && actions.includes('password'), `actions ${actions}`);
        const text = JSON.stringify(r.json.items);
        assert.ok(!text.includes(pw) && !text.includes('Audit-user-Passw0rd-2'), 'no clear-text password in the audit log');
        assert.ok(!/\$argon2/.test(text), 'no password hash in the audit log');
    });

    test('audit filters: entity, action, user, from/to', async () => {
        const today = new Date().toISOString().slice(0, 10);
        const r = await admin.get(`/api/v1/audit?entity=org&action=update&user=admin&from=${today}&to=${today}&page_size=200`);
        assertOk(r);
        assert.ok(r.json.items.some((e) => String(e.entity_id) === String(org.id)));
        assert.ok(r.json.items.every((e) => e.entity === 'org' && e.action === 'update' && e.username === 'admin'));
        const old = await admin.get('/api/v1/audit?to=2000-01-01');
        assertOk(old);
        assert.equal(old.json.total, 0);
    });

    test('GET /api/v1/audit/verify → ok', async () => {
        const r = await admin.get('/api/v1/audit/verify');
        assertOk(r);
        assert.equal(r.json.ok, true, JSON.stringify(r.json));
        const total = await listTotal(admin, '/api/v1/audit');
        assert.ok(r.json.checked >= total, `checked ${r.json.checked} ≥ ${total} entries`);
        assert.ok(r.json.head && r.json.head.id > 0 && /^[0-9a-f]{64}$/.test(r.json.head.hash), 'the head to record elsewhere');
    });

    test('the audit log is append-only through the API (no PATCH/DELETE)', async () => {
        const e = (await admin.get('/api/v1/audit?page_size=1')).json.items[0];
        for (const m of ['PATCH', 'DELETE', 'PUT']) {
            const r = await admin.req(m, `/api/v1/audit/${e.id}`, m === 'DELETE' ? undefined : { diff: {} });
            assert.ok([404, 405].includes(r.status), `${m} /api/v1/audit/${e.id} → ${r.status}`);
        }
    });
});

describe('backup and restore', () => {
    let backupFile;
    let restoredDir;

    test('`kechuang backup --data DIR FILE` while the server runs', async () => {
        const d = tempDir('kc-backup-');
        cleanup.push(d);
        backupFile = path.join(d, 'backup.db');
        const r = await runCli(['backup', '--data', srv.dataDir, backupFile]);
        assert.equal(r.code, 0, `backup: exit ${r.code}\n${r.stdout}${r.stderr}`);
        assert.ok(fs.existsSync(backupFile) && fs.statSync(backupFile).size > 0, 'backup file written');
        assert.equal(fs.readFileSync(backupFile).subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
    });

    test('`restore` into a new dir gives a working server with the same org count', async () => {
        const orgsBefore = await listTotal(admin, '/api/v1/orgs');
        restoredDir = tempDir('kc-restore-');
        cleanup.push(restoredDir);
        fs.rmSync(restoredDir, { recursive: true, force: true }); // let restore create it
        const r = await runCli(['restore', '--data', restoredDir, backupFile]);
        assert.equal(r.code, 0, `restore: exit ${r.code}\n${r.stdout}${r.stderr}`);
        const s2 = await startServer({ demo: false, dataDir: restoredDir });
        try {
            const a = srv.accounts.admin;
            const c = await login(s2.base, a.username, a.password);
            assert.equal(await listTotal(c, '/api/v1/orgs'), orgsBefore);
            const v = await c.get('/api/v1/audit/verify');
            assert.equal(v.json.ok, true, `restored chain verifies: ${v.text}`);
            assertOk(await c.get(`/api/v1/orgs/${org.id}`), 200, 'the org made before the backup');
        } finally {
            await s2.stop();
        }
    });
});

describe('tamper detection', () => {
    let dataDir;
    let intact;
    let edited;
    let deleted;

    test('stop the server and copy its data three times', async () => {
        assert.ok(which('sqlite3'), 'sqlite3 CLI needed (Debian package sqlite3)');
        const total = await listTotal(admin, '/api/v1/audit');
        assert.ok(total >= 5, `enough audit entries to pick a middle one (${total})`);
        dataDir = srv.dataDir;
        await srv.stop({ keep: true });
        cleanup.push(dataDir);
        srv = null;
        intact = copyDir(dataDir);
        edited = copyDir(dataDir);
        deleted = copyDir(dataDir);
        cleanup.push(intact, edited, deleted);
        const schema = await sql(findDb(dataDir), '.schema audit_log');
        assert.match(schema, /\bid\b/);
        assert.match(schema, /\bdiff\b/);
        const ids = (await sql(findDb(dataDir), 'SELECT id FROM audit_log ORDER BY id')).trim().split('\n').map(Number);
        middleId = ids[Math.floor(ids.length / 2)];
        assert.ok(middleId > ids[0] && middleId < ids[ids.length - 1], 'a middle entry');
    });

    test('an untampered copy verifies: exit 0', async () => {
        const r = await runCli(['audit', 'verify', '--data', intact]);
        assert.equal(r.code, 0, `audit verify on an intact copy: exit ${r.code}\n${r.stdout}${r.stderr}`);
    });

    test('an edited middle entry: `audit verify` exits non-zero naming its id', async () => {
        await sql(findDb(edited), `UPDATE audit_log SET diff = '{"name":{"before":"x","after":"篡改"}}' WHERE id = ${middleId}`);
        const r = await runCli(['audit', 'verify', '--data', edited]);
        assert.notEqual(r.code, 0, `tampering not detected\n${r.stdout}${r.stderr}`);
        assert.ok(mentionsId(r.stdout + r.stderr, middleId), `output names id ${middleId}: ${r.stdout}${r.stderr}`);
    });

    test('an edited middle entry is also reported by GET /api/v1/audit/verify', async () => {
        const s = await startServer({ demo: false, dataDir: edited });
        try {
            const a = await login(s.base, 'admin', s.accounts.admin.password);
            const v = await a.get('/api/v1/audit/verify');
            assertOk(v);
            assert.equal(v.json.ok, false, v.text);
            assert.equal(v.json.first_broken_id, middleId);
        } finally {
            await s.stop();
        }
    });

    test('a deleted middle entry is detected', async () => {
        await sql(findDb(deleted), `DELETE FROM audit_log WHERE id = ${middleId}`);
        const r = await runCli(['audit', 'verify', '--data', deleted]);
        assert.notEqual(r.code, 0, `deletion not detected\n${r.stdout}${r.stderr}`);
        const out = r.stdout + r.stderr;
        assert.ok(mentionsId(out, middleId) || mentionsId(out, middleId + 1),
            `output names id ${middleId} (gap) or ${middleId + 1} (its successor): ${out}`);
    });

    test('an anchor (`audit head`, recorded elsewhere) catches a history rewritten consistently', async () => {
        const copy = copyDir(dataDir);
        cleanup.push(copy);
        const head = await runCli(['audit', 'head', '--data', copy]);
        assert.equal(head.code, 0, head.stderr);
        const anchor = head.stdout.trim();
        const last = Number((await sql(findDb(copy), 'SELECT max(id) FROM audit_log')).trim());
        assert.match(anchor, new RegExp(`^${last}:[0-9a-f]{64}$`));
        let r = await runCli(['audit', 'verify', '--data', copy, '--anchor', anchor]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /anchor \d+ matches/);
        // Cut the newest entry and the counter with it: the rest of the chain is intact, so
        // verify alone cannot tell; the anchor can.
        await sql(findDb(copy), `DELETE FROM audit_log WHERE id = ${last}; UPDATE sqlite_sequence SET seq = ${last - 1} WHERE name = 'audit_log'`);
        r = await runCli(['audit', 'verify', '--data', copy]);
        assert.equal(r.code, 0, 'a consistent truncation passes the chain check');
        r = await runCli(['audit', 'verify', '--data', copy, '--anchor', anchor]);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /REWRITTEN/);
        r = await runCli(['audit', 'verify', '--data', copy, '--anchor', 'nonsense']);
        assert.equal(r.code, 2, 'a malformed anchor is a usage error');
    });

    test('deleting the newest entry is detected (ids are never reused)', async () => {
        const tail = copyDir(dataDir);
        cleanup.push(tail);
        const db = findDb(tail);
        const last = Number((await sql(db, 'SELECT max(id) FROM audit_log')).trim());
        await sql(db, `DELETE FROM audit_log WHERE id = ${last}`);
        const r = await runCli(['audit', 'verify', '--data', tail]);
        assert.notEqual(r.code, 0, `deleting the newest entry (${last}) went unnoticed\n${r.stdout}${r.stderr}`);
    });

    test('editing a field and overwriting its hash is detected at that entry', async () => {
        const db = findDb(intact);
        await sql(db, `UPDATE audit_log SET username = 'mallory' WHERE id = ${middleId}`);
        await sql(db, `UPDATE audit_log SET hash = '${'0'.repeat(64)}' WHERE id = ${middleId}`);
        const r = await runCli(['audit', 'verify', '--data', intact]);
        assert.notEqual(r.code, 0, `not detected\n${r.stdout}${r.stderr}`);
        assert.ok(mentionsId(r.stdout + r.stderr, middleId));
    });
});
