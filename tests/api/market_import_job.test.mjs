// market_import_job.test.mjs — large achievement imports through the API: a file over
// the synchronous limit (5,000 rows) becomes a background job (202) with progress in rows,
// a failed-rows file in the importer's language, idempotency by external id on a re-run,
// the importer's scope, and the rows searchable and matchable afterwards; small files stay
// synchronous (200).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, loginAs, startServer } from './harness.mjs';

let srv;
const c = {};
const ROWS = 5200;

before(async () => {
    srv = await startServer();
    for (const n of ['admin', 'inst_jiaxing', 'ent_nanhu']) c[n] = await loginAs(srv, n);
});

after(async () => {
    if (srv) await srv.stop();
});

/* A JSON Lines file of ROWS achievements (prefix in the ids) with three bad rows:
 * line 10 a TRL out of range, line 20 no title, line 30 an id repeated. */
function bigFile(prefix, titleSuffix = '') {
    const out = [];
    for (let i = 1; i <= ROWS; i++) {
        let o = { id: `${prefix}-${i}`, title: `大批量导入成果第${i}号：耐腐蚀泵阀涂层${titleSuffix}`, abstract: `第${i}号成果，批量导入测试。`, keywords: ['泵阀', '涂层'], kind: '其他', trl: 1 + (i % 9) };
        if (i === 10) o.trl = 12;
        if (i === 20) delete o.title;
        if (i === 30) o.id = `${prefix}-1`;
        out.push(JSON.stringify(o));
    }
    return out.join('\n') + '\n';
}

/* Uploads a file as the import body. */
function send(cl, body, qs = '', lang) {
    return cl.req('POST', `/api/v1/achievements/import${qs}`, body, { headers: { 'Content-Type': 'application/octet-stream' }, lang });
}

/* Polls a job until it has ended. */
async function waitJob(cl, id) {
    for (let i = 0; i < 600; i++) {
        const j = assertOk(await cl.get(`/api/v1/jobs/${id}`));
        if (!['queued', 'running'].includes(j.status)) return j;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${id} did not end`);
}

/* Parses a small CSV (no embedded newlines) into rows of cells. */
function csvRows(text) {
    return text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((l) => {
        const cells = [];
        let cur = '';
        let q = false;
        for (let i = 0; i < l.length; i++) {
            const ch = l[i];
            if (q) {
                if (ch === '"' && l[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') q = false; else cur += ch;
            } else if (ch === '"') q = true;
            else if (ch === ',') { cells.push(cur); cur = ''; } else cur += ch;
        }
        cells.push(cur);
        return cells;
    });
}

describe('achievement import as a background job', () => {
    let job;

    test('a small file stays synchronous (200 with the counts)', async () => {
        const r = assertOk(await send(c.inst_jiaxing, JSON.stringify({ id: 'small-1', title: '小文件同步导入', kind: '其他' }) + '\n'));
        assert.equal(r.inserted, 1);
        assert.ok(!('status' in r), 'no job for a small file');
    });

    test(`a file of ${ROWS} rows is queued as a job (202) and runs to its end`, async () => {
        const r = await send(c.inst_jiaxing, bigFile('BIG'), '?filename=big.jsonl');
        const j0 = assertOk(r, 202);
        assert.equal(j0.kind, 'import_achievements');
        assert.ok(['queued', 'running', 'done'].includes(j0.status));
        assert.equal(j0.input_format, 'jsonl');
        assert.equal(j0.input_name, 'big.jsonl');
        job = await waitJob(c.inst_jiaxing, j0.id);
        assert.equal(job.status, 'done', JSON.stringify(job.error));
        assert.equal(job.rows, ROWS);
        assert.equal(job.inserted, ROWS - 3);
        assert.equal(job.failed, 3);
        assert.equal(job.progress.unit, 'rows');
        assert.equal(job.progress.percent, 100);
        assert.equal(job.has_failed_rows, true);
        // In the importer's job list.
        const list = assertOk(await c.inst_jiaxing.get('/api/v1/jobs?kind=import_achievements'));
        assert.ok(list.items.some((x) => x.id === job.id));
        // Another organisation's user does not see the job.
        assertError(await c.ent_nanhu.get(`/api/v1/jobs/${job.id}`), 404);
    });

    test('the failed rows name the line, the field and the reason in Chinese', async () => {
        const f = await c.inst_jiaxing.get(`/api/v1/jobs/${job.id}/failed-rows?format=csv`);
        assert.equal(f.status, 200);
        const rows = csvRows(f.text);
        assert.deepEqual(rows[0], ['原行号', '字段', '错误代码', '错误原因']);
        const byLine = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
        assert.deepEqual(Object.keys(byLine).sort(), ['10', '20', '30']);
        assert.equal(byLine['10'][1], 'trl');
        assert.equal(byLine['10'][2], 'out_of_range');
        assert.match(byLine['10'][3], /技术成熟度/);
        assert.equal(byLine['20'][1], 'title');
        assert.equal(byLine['30'][2], 'duplicate');
        const x = await c.inst_jiaxing.get(`/api/v1/jobs/${job.id}/failed-rows`);
        assert.equal(x.status, 200);
        assert.equal(x.buf.subarray(0, 2).toString('latin1'), 'PK');
    });

    test('the imported rows are the institution\'s, searchable and audited per batch', async () => {
        const found = assertOk(await c.inst_jiaxing.get(`/api/v1/achievements?q=${encodeURIComponent('大批量导入成果 5199')}`));
        assert.equal(found.total, 1);
        assert.equal(found.items[0].owner_org_id, c.inst_jiaxing.user.org_id);
        const all = assertOk(await c.admin.get(`/api/v1/achievements?q=${encodeURIComponent('大批量导入成果')}&page_size=1`));
        assert.equal(all.total, ROWS - 3);
        const audit = assertOk(await c.admin.get('/api/v1/audit?entity=achievement&action=import_batch&page_size=200'));
        const mine = audit.items.filter((e) => e.action === 'import_batch');
        assert.ok(mine.length >= 5, `one entry per batch of 1,000 rows (got ${mine.length})`);
    });

    test('re-running the same file changes nothing (idempotent by external id)', async () => {
        const j = await waitJob(c.inst_jiaxing, assertOk(await send(c.inst_jiaxing, bigFile('BIG')), 202).id);
        assert.equal(j.status, 'done');
        assert.equal(j.inserted, 0);
        assert.equal(j.updated, 0);
        assert.equal(j.unchanged, ROWS - 3);
        assert.equal(j.failed, 3);
        const changed = await waitJob(c.inst_jiaxing, assertOk(await send(c.inst_jiaxing, bigFile('BIG', '（改）')), 202).id);
        assert.equal(changed.updated, ROWS - 3);
    });

    test('English failed rows for an English upload; another organisation\'s ids are refused per row', async () => {
        const j = await waitJob(c.ent_nanhu, assertOk(await send(c.ent_nanhu, bigFile('BIG'), '', 'en'), 202).id);
        assert.equal(j.status, 'done');
        assert.equal(j.inserted + j.updated, 0, 'nothing of the institution is overwritten');
        assert.equal(j.failed, ROWS);
        const f = await c.ent_nanhu.get(`/api/v1/jobs/${j.id}/failed-rows?format=csv`);
        const rows = csvRows(f.text);
        assert.deepEqual(rows[0], ['source_row', 'field', 'code', 'error']);
        assert.ok(rows.slice(1).some((r) => r[2] === 'not_yours' && /another organisation/.test(r[3])));
    });

    test('a large file without the id column fails the job with the reason', async () => {
        const lines = Array.from({ length: ROWS + 5 }, (_, i) => `x${i},标题${i}`);
        const r = await send(c.inst_jiaxing, `name,title\n${lines.join('\n')}\n`, '?format=csv');
        if (r.status === 422) {
            assertError(r, 422, 'missing_column');
            return;
        }
        const j = await waitJob(c.inst_jiaxing, assertOk(r, 202).id);
        assert.equal(j.status, 'failed');
        assert.equal(j.error.code, 'missing_column');
        assert.equal(j.error.field, 'id');
        assert.match(j.error.message, /表头/);
    });
});
