// import.test.mjs — enterprise import through the API: upload → job → progress → summary;
// the failed-rows file checked row by row (CSV, and XLSX opened by LibreOffice); an
// identical re-import changes nothing and writes no audit entry; region scope; the
// verification lock; GB18030 CSV; an XLSX saved by LibreOffice; bad and oversized
// uploads; job visibility; the template; CSV exports of the core lists.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
    assertError, assertOk, findDb, listTotal, loginAs, makeUscc, rawRequest, request, runCli,
    runProgram, startServer, tempDir, which,
} from './harness.mjs';

const SOFFICE = which('soffice') || which('libreoffice');
const SQLITE = which('sqlite3');
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let srv;
let admin;
let nanhu;
let work;

before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
    nanhu = await loginAs(srv, 'county_nanhu');
    work = tempDir('kc-import-');
});

after(async () => {
    if (srv) await srv.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
});

/* Parses CSV text (RFC 4180) into rows of fields. */
function parseCsv(text) {
    const rows = [];
    let row = [];
    let field = '';
    let q = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (q) {
            if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') q = false;
            else field += ch;
        } else if (ch === '"') q = true;
        else if (ch === ',') { row.push(field); field = ''; }
        else if (ch === '\n' || ch === '\r') {
            if (ch === '\r' && text[i + 1] === '\n') i++;
            row.push(field); rows.push(row); row = []; field = '';
        } else field += ch;
    }
    if (field !== '' || row.length) { row.push(field); rows.push(row); }
    return rows.filter((r) => r.some((f) => f !== ''));
}

/* Quotes a CSV field when needed. */
function csvField(v) {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/* CSV text (with a BOM) from a header and rows. */
function csv(header, rows) {
    return '\uFEFF' + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/* Uploads body as an import; resolves the response. */
function upload(client, body, { type = 'text/csv', filename = 'data.csv', lang, query = '' } = {}) {
    const q = `?filename=${encodeURIComponent(filename)}${query}`;
    return client.req('POST', `/api/v1/imports/enterprises${q}`, body, { headers: { 'Content-Type': type }, lang });
}

/* Polls a job until it has ended; returns it. */
async function waitJob(client, id) {
    for (let i = 0; i < 600; i++) {
        const r = await client.get(`/api/v1/jobs/${id}`);
        assert.equal(r.status, 200, `GET job ${id}: ${r.status} ${r.text.slice(0, 300)}`);
        if (['done', 'failed', 'cancelled'].includes(r.json.status)) return r.json;
        await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`job ${id} did not finish`);
}

/* Uploads and waits: resolves the finished job. */
async function importCsv(client, text, opts) {
    const r = await upload(client, Buffer.from(text, 'utf8'), opts);
    assertOk(r, 202, 'upload');
    assert.equal(r.json.kind, 'import_enterprises');
    assert.ok(['queued', 'running', 'done'].includes(r.json.status), r.text);
    return waitJob(client, r.json.id);
}

/* Runs SQL on the server's database with the sqlite3 shell; resolves stdout. */
async function sql(q) {
    const r = await runProgram(SQLITE, [findDb(srv.dataDir), q]);
    assert.equal(r.code, 0, `sqlite3: ${r.stderr}`);
    return r.stdout.trim();
}

/* Converts a file with LibreOffice (to: 'csv' with UTF-8 options, or 'xlsx'); returns the
 * output path. */
async function soffice(file, to) {
    const profile = tempDir('lo-profile-');
    try {
        const filter = to === 'csv' ? 'csv:Text - txt - csv (StarCalc):44,34,76,1' : 'xlsx';
        const infilter = file.endsWith('.csv') ? ['--infilter=CSV:44,34,76,1'] : [];
        const r = await runProgram(SOFFICE, [`-env:UserInstallation=file://${profile}`, '--headless',
            '--norestore', ...infilter, '--convert-to', filter, '--outdir', path.dirname(file), file], { timeoutMs: 180000 });
        const out = file.replace(/\.[a-z]+$/, `.${to}`);
        assert.ok(fs.existsSync(out), `LibreOffice did not convert ${file}: ${r.stdout}\n${r.stderr}`);
        return out;
    } finally {
        fs.rmSync(profile, { recursive: true, force: true });
    }
}

const HEADER = ['*统一社会信用代码', '企业名称', '所在地区代码', '国民经济行业代码', '年度', '职工总数（人）',
    '科技人员数（人）', '销售收入（元）', '研发费用总额（元）', '近五年国家级科技奖励(前三名)'];

describe('enterprise import', () => {
    const good = makeUscc('330402');
    const good2 = makeUscc('330402');
    const badCheck = (() => {
        const u = makeUscc('330402');
        const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
        return u.slice(0, 17) + chars[(chars.indexOf(u[17]) + 1) % chars.length];
    })();
    const otherCounty = makeUscc('330411');
    const rows = [
        [good, '南湖导入测试科技有限公司', '330402', 'C36', 2023, 120, 30, '1,234,567.89', '80000', '是'],
        [good, '南湖导入测试科技有限公司', '330402 南湖区', 'C36', 2024, 130, 35, '2000000', '90000.5', '是'],
        [badCheck, '校验位错误公司', '330402', 'C36', 2024, 10, 1, '100', '1', '否'],
        [good2, '金额错误公司', '330402', 'C36', 2024, 10, 11, '1.005', '1', '也许'],
        [otherCounty, '秀洲的公司', '330411', 'C36', 2024, 10, 1, '100', '1', '否'],
        [good2, '', '330402', '', 1980, '', '', '', '', ''],
    ];
    let job;
    let text;

    test('a county officer uploads CSV with bad rows: 202, a job, progress to done, counts', async () => {
        text = csv(HEADER, rows);
        job = await importCsv(nanhu, text);
        assert.equal(job.status, 'done', JSON.stringify(job));
        assert.equal(job.rows, 6);
        assert.equal(job.inserted, 2);
        assert.equal(job.updated, 0);
        assert.equal(job.unchanged, 0);
        assert.equal(job.failed, 4);
        assert.equal(job.progress.percent, 100);
        assert.equal(job.encoding, 'utf-8');
        assert.equal(job.has_failed_rows, true);
        assert.equal(job.failed_rows_url, `/api/v1/jobs/${job.id}/failed-rows`);
        assert.equal(job.created_by_name, 'county_nanhu');
        assert.equal(job.error, null);
    });

    test('the failed-rows CSV holds exactly the bad rows, unchanged, with a reason naming each column', async () => {
        const r = await nanhu.get(`/api/v1/jobs/${job.id}/failed-rows?format=csv`);
        assert.equal(r.status, 200, r.text.slice(0, 300));
        assert.match(r.headers.get('content-type'), /text\/csv/);
        assert.match(r.headers.get('content-disposition') || '', /attachment; filename="failed-rows-\d+\.csv"/);
        assert.equal(r.buf.subarray(0, 3).toString('hex'), 'efbbbf', 'UTF-8 BOM for Excel');
        const got = parseCsv(r.text.replace(/^\uFEFF/, ''));
        assert.deepEqual(got[0], [...HEADER, '错误原因', '原行号']);
        assert.equal(got.length, 5, 'header + 4 failed rows');
        const want = [rows[2], rows[3], rows[4], rows[5]].map((row) => row.map((v) => String(v)));
        for (let i = 0; i < 4; i++) assert.deepEqual(got[i + 1].slice(0, HEADER.length), want[i], `row ${i + 1}`);
        assert.deepEqual(got.slice(1).map((x) => x[HEADER.length + 1]), ['4', '5', '6', '7'], 'source rows');
        const reason = got.slice(1).map((x) => x[HEADER.length]);
        assert.equal(reason[0], '*统一社会信用代码：校验位错误');
        assert.match(reason[1], /科技人员数（人）：不能大于“职工总数（人）”/);
        assert.match(reason[1], /销售收入（元）：应为不小于 0 的金额（元），最多两位小数/);
        assert.match(reason[1], /近五年国家级科技奖励\(前三名\)：应为“是”或“否”/);
        assert.equal(reason[2], '所在地区代码：不在您的管辖范围内');
        assert.match(reason[3], /年度：应为 1990 至今年之间的年份/);
    });

    test('the failed rows as XLSX (default format) open in LibreOffice with the same rows', async (t) => {
        const r = await nanhu.get(`/api/v1/jobs/${job.id}/failed-rows`);
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type'), /spreadsheetml/);
        assert.equal(r.buf.subarray(0, 2).toString('latin1'), 'PK');
        if (!SOFFICE) return t.skip('LibreOffice is not installed');
        const file = path.join(work, 'failed.xlsx');
        fs.writeFileSync(file, r.buf);
        const out = parseCsv(fs.readFileSync(await soffice(file, 'csv'), 'utf8').replace(/^\uFEFF/, ''));
        assert.equal(out.length, 5);
        assert.deepEqual(out[1].slice(0, HEADER.length), rows[2].map(String));
        assert.equal(out[1][HEADER.length], '*统一社会信用代码：校验位错误');
    });

    test('the data landed: money exact in 分, imported years submitted with source import', async () => {
        const e = await admin.get(`/api/v1/orgs?q=${encodeURIComponent('南湖导入测试科技')}`);
        assert.equal(e.json.total, 1);
        assert.equal(e.json.items[0].uscc, good);
        assert.equal(e.json.items[0].region_code, '330402');
        if (!SQLITE) return;
        const out = await sql(`SELECT year, sales_revenue_fen, rd_expense_fen, status, source, import_job_id FROM enterprise_years y JOIN orgs o ON o.id=y.org_id WHERE o.uscc='${good}' ORDER BY year`);
        assert.equal(out, `2023|123456789|8000000|submitted|import|${job.id}\n2024|200000000|9000050|submitted|import|${job.id}`);
    });

    test('re-importing the identical file changes nothing and writes no audit entry', async () => {
        const before = await listTotal(admin, '/api/v1/audit');
        const again = await importCsv(nanhu, text);
        assert.equal(again.status, 'done');
        assert.equal(again.inserted, 0);
        assert.equal(again.updated, 0);
        assert.equal(again.unchanged, 2);
        assert.equal(again.failed, 4);
        assert.equal(await listTotal(admin, '/api/v1/audit'), before, 'no new audit entries');
    });

    test('a changed value updates one record, audited with before and after', async () => {
        const changed = rows.map((r) => [...r]);
        changed[1][5] = 131;
        const j = await importCsv(nanhu, csv(HEADER, changed));
        assert.equal(j.updated, 1);
        assert.equal(j.unchanged, 1);
        const a = await admin.get(`/api/v1/audit?entity=job&entity_id=${j.id}`);
        assert.equal(a.status, 200);
        const batch = a.json.items.find((x) => x.action === 'import_batch');
        assert.ok(batch, JSON.stringify(a.json.items));
        assert.deepEqual(batch.diff[`${good}/2024`], { before: { employees: 130 }, after: { employees: 131 } });
        assert.ok(a.json.items.some((x) => x.action === 'import' && x.diff.updated === 1));
        assert.equal(batch.username, 'county_nanhu');
    });

    test('a verified year is not overwritten: the row fails with a lock reason', async (t) => {
        if (!SQLITE) return t.skip('sqlite3 shell not installed');
        await sql(`UPDATE enterprise_years SET status='verified' WHERE year=2023 AND org_id=(SELECT id FROM orgs WHERE uscc='${good}')`);
        const j = await importCsv(nanhu, csv(HEADER, [[good, '', '', '', 2023, 999, '', '', '', '']]));
        assert.equal(j.failed, 1);
        assert.equal(j.updated, 0);
        const f = parseCsv((await nanhu.get(`/api/v1/jobs/${j.id}/failed-rows?format=csv`)).text.replace(/^\uFEFF/, ''));
        assert.equal(f[1][HEADER.length], '年度：该年度数据已核验锁定，不能通过导入修改');
        assert.equal(await sql(`SELECT employees FROM enterprise_years y JOIN orgs o ON o.id=y.org_id WHERE o.uscc='${good}' AND year=2023`), '120');
    });

    test('row reasons follow the language of the upload (Accept-Language: en)', async () => {
        const r = await upload(nanhu, Buffer.from(csv(['uscc', 'year', 'employees'], [[good, 2024, -3]])), { lang: 'en' });
        assertOk(r, 202);
        const j = await waitJob(nanhu, r.json.id);
        const f = parseCsv((await nanhu.get(`/api/v1/jobs/${j.id}/failed-rows?format=csv`)).text.replace(/^\uFEFF/, ''));
        assert.deepEqual(f[0], ['uscc', 'year', 'employees', 'error', 'source_row']);
        assert.equal(f[1][3], 'employees: must be an integer ≥ 0');
    });

    test('GB18030 CSV (Excel on Chinese Windows) is detected and imported', async (t) => {
        if (!which('iconv')) return t.skip('iconv not installed');
        const u = makeUscc('330402');
        const src = path.join(work, 'gb.utf8.csv');
        fs.writeFileSync(src, csv(HEADER, [[u, '国标编码测试有限公司', '330402', 'C36', 2024, 8, 2, '500.25', '10', '否']]).replace(/^\uFEFF/, ''));
        const raw = await runProgram('sh', ['-c', `iconv -f UTF-8 -t GB18030 '${src}' > '${src}.gb'`]);
        assert.equal(raw.code, 0, raw.stderr);
        const body = fs.readFileSync(`${src}.gb`);
        assert.ok(!body.equals(fs.readFileSync(src)), 'the body really is GB18030');
        const r = await upload(nanhu, body, { filename: 'gb.csv' });
        assertOk(r, 202);
        const j = await waitJob(nanhu, r.json.id);
        assert.equal(j.encoding, 'gb18030');
        assert.equal(j.inserted, 1, JSON.stringify(j));
        const o = await admin.get(`/api/v1/orgs?q=${encodeURIComponent('国标编码测试')}`);
        assert.equal(o.json.total, 1);
        assert.equal(o.json.items[0].name, '国标编码测试有限公司');
    });

    test('an XLSX saved by LibreOffice imports like the CSV', async (t) => {
        if (!SOFFICE) return t.skip('LibreOffice is not installed');
        const u = makeUscc('330402');
        const file = path.join(work, 'lo.csv');
        fs.writeFileSync(file, csv(HEADER, [[u, 'LibreOffice导入有限公司', '330402', 'C36', 2024, 9, 3, '1234.5', '77', '是']]));
        const xlsx = await soffice(file, 'xlsx');
        const r = await upload(nanhu, fs.readFileSync(xlsx), { type: XLSX_MIME, filename: 'lo.xlsx' });
        assertOk(r, 202);
        const j = await waitJob(nanhu, r.json.id);
        assert.equal(j.input_format, 'xlsx');
        assert.equal(j.inserted, 1, JSON.stringify(j));
        if (SQLITE) {
            assert.equal(await sql(`SELECT sales_revenue_fen||'|'||rd_expense_fen||'|'||employees FROM enterprise_years y JOIN orgs o ON o.id=y.org_id WHERE o.uscc='${u}'`), '123450|7700|9');
        }
    });

    test('a bad XLSX, an empty file, a JSON body and a file without a USCC column are refused at once', async () => {
        const garbage = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]);
        let r = await upload(nanhu, garbage, { type: XLSX_MIME, filename: 'bad.xlsx' });
        let e = assertError(r, 422, 'import_not_xlsx', 'file');
        assert.match(e.message, /XLSX/);
        r = await upload(nanhu, Buffer.from('这不是表格'), { type: XLSX_MIME, filename: 'x.xlsx' });
        assertError(r, 422, 'import_not_xlsx', 'file');
        r = await upload(nanhu, Buffer.alloc(0));
        assertError(r, 422, 'empty_file', 'file');
        r = await upload(nanhu, Buffer.from('{"a":1}'), { type: 'application/json' });
        assertError(r, 422, 'unsupported_format', 'format');
        r = await upload(nanhu, Buffer.from('企业名称,年度\n甲,2024\n'));
        e = assertError(r, 422, 'import_missing_column', 'uscc');
        assert.equal(e.message, '缺少必需的列：统一社会信用代码');
        r = await upload(nanhu, Buffer.from('企业名称,年度\n甲,2024\n'), { lang: 'en' });
        assert.equal(r.json.error.message, 'A required column is missing: Unified social credit code');
    });

    test('uploads need a session, the CSRF token and ent.import', async () => {
        const body = Buffer.from(csv(HEADER, [rows[0]]));
        let r = await request(srv.base, '/api/v1/imports/enterprises', { method: 'POST', body, headers: { 'Content-Type': 'text/csv' } });
        assertError(r, 401, 'unauthenticated');
        r = await nanhu.req('POST', '/api/v1/imports/enterprises', body, { headers: { 'Content-Type': 'text/csv' }, csrf: false });
        assertError(r, 403, 'csrf_failed');
        const ent = await loginAs(srv, 'ent_nanhu');
        r = await upload(ent, body);
        assertError(r, 403, 'forbidden');
        assertError(await ent.get('/api/v1/imports/enterprises/template'), 403, 'forbidden');
    });

    test('jobs are visible to their creator and officers above, 404 to everyone else', async () => {
        const city = await loginAs(srv, 'city_jiaxing');
        const xiuzhou = await loginAs(srv, 'county_xiuzhou');
        const ent = await loginAs(srv, 'ent_nanhu');
        assert.equal((await city.get(`/api/v1/jobs/${job.id}`)).status, 200, 'the city officer of the county');
        assert.equal((await admin.get(`/api/v1/jobs/${job.id}`)).status, 200);
        assertError(await xiuzhou.get(`/api/v1/jobs/${job.id}`), 404, 'not_found');
        assertError(await xiuzhou.get(`/api/v1/jobs/${job.id}/failed-rows`), 404, 'not_found');
        assertError(await ent.get(`/api/v1/jobs/${job.id}`), 404, 'not_found');
        assert.equal((await xiuzhou.get('/api/v1/jobs')).json.total, 0);
        const mine = await nanhu.get('/api/v1/jobs?kind=import_enterprises&status=done&page_size=200');
        assert.ok(mine.json.items.some((x) => x.id === job.id));
        assert.ok(mine.json.items[0].id >= mine.json.items[mine.json.items.length - 1].id, 'newest first');
        assertError(await nanhu.get('/api/v1/jobs?status=nope'), 422, 'invalid_value', 'status');
        assertError(await nanhu.get('/api/v1/jobs/999999'), 404, 'not_found');
        assertError(await nanhu.post(`/api/v1/jobs/${job.id}/cancel`, {}), 409, 'job_finished');
        assertError(await nanhu.get(`/api/v1/jobs/${job.id}/failed-rows?format=pdf`), 422, 'invalid_value', 'format');
    });

    test('the template: XLSX with Chinese headers, English names, instructions and lists; CSV too', async (t) => {
        const r = await nanhu.get('/api/v1/imports/enterprises/template');
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type'), /spreadsheetml/);
        const file = path.join(work, 'template.xlsx');
        fs.writeFileSync(file, r.buf);
        const unzip = await runProgram('unzip', ['-p', file, 'xl/worksheets/sheet1.xml']);
        if (unzip.code === 0) {
            assert.match(unzip.stdout, /<dataValidation type="list"[^>]*sqref="C3:C1048576"/, 'region drop-down');
            assert.match(unzip.stdout, /<formula1>"是,否"<\/formula1>/, 'yes/no drop-down');
        }
        const wb = await runProgram('unzip', ['-p', file, 'xl/workbook.xml']);
        if (wb.code === 0) assert.match(wb.stdout, /name="企业数据".*name="说明".*name="代码表"/s);
        const c = await nanhu.get('/api/v1/imports/enterprises/template?format=csv');
        assert.equal(c.status, 200);
        const head = parseCsv(c.text.replace(/^\uFEFF/, ''));
        assert.equal(head[0][0], '*统一社会信用代码');
        assert.equal(head[1][0], 'uscc');
        assert.ok(head[1].includes('sales_revenue_yuan'));
        /* the empty template imports as nothing at all */
        const j = await importCsv(nanhu, c.text, { filename: 'template.csv' });
        assert.equal(j.rows, 0);
        assert.deepEqual(j.ignored_columns, []);
        if (!SOFFICE) return t.skip('LibreOffice is not installed');
        const rows = parseCsv(fs.readFileSync(await soffice(file, 'csv'), 'utf8').replace(/^\uFEFF/, ''));
        assert.equal(rows[0][0], '*统一社会信用代码');
        assert.equal(rows[1][0], 'uscc');
    });

    test('kechuang import enterprises: same code path, JSON summary, failed rows file', async () => {
        const dir = tempDir('kc-cli-import-');
        try {
            const file = path.join(dir, 'cli.csv');
            fs.writeFileSync(file, csv(HEADER, [rows[0], rows[2]]));
            const r = await runCli(['import', 'enterprises', '--data', dir, file]);
            assert.equal(r.code, 1, r.stderr);
            const out = JSON.parse(r.stdout.trim().split('\n').pop());
            assert.equal(out.status, 'done');
            assert.equal(out.inserted, 1);
            assert.equal(out.failed, 1);
            assert.ok(fs.existsSync(out.failed_rows));
            const again = await runCli(['import', 'enterprises', '--data', dir, file]);
            assert.equal(JSON.parse(again.stdout.trim().split('\n').pop()).unchanged, 1);
            assert.ok(fs.existsSync(file), 'the input file is left alone');
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe('upload limit', () => {
    let small;
    before(async () => { small = await startServer({ extraArgs: ['--upload-limit', '1'] }); });
    after(async () => { if (small) await small.stop(); });

    test('an upload over the limit → 413 upload_too_large, nothing queued', async () => {
        const off = await loginAs(small, 'county_nanhu');
        const big = Buffer.alloc(2 * 1024 * 1024, 0x41);
        const r = await rawRequest(small.base, '/api/v1/imports/enterprises', {
            method: 'POST',
            headers: { 'Content-Type': 'text/csv', 'Content-Length': big.length, Cookie: off.cookie, 'X-CSRF-Token': off.csrf },
            body: big,
        });
        assert.equal(r.status, 413, r.text);
        assert.equal(r.json?.error?.code, 'upload_too_large');
        /* without a Content-Length (chunked), the limit is enforced while streaming */
        const chunked = await rawRequest(small.base, '/api/v1/imports/enterprises', {
            method: 'POST',
            headers: { 'Content-Type': 'text/csv', 'Transfer-Encoding': 'chunked', Cookie: off.cookie, 'X-CSRF-Token': off.csrf },
            body: big,
        });
        assert.equal(chunked.status, 413, chunked.text);
        assert.equal((await off.get('/api/v1/jobs')).json.total, 0);
        const tmp = fs.readdirSync(path.join(small.dataDir, 'tmp')).filter((f) => f.startsWith('upload-'));
        assert.deepEqual(tmp, [], 'no upload file left behind');
        /* under the limit, the same route works */
        const ok = await upload(off, Buffer.from(csv(HEADER, [[makeUscc('330402'), '限额内公司', '330402', 'C36', 2024, 1, 0, '1', '0', '否']])));
        assertOk(ok, 202);
    });
});

describe('CSV exports', () => {
    for (const [list, exp] of [['/api/v1/orgs?region_code=330402', '/api/v1/orgs/export?region_code=330402'],
        ['/api/v1/users', '/api/v1/users/export'], ['/api/v1/audit?entity=org', '/api/v1/audit/export?entity=org']]) {
        test(`${exp}&format=csv: BOM, the XLSX headers, one row per list item`, async () => {
            const sep = exp.includes('?') ? '&' : '?';
            const r = await admin.get(`${exp}${sep}format=csv`);
            assert.equal(r.status, 200, r.text.slice(0, 300));
            assert.match(r.headers.get('content-type'), /text\/csv; charset=utf-8/);
            assert.match(r.headers.get('content-disposition'), /filename="[a-z]+\.csv"/);
            assert.equal(r.buf.subarray(0, 3).toString('hex'), 'efbbbf');
            const rows = parseCsv(r.text.replace(/^\uFEFF/, ''));
            assert.match(rows[0].join('|'), /[\u4e00-\u9fff]/);
            assert.equal(rows.length - 1, await listTotal(admin, list));
            const en = await admin.get(`${exp}${sep}format=csv`, { lang: 'en' });
            assert.doesNotMatch(parseCsv(en.text.replace(/^\uFEFF/, ''))[0].join('|'), /[\u4e00-\u9fff]/);
        });
    }

    test('the XLSX path is unchanged and a bad format is refused', async () => {
        const x = await admin.get('/api/v1/chains/export?format=xlsx');
        assert.equal(x.status, 200);
        assert.equal(x.buf.subarray(0, 2).toString('latin1'), 'PK');
        assertError(await admin.get('/api/v1/orgs/export?format=pdf'), 422, 'invalid_value', 'format');
    });

    test('text that looks like a formula is defused in CSV', async () => {
        const { orgInput } = await import('./harness.mjs');
        const name = '=1+2公司';
        assertOk(await admin.post('/api/v1/orgs', orgInput({ name, region_code: '331102' })), 201);
        const r = await admin.get(`/api/v1/orgs/export?region_code=331102&q=${encodeURIComponent('=1+2')}&format=csv`);
        const rows = parseCsv(r.text.replace(/^\uFEFF/, ''));
        assert.equal(rows.length, 2);
        assert.ok(rows[1].includes(`'${name}`), rows[1].join('|'));
    });
});

describe('jobs across a restart', () => {
    test('a job left running is requeued once and finishes; a second interruption fails it', async (t) => {
        if (!SQLITE) return t.skip('sqlite3 shell not installed');
        const first = await startServer();
        const dir = first.dataDir;
        let second;
        try {
            const off = await loginAs(first, 'county_nanhu');
            const u = makeUscc('330402');
            const text = csv(HEADER, [[u, '重启测试有限公司', '330402', 'C36', 2024, 5, 1, '10', '1', '否']]);
            const r = await upload(off, Buffer.from(text));
            assertOk(r, 202);
            const done = await waitJob(off, r.json.id);
            assert.equal(done.inserted, 1);
            await first.stop({ keep: true });

            /* Simulate two crashes: job A was running for the first time, job B for the
             * second time, when the process died. */
            const db = findDb(dir);
            const a = path.join(dir, 'jobs', String(done.id), 'input.csv');
            fs.mkdirSync(path.dirname(a), { recursive: true });
            fs.writeFileSync(a, text);
            const q = (s) => runProgram(SQLITE, [db, s]);
            assert.equal((await q(`UPDATE jobs SET status='running', attempts=1, finished_at=NULL, input_path='${a}' WHERE id=${done.id}`)).code, 0);
            assert.equal((await q(`INSERT INTO jobs(kind,status,attempts,username,region_code,scope_lo,scope_hi,created_by,input_format,created_at,updated_at) SELECT kind,'running',2,username,region_code,scope_lo,scope_hi,created_by,'csv',created_at,updated_at FROM jobs WHERE id=${done.id}`)).code, 0);
            const idB = Number((await q('SELECT max(id) FROM jobs')).stdout.trim());

            second = await startServer({ dataDir: dir, demo: false });
            const off2 = await loginAs(second, 'county_nanhu');
            const again = await waitJob(off2, done.id);
            assert.equal(again.status, 'done');
            assert.equal(again.unchanged, 1, 'the rerun found its row already there');
            assert.equal(again.inserted, 0);
            const b = (await off2.get(`/api/v1/jobs/${idB}`)).json;
            assert.equal(b.status, 'failed');
            assert.equal(b.error.code, 'interrupted');
            assert.equal(b.error.message, '任务在服务器重启时被中断');
            assert.ok(!fs.existsSync(a), 'the input of a finished job is removed');
        } finally {
            if (second) await second.stop({ keep: false });
            else await first.stop({ keep: false });
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
