// harness.mjs — shared helpers for the black-box API tests (node:test, zero dependencies).
//
// startServer() spawns the real binary on an ephemeral loopback port with a fresh data
// directory; login() returns a small client that keeps the session cookie and sends the
// CSRF token on unsafe methods; runCli() runs a kechuang subcommand with optional stdin.
// Nothing here knows the server's internals: only the contract in docs/api-v1.md and
// ../../shared/spec/API.md.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KC_BIN = process.env.KC_BIN || path.join(REPO, 'build', 'kechuang');

/* Servers still running: killed when the test process exits, whatever happened. */
const live = new Set();
process.on('exit', () => {
    for (const p of live) {
        try { p.kill('SIGKILL'); } catch { /* already gone */ }
    }
});

/* Where server logs go when KC_TEST_LOGS is set or a server exits abnormally (gitignored). */
export const LOG_DIR = path.join(REPO, 'tests', 'api', 'tmp');

const START_TIMEOUT_MS = Number(process.env.KC_START_TIMEOUT_MS || 60000);
const STOP_TIMEOUT_MS = 15000;

/* The demo accounts the contract promises, with role and region. */
export const DEMO_ACCOUNTS = {
    admin: { role: 'admin', region: '000000' },
    city_jiaxing: { role: 'city_officer', region: '330400' },
    city_taizhou: { role: 'city_officer', region: '331000' },
    city_lishui: { role: 'city_officer', region: '331100' },
    city_yangzhou: { role: 'city_officer', region: '321000' },
    county_nanhu: { role: 'county_officer', region: '330402' },
    county_xiuzhou: { role: 'county_officer', region: '330411' },
    county_wenling: { role: 'county_officer', region: '331081' },
    ent_nanhu: { role: 'enterprise', region: '330402' },
    ent_xiuzhou: { role: 'enterprise', region: '330411' },
    inst_jiaxing: { role: 'institution', region: '330402' },
    provider_taizhou: { role: 'provider', region: '331002' },
    broker_jiaxing: { role: 'broker', region: '330400' },
    expert_lishui: { role: 'expert', region: '331102' },
};

/* Makes a fresh, empty temporary directory and returns its path. */
export function tempDir(prefix = 'kc-api-') {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/*
 * Parses DIR/demo-accounts.txt: '#' lines are comments, every other non-empty line is
 * username<TAB>password<TAB>role<TAB>region_code. Returns {username: {username,
 * password, role, region_code}}.
 */
export function parseAccounts(file) {
    const out = {};
    const text = fs.readFileSync(file, 'utf8');
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.replace(/\r$/, '');
        if (line.trim() === '' || line.startsWith('#')) continue;
        const [username, password, role, region_code] = line.split('\t');
        assert.ok(username && password && role && region_code,
            `malformed line in ${file}: ${JSON.stringify(line)} (want username\\tpassword\\trole\\tregion_code)`);
        out[username] = { username, password, role, region_code };
    }
    return out;
}

/* Returns the demo account `username` from accounts, failing clearly when it is missing. */
export function account(accounts, username) {
    const a = accounts[username];
    assert.ok(a, `demo account "${username}" is missing from demo-accounts.txt ` +
        `(have: ${Object.keys(accounts).join(', ') || 'none'})`);
    return a;
}

/*
 * Starts `kechuang serve --data DIR --listen 127.0.0.1:0 [--demo] ...extraArgs`.
 * Options: demo (default true), extraArgs, dataDir (use an existing directory instead of
 * a fresh one; it is then not removed by stop() unless keepDir is false explicitly),
 * env (added to the environment).
 * Returns {base, port, dataDir, accounts, proc, stdout(), stderr(), logs(), stop()}.
 */
export async function startServer({ demo = true, extraArgs = [], dataDir, keepDir, env = {} } = {}) {
    assert.ok(fs.existsSync(KC_BIN), `server binary not found: ${KC_BIN} (build it, or set KC_BIN)`);
    const ownDir = !dataDir;
    const dir = dataDir || tempDir();
    const keep = keepDir ?? !ownDir;
    const args = ['serve', '--data', dir, '--listen', '127.0.0.1:0'];
    if (demo) args.push('--demo');
    args.push(...extraArgs);
    const proc = spawn(KC_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    live.add(proc);
    proc.on('exit', () => live.delete(proc));
    let out = '';
    let err = '';
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    let exited = null;
    const exitPromise = new Promise((resolve) => proc.on('exit', (code, signal) => {
        exited = { code, signal };
        resolve(exited);
    }));

    const port = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(
            `server did not print "listening on http://127.0.0.1:PORT" on stdout within ` +
            `${START_TIMEOUT_MS} ms\n--- stdout ---\n${out.slice(-4000)}\n--- stderr ---\n${err.slice(-4000)}`)), START_TIMEOUT_MS);
        function finish(e, p) {
            clearTimeout(timer);
            proc.stdout.off('data', onOut);
            if (e) reject(e); else resolve(p);
        }
        function onOut(chunk) {
            out += chunk;
            const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
            if (m) finish(null, Number(m[1]));
        }
        proc.stdout.on('data', onOut);
        proc.stderr.on('data', (c) => { err += c; });
        proc.on('error', (e) => finish(e));
        exitPromise.then(({ code, signal }) => finish(new Error(
            `server exited early (code ${code}, signal ${signal}) with args ${args.join(' ')}\n` +
            `--- stdout ---\n${out.slice(-4000)}\n--- stderr ---\n${err.slice(-4000)}`)));
    }).catch((e) => {
        try { proc.kill('SIGKILL'); } catch { /* already gone */ }
        if (!keep) fs.rmSync(dir, { recursive: true, force: true });
        throw e;
    });
    proc.stdout.on('data', (c) => { out += c; });

    let accounts = {};
    const accFile = path.join(dir, 'demo-accounts.txt');
    for (let i = 0; demo && !fs.existsSync(accFile) && i < 50; i++) await new Promise((r) => setTimeout(r, 100));
    if (fs.existsSync(accFile)) accounts = parseAccounts(accFile);
    else if (demo) {
        try { proc.kill('SIGKILL'); } catch { /* gone */ }
        throw new Error(`--demo did not write ${accFile}\n--- stdout ---\n${out.slice(-2000)}`);
    }

    const base = `http://127.0.0.1:${port}`;
    let stopped = null;
    return {
        base, port, dataDir: dir, accounts, proc, args,
        stdout: () => out,
        stderr: () => err,
        /* The JSON log lines from stderr, parsed (non-JSON lines are skipped). */
        logs: () => err.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => {
            try { return JSON.parse(l); } catch { return null; }
        }).filter(Boolean),
        exited: () => exited,
        /*
         * Sends SIGTERM, waits for exit (SIGKILL after 15 s), removes the data dir unless
         * keep (default: kept only when the caller supplied it). Returns {code, signal}.
         */
        async stop({ keep: keepNow } = {}) {
            if (stopped) return stopped;
            if (!exited) {
                proc.kill('SIGTERM');
                const t = setTimeout(() => { try { proc.kill('SIGKILL'); } catch { /* gone */ } }, STOP_TIMEOUT_MS);
                await exitPromise;
                clearTimeout(t);
            }
            stopped = exited;
            if (process.env.KC_TEST_LOGS || exited.code !== 0 || exited.signal) {
                try {
                    fs.mkdirSync(LOG_DIR, { recursive: true });
                    const name = `${path.basename(process.argv[1] || 'test', '.mjs')}-${port}.log`;
                    fs.writeFileSync(path.join(LOG_DIR, name),
                        `# ${KC_BIN} ${args.join(' ')}\n# exit ${JSON.stringify(exited)}\n# stdout\n${out}\n# stderr\n${err}`);
                } catch { /* logs are a convenience */ }
            }
            if (!(keepNow ?? keep)) fs.rmSync(dir, { recursive: true, force: true });
            return stopped;
        },
    };
}

/*
 * Runs `KC_BIN ...args` and resolves {code, signal, stdout, stderr}. Options: input
 * (string or Buffer written to stdin, then closed), env, timeoutMs (default 60 s).
 */
export function runCli(args, { input, env = {}, timeoutMs = 60000 } = {}) {
    return new Promise((resolve, reject) => {
        const p = spawn(KC_BIN, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
        let stdout = '';
        let stderr = '';
        p.stdout.setEncoding('utf8');
        p.stderr.setEncoding('utf8');
        p.stdout.on('data', (c) => { stdout += c; });
        p.stderr.on('data', (c) => { stderr += c; });
        const t = setTimeout(() => { p.kill('SIGKILL'); }, timeoutMs);
        p.on('error', (e) => { clearTimeout(t); reject(e); });
        p.on('close', (code, signal) => {
            clearTimeout(t);
            resolve({ code, signal, stdout, stderr });
        });
        p.stdin.on('error', () => { /* the program may exit without reading stdin */ });
        if (input !== undefined) p.stdin.end(input);
        else p.stdin.end();
    });
}

/* Runs a program (not kechuang) the same way as runCli. */
export function runProgram(cmd, args, { input, timeoutMs = 120000, cwd } = {}) {
    return new Promise((resolve, reject) => {
        const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd });
        let stdout = '';
        let stderr = '';
        p.stdout.setEncoding('utf8');
        p.stderr.setEncoding('utf8');
        p.stdout.on('data', (c) => { stdout += c; });
        p.stderr.on('data', (c) => { stderr += c; });
        const t = setTimeout(() => { p.kill('SIGKILL'); }, timeoutMs);
        p.on('error', (e) => { clearTimeout(t); reject(e); });
        p.on('close', (code, signal) => { clearTimeout(t); resolve({ code, signal, stdout, stderr }); });
        p.stdin.on('error', () => {});
        if (input !== undefined) p.stdin.end(input); else p.stdin.end();
    });
}

/* True when `cmd` is found on PATH. */
export function which(cmd) {
    for (const d of (process.env.PATH || '').split(':')) {
        if (d && fs.existsSync(path.join(d, cmd))) return path.join(d, cmd);
    }
    return null;
}

/*
 * One HTTP request. opts: method, body (object → JSON; string/Buffer → sent raw),
 * headers, cookie, lang. Resolves {status, headers, json, text, buf}.
 */
export async function request(base, urlPath, opts = {}) {
    const { method = 'GET', body, headers = {}, cookie, lang } = opts;
    const h = { ...headers };
    let payload;
    if (body !== undefined) {
        if (Buffer.isBuffer(body) || typeof body === 'string') payload = body;
        else payload = JSON.stringify(body);
        if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    }
    if (cookie) h.Cookie = cookie;
    if (lang) h['Accept-Language'] = lang;
    const res = await fetch(base + urlPath, { method, headers: h, body: payload, redirect: 'manual' });
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString('utf8');
    let json;
    const ct = res.headers.get('content-type') || '';
    if (ct.includes('json') || /^\s*[{[]/.test(text)) {
        try { json = JSON.parse(text); } catch { json = undefined; }
    }
    return { status: res.status, headers: res.headers, json, text, buf, setCookies: res.headers.getSetCookie() };
}

/*
 * A raw request through node:http (no automatic decompression, tolerant of the server
 * answering before the body is fully sent). Resolves {status, headers, buf, text, json}.
 */
export function rawRequest(base, urlPath, { method = 'GET', headers = {}, body } = {}) {
    return new Promise((resolve, reject) => {
        const u = new URL(base + urlPath);
        let done = false;
        const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
                done = true;
                const buf = Buffer.concat(chunks);
                const text = buf.toString('utf8');
                let json;
                try { json = JSON.parse(text); } catch { json = undefined; }
                resolve({ status: res.statusCode, headers: res.headers, buf, text, json });
            });
            res.on('error', (e) => { if (!done) reject(e); });
        });
        req.on('error', (e) => { if (!done) setTimeout(() => { if (!done) reject(e); }, 200); });
        if (body !== undefined) req.end(body); else req.end();
    });
}

/* Returns the `name=value` pair of cookie `name` from a list of Set-Cookie headers, or null. */
export function cookieFrom(setCookies, name) {
    for (const sc of setCookies || []) {
        const first = sc.split(';')[0].trim();
        const eq = first.indexOf('=');
        if (eq > 0 && first.slice(0, eq) === name) return { pair: first, value: first.slice(eq + 1), header: sc };
    }
    return null;
}

/*
 * A logged-in client. get/post/put/patch/del resolve {status, headers, json, text}.
 * Unsafe methods carry X-CSRF-Token unless opts.csrf === false; opts.csrfToken overrides it.
 */
export class Client {
    constructor(base, cookie, csrf, user, lang) {
        this.base = base;
        this.cookie = cookie;
        this.csrf = csrf;
        this.user = user;
        this.lang = lang;
    }

    async req(method, urlPath, body, opts = {}) {
        const headers = { ...(opts.headers || {}) };
        const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(method);
        if (unsafe && opts.csrf !== false) headers['X-CSRF-Token'] = opts.csrfToken ?? this.csrf;
        const lang = opts.lang ?? this.lang;
        return request(this.base, urlPath, { method, body, headers, cookie: this.cookie, lang });
    }

    get(p, opts) { return this.req('GET', p, undefined, opts); }
    post(p, body, opts) { return this.req('POST', p, body, opts); }
    put(p, body, opts) { return this.req('PUT', p, body, opts); }
    patch(p, body, opts) { return this.req('PATCH', p, body, opts); }
    del(p, opts) { return this.req('DELETE', p, undefined, opts); }

    /* Fetches every page of a list (page_size 200) and returns {items, total}. */
    async all(p) {
        const sep = p.includes('?') ? '&' : '?';
        const items = [];
        let total = null;
        for (let page = 1; page < 1000; page++) {
            const r = await this.get(`${p}${sep}page=${page}&page_size=200`);
            assert.equal(r.status, 200, `GET ${p} page ${page}: ${r.status} ${r.text.slice(0, 300)}`);
            total = r.json.total;
            items.push(...r.json.items);
            if (r.json.items.length === 0 || items.length >= total) break;
        }
        return { items, total };
    }
}

/* POSTs /api/v1/session; resolves the raw response (for tests of failures). */
export function loginRaw(base, username, password, { lang } = {}) {
    return request(base, '/api/v1/session', { method: 'POST', body: { username, password }, lang });
}

/* Logs in and returns a Client; throws with the response when the login fails. */
export async function login(base, username, password, { lang } = {}) {
    const r = await loginRaw(base, username, password, { lang });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${r.text.slice(0, 300)}`);
    const c = cookieFrom(r.setCookies, 'kc_session');
    if (!c) throw new Error(`login ${username}: no kc_session cookie in Set-Cookie ${JSON.stringify(r.setCookies)}`);
    assert.ok(r.json && typeof r.json.csrf_token === 'string' && r.json.csrf_token.length > 0,
        `login ${username}: no csrf_token in ${r.text.slice(0, 300)}`);
    return new Client(base, c.pair, r.json.csrf_token, r.json.user, lang);
}

/* Logs in as demo account `username` of server srv. */
export function loginAs(srv, username, opts) {
    const a = account(srv.accounts, username);
    return login(srv.base, a.username, a.password, opts);
}

/*
 * Asserts the error shape {"error":{"code","message","field"}} with the given status and
 * code (and field, when `field` is given: a string or null).
 */
export function assertError(res, status, code, field, what = '') {
    const ctx = `${what ? what + ': ' : ''}got ${res.status} ${String(res.text).slice(0, 400)}`;
    assert.equal(res.status, status, `status ${status} expected; ${ctx}`);
    const ct = (res.headers.get ? res.headers.get('content-type') : res.headers['content-type']) || '';
    assert.match(ct, /application\/json/, `error content-type should be JSON; ${ctx}`);
    assert.ok(res.json && typeof res.json === 'object', `error body is not JSON; ${ctx}`);
    assert.deepEqual(Object.keys(res.json), ['error'], `error body must have only "error"; ${ctx}`);
    const e = res.json.error;
    assert.deepEqual(Object.keys(e).sort(), ['code', 'field', 'message'], `error object keys; ${ctx}`);
    assert.equal(typeof e.message, 'string', `message must be a string; ${ctx}`);
    assert.ok(e.message.length > 0, `message must not be empty; ${ctx}`);
    assert.ok(e.field === null || typeof e.field === 'string', `field must be a string or null; ${ctx}`);
    if (code !== undefined) assert.equal(e.code, code, `code ${code} expected; ${ctx}`);
    if (field !== undefined) assert.equal(e.field, field, `field ${field} expected; ${ctx}`);
    return e;
}

/* Asserts a 2xx status, with the body in the message. */
export function assertOk(res, status = 200, what = '') {
    assert.equal(res.status, status, `${what ? what + ': ' : ''}expected ${status}, got ${res.status} ${String(res.text).slice(0, 400)}`);
    return res.json;
}

export const CJK = /[\u3400-\u9fff]/;

/* ---- USCC (GB 32100-2015) ---- */
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/* The GB 32100 check character of the first 17 characters. */
export function usccCheckChar(first17) {
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * USCC_WEIGHTS[i];
    return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/* The GB 11714 check character of an 8-character organisation-code body. */
function orgCheckChar(body8) {
    let sum = 0;
    for (let i = 0; i < 8; i++) {
        const c = body8[i];
        const v = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55;
        sum += v * ORG_WEIGHTS[i];
    }
    const c = 11 - (sum % 11);
    return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/* A random, valid USCC for an enterprise (91…) registered in regionCode. */
export function makeUscc(regionCode = '330402') {
    const bytes = crypto.randomBytes(8);
    let body = '';
    for (let i = 0; i < 8; i++) body += USCC_CHARSET[bytes[i] % USCC_CHARSET.length];
    const first17 = '91' + regionCode + body + orgCheckChar(body);
    return first17 + usccCheckChar(first17);
}

/* True when s is a well-formed USCC with the right check character. */
export function usccValid(s) {
    return typeof s === 'string' && /^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/.test(s) &&
        usccCheckChar(s.slice(0, 17)) === s[17];
}

/* A valid USCC with its last character replaced so that the check fails. */
export function badUscc(regionCode = '330402') {
    const good = makeUscc(regionCode);
    const last = good[17];
    const repl = USCC_CHARSET[(USCC_CHARSET.indexOf(last) + 1) % USCC_CHARSET.length];
    return good.slice(0, 17) + repl;
}

let orgSeq = 0;
/* A valid OrgInput for create, with overrides. */
export function orgInput(over = {}) {
    orgSeq++;
    const region = over.region_code || '330402';
    return {
        kind: 'enterprise',
        name: `测试企业${Date.now() % 100000}-${orgSeq}有限公司`,
        uscc: makeUscc(/^\d{6}$/.test(region) ? region : '330402'),
        region_code: region,
        ...over,
    };
}

/* Returns `total` of a list path (page_size=1). */
export async function listTotal(client, p) {
    const sep = p.includes('?') ? '&' : '?';
    const r = await client.get(`${p}${sep}page_size=1`);
    assert.equal(r.status, 200, `GET ${p}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.equal(typeof r.json.total, 'number', `GET ${p}: total missing in ${r.text.slice(0, 300)}`);
    return r.json.total;
}

/* Returns the first org (admin view) whose region_code starts with prefix. */
export async function firstOrg(client, prefix, extra = '') {
    const r = await client.get(`/api/v1/orgs?region_code=${prefix}&page_size=5${extra}`);
    assert.equal(r.status, 200, `GET orgs region ${prefix}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.ok(r.json.items.length > 0, `no demo org in region ${prefix}`);
    return r.json.items[0];
}

/* Finds the SQLite database file in a data dir (the largest *.db / *.sqlite / *.sqlite3). */
export function findDb(dir) {
    const files = fs.readdirSync(dir).filter((f) => /\.(db|sqlite3?)$/.test(f));
    assert.ok(files.length > 0, `no SQLite database (*.db, *.sqlite, *.sqlite3) in ${dir}: ${fs.readdirSync(dir).join(', ')}`);
    files.sort((a, b) => fs.statSync(path.join(dir, b)).size - fs.statSync(path.join(dir, a)).size);
    return path.join(dir, files[0]);
}

/* Copies a directory (flat or nested) to a new temp dir and returns its path. */
export function copyDir(src) {
    const dst = tempDir('kc-copy-');
    fs.cpSync(src, dst, { recursive: true });
    return dst;
}
