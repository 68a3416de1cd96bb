// export.test.mjs — list exports answer XLSX files with Chinese headers, the same filters
// and the same scope as the lists; checked by opening them with LibreOffice.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertError, assertOk, CJK, listTotal, loginAs, runProgram, startServer, tempDir, which } from './harness.mjs';

let srv;
let admin;
let work;
const SOFFICE = which('soffice') || which('libreoffice');

before(async () => {
    srv = await startServer();
    admin = await loginAs(srv, 'admin');
    work = tempDir('kc-export-');
});

after(async () => {
    if (srv) await srv.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
});

/* Parses CSV text (RFC 4180: quotes, doubled quotes, newlines inside quotes) into rows. */
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

/* Converts an XLSX file to CSV (UTF-8) with LibreOffice; returns the parsed rows. */
async function xlsxRows(file) {
    const profile = tempDir('lo-profile-');
    try {
        const outDir = path.dirname(file);
        const r = await runProgram(SOFFICE, [
            `-env:UserInstallation=file://${profile}`, '--headless', '--norestore',
            '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', outDir, file,
        ], { timeoutMs: 180000 });
        const csv = file.replace(/\.xlsx$/, '.csv');
        assert.ok(fs.existsSync(csv), `LibreOffice did not convert ${file}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
        return parseCsv(fs.readFileSync(csv, 'utf8').replace(/^\uFEFF/, ''));
    } finally {
        fs.rmSync(profile, { recursive: true, force: true });
    }
}

/* GETs an export, checks it is an XLSX attachment, saves it; returns the file path. */
async function fetchXlsx(client, urlPath, name) {
    const r = await client.get(urlPath);
    assert.equal(r.status, 200, `GET ${urlPath}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.equal(r.buf.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX (zip) file');
    assert.match(r.headers.get('content-type') || '',
        /application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/);
    const cd = r.headers.get('content-disposition') || '';
    assert.match(cd, /^attachment/i, `Content-Disposition: ${cd}`);
    assert.match(cd, /filename="?[^";]+\.xlsx"?/i, `Content-Disposition: ${cd}`);
    const file = path.join(work, `${name}.xlsx`);
    fs.writeFileSync(file, r.buf);
    return { file, cd };
}

describe('XLSX exports', () => {
    test('GET /api/v1/orgs/export?region_code=330402 → XLSX, Chinese header, one row per org', async (t) => {
        const { file, cd } = await fetchXlsx(admin, '/api/v1/orgs/export?region_code=330402', 'orgs-330402');
        assert.match(cd, /orgs\.xlsx/, 'filename orgs.xlsx');
        if (!SOFFICE) return t.skip('soffice (LibreOffice) is not installed: cannot open the file');
        const rows = await xlsxRows(file);
        const header = rows[0].join('|');
        assert.match(header, /统一社会信用代码|名称/, `header row: ${header}`);
        const total = await listTotal(admin, '/api/v1/orgs?region_code=330402');
        assert.ok(total > 0);
        assert.equal(rows.length - 1, total, 'data rows = API total');
        const uscCol = rows[0].findIndex((h) => /统一社会信用代码/.test(h));
        if (uscCol >= 0) {
            const list = (await admin.all('/api/v1/orgs?region_code=330402')).items.map((o) => o.uscc).sort();
            assert.deepEqual(rows.slice(1).map((r) => r[uscCol]).sort(), list, 'the same orgs as the list');
        }
    });

    test('filters apply: q and kind give the same count as the list', async (t) => {
        const url = '/api/v1/orgs/export?region_code=331000&kind=enterprise&q=%E7%A7%91%E6%8A%80';
        const { file } = await fetchXlsx(admin, url, 'orgs-filtered');
        if (!SOFFICE) return t.skip('soffice (LibreOffice) is not installed');
        const rows = await xlsxRows(file);
        const total = await listTotal(admin, '/api/v1/orgs?region_code=331000&kind=enterprise&q=%E7%A7%91%E6%8A%80');
        assert.equal(rows.length - 1, total);
    });

    test('scope applies to exports: county_nanhu exports only 330402; an enterprise only its own org', async (t) => {
        const nanhu = await loginAs(srv, 'county_nanhu');
        const { file } = await fetchXlsx(nanhu, '/api/v1/orgs/export', 'orgs-nanhu');
        const ent = await loginAs(srv, 'ent_xiuzhou');
        const { file: efile } = await fetchXlsx(ent, '/api/v1/orgs/export', 'orgs-ent');
        if (!SOFFICE) return t.skip('soffice (LibreOffice) is not installed');
        const rows = await xlsxRows(file);
        assert.equal(rows.length - 1, await listTotal(nanhu, '/api/v1/orgs'));
        const erows = await xlsxRows(efile);
        assert.equal(erows.length - 1, await listTotal(ent, '/api/v1/orgs'));
    });

    test('a name starting with = is exported as text, not as a formula', async (t) => {
        const { orgInput } = await import('./harness.mjs');
        const name = '=HYPERLINK("http://evil.example","点我")';
        const c = await admin.post('/api/v1/orgs', orgInput({ name, region_code: '331102' }));
        assertOk(c, 201);
        const { file } = await fetchXlsx(admin, `/api/v1/orgs/export?region_code=331102&q=${encodeURIComponent('HYPERLINK')}`, 'orgs-formula');
        if (!SOFFICE) return t.skip('soffice (LibreOffice) is not installed');
        const rows = await xlsxRows(file);
        assert.equal(rows.length, 2);
        assert.ok(rows[1].includes(name), `the cell keeps the literal text: ${rows[1].join(' | ')}`);
    });

    test('users and audit exports are XLSX with Chinese headers; forbidden to roles without the capability', async (t) => {
        const { file: uf } = await fetchXlsx(admin, '/api/v1/users/export', 'users');
        const { file: af } = await fetchXlsx(admin, '/api/v1/audit/export?entity=org', 'audit');
        const ent = await loginAs(srv, 'ent_nanhu');
        assertError(await ent.get('/api/v1/users/export'), 403, 'forbidden');
        assertError(await ent.get('/api/v1/audit/export'), 403, 'forbidden');
        if (!SOFFICE) return t.skip('soffice (LibreOffice) is not installed');
        const urows = await xlsxRows(uf);
        assert.match(urows[0].join('|'), CJK, `users header: ${urows[0].join('|')}`);
        assert.equal(urows.length - 1, await listTotal(admin, '/api/v1/users'));
        assert.ok(!urows.flat().some((c) => /argon2/.test(c)), 'no password hashes in the export');
        const arows = await xlsxRows(af);
        assert.match(arows[0].join('|'), CJK);
        assert.equal(arows.length - 1, await listTotal(admin, '/api/v1/audit?entity=org'));
    });
});
