// Browser test of batch matching (批量匹配, roadshow preparation): a broker opens the page
// for an industry chain, sees every demand with its ranked achievements, highlighted
// matched terms and reasons, puts one row on the pipeline (the API then lists that match),
// and reaches the page from a roadshow with the roadshow's demands preselected. Same
// set-up as deals.test.mjs (KC_BIN, KC_CHROMIUM); screenshots go to web/tests/e2e/out/.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.resolve(HERE, '../../..')
const OUT = path.join(HERE, 'out')
const KC_BIN = process.env.KC_BIN || path.join(REPO, 'build/kechuang')
const CHROMIUM = process.env.KC_CHROMIUM || '/usr/bin/chromium'
const STEP_MS = 30000
const CHAIN = 'JX-AUTO-PARTS'

let server = null
let serverLog = ''
let dataDir = null
let baseUrl = null
let accounts = {}
let browser = null

// Starts `serve --demo` on an ephemeral port in dataDir; resolves with the base URL.
function startServer() {
  serverLog = ''
  return new Promise((resolve, reject) => {
    const child = spawn(KC_BIN, ['serve', '--demo', '--data', dataDir, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    server = child
    let settled = false
    const done = (e, v) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (e) reject(e)
      else resolve(v)
    }
    const timer = setTimeout(() => done(new Error(`server did not start within 60 s:\n${serverLog}`)), 60000)
    child.stdout.on('data', (c) => {
      serverLog += c.toString()
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(serverLog)
      if (m) done(null, m[1])
    })
    child.stderr.on('data', (c) => (serverLog += c.toString()))
    child.on('error', (e) => done(new Error(`cannot start ${KC_BIN}: ${e.message}`)))
    child.on('exit', (code, sig) => done(new Error(`server exited early (${code}, ${sig}):\n${serverLog}`)))
  })
}

// Reads the demo accounts by username.
async function readAccounts() {
  const file = path.join(dataDir, 'demo-accounts.txt')
  for (let i = 0; i < 100 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 100))
  const out = {}
  for (const l of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!l.trim() || l.startsWith('#')) continue
    const [username, password, role, region_code] = l.split('\t')
    out[username] = { username, password, role, region_code }
  }
  return out
}

// Stops the server: SIGTERM, then SIGKILL after 5 s.
async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise((r) => server.once('exit', r))
  server.kill('SIGTERM')
  const t = setTimeout(() => server.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(t)
}

// A small API client for preparing and checking data (cookie session + CSRF).
async function apiLogin(username) {
  const a = accounts[username]
  const r = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: a.username, password: a.password }),
  })
  assert.equal(r.status, 200, `login ${username}`)
  const cookie = r.headers.get('set-cookie').split(';')[0]
  const { csrf_token: csrf, user } = await r.json()
  const call = async (method, p, body) => {
    const res = await fetch(baseUrl + p, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    })
    return { status: res.status, json: await res.json().catch(() => null) }
  }
  return { user, get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) }
}

before(async () => {
  fs.mkdirSync(OUT, { recursive: true })
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-e2e-batch-'))
  baseUrl = await startServer()
  accounts = await readAccounts()
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
})

after(async () => {
  if (browser) await browser.close().catch(() => {})
  await stopServer()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

// Opens a logged-in page for username; returns {page, sel, problems, context}.
async function loggedIn(username) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })
  context.setDefaultTimeout(STEP_MS)
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`)
  })
  const sel = (name) => page.locator(`[data-test="${name}"]`)
  await page.goto(baseUrl + '/')
  await sel('login-username').fill(accounts[username].username)
  await sel('login-password').fill(accounts[username].password)
  await sel('login-submit').click()
  await sel('menu').waitFor()
  return { page, sel, problems, context }
}

// Element Plus components that were not registered render as unknown <el-…> tags.
async function unresolved(page, where, problems) {
  const tags = await page.evaluate(() => [...new Set([...document.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()).filter((t) => t.startsWith('el-')))])
  if (tags.length) problems.push(`${where}: unregistered components ${tags.join(', ')}`)
}

test('broker: batch matching of a chain shows ranked achievements with highlights and puts a row on the pipeline', async () => {
  const broker = await apiLogin('broker_jiaxing')
  const b = await broker.get(`/api/v1/demands/batch-matches?chain=${CHAIN}&limit=5&page_size=50`)
  assert.equal(b.status, 200)
  assert.ok(b.json.total > 0)
  // A (demand, achievement) pair of the batch that is not on the pipeline yet.
  let pick = null
  for (const it of b.json.items) {
    const open = await broker.get(`/api/v1/matches?demand_id=${it.demand.id}&page_size=200`)
    const used = new Set(open.json.items.map((m) => m.achievement_id))
    const i = it.matches.findIndex((m) => !used.has(m.id))
    if (i >= 0) {
      pick = { demand: it.demand, index: i, ach: it.matches[i] }
      break
    }
  }
  assert.ok(pick, 'a free pair exists')

  const o = await loggedIn('broker_jiaxing')
  try {
    await o.page.goto(`${baseUrl}/#/market/batch?chain=${CHAIN}`)
    await o.sel('batch-demand').first().waitFor()
    assert.match(await o.sel('batch-summary').innerText(), new RegExp(`${b.json.total}`))
    const shown = await o.sel('batch-demand').count()
    assert.equal(shown, Math.min(10, b.json.total), 'one block per demand (10 a page)')
    assert.ok(await o.sel('batch-matches').locator('[data-test="hl-mark"]').count() > 0, 'matched terms are highlighted')
    assert.ok(await o.sel('batch-term').count() > 0, 'matched terms are listed')
    await unresolved(o.page, 'batch', o.problems)
    await o.page.screenshot({ path: path.join(OUT, 'market-batch.png'), fullPage: false })

    // One demand: put the chosen row on the pipeline.
    await o.page.goto(`${baseUrl}/#/market/batch?demand_ids=${pick.demand.id}`)
    await o.page.reload()
    await o.sel('batch-demand').first().waitFor()
    assert.equal(await o.sel('batch-demand').count(), 1)
    assert.equal(await o.sel('batch-ach-title').nth(pick.index).innerText(), pick.ach.title)
    await o.sel('batch-propose').nth(pick.index).click()
    await o.sel('batch-taken').first().waitFor()
    const after = await broker.get(`/api/v1/matches?demand_id=${pick.demand.id}&achievement_id=${pick.ach.id}`)
    assert.equal(after.json.total, 1, 'the match is on the pipeline')
    const m = after.json.items[0]
    assert.equal(m.stage, 'proposed')
    assert.equal(m.source, 'matching')
    assert.deepEqual(o.problems, [])
  } finally {
    await o.context.close()
  }
})

test('officer: a roadshow opens batch matching with its demands', async () => {
  const city = await apiLogin('city_jiaxing')
  const list = await city.get('/api/v1/roadshows?page_size=50')
  let rs = null
  for (const r of list.json.items) {
    const d = await city.get(`/api/v1/roadshows/${r.id}`)
    if (d.json.demands.length) {
      rs = d.json
      break
    }
  }
  assert.ok(rs, 'a demo roadshow showcases demands')
  const o = await loggedIn('city_jiaxing')
  try {
    await o.page.goto(`${baseUrl}/#/deals/roadshows/${rs.id}`)
    await o.sel('roadshow-batch').click()
    await o.sel('batch-result').waitFor()
    const want = await city.get(`/api/v1/demands/batch-matches?demand_ids=${rs.demands.map((d) => d.id).join(',')}&page_size=50`)
    const n = Math.min(10, want.json.total)
    assert.ok(n > 0, 'the roadshow has published demands')
    await o.page.waitForFunction((k) => document.querySelectorAll('[data-test="batch-demand"]').length === k, n)
    assert.equal(await o.page.locator('input[data-test="batch-ids"], [data-test="batch-ids"] input').first().inputValue(), rs.demands.map((d) => d.id).join(','))
    assert.deepEqual(o.problems, [])
  } finally {
    await o.context.close()
  }
})

test('institution: a file over 5,000 rows imports in the background with progress and a failed-rows file', async () => {
  const rows = []
  for (let i = 1; i <= 5100; i++) {
    const o = { id: `E2E-BIG-${i}`, title: `浏览器批量导入成果${i}号`, kind: '其他', trl: 5 }
    if (i === 7) o.trl = 15
    rows.push(JSON.stringify(o))
  }
  const o = await loggedIn('inst_jiaxing')
  try {
    await o.page.goto(`${baseUrl}/#/market/achievements`)
    await o.sel('ach-import').click()
    await o.sel('import-file').setInputFiles({ name: 'big.jsonl', mimeType: 'application/json', buffer: Buffer.from(rows.join('\n') + '\n') })
    await o.sel('import-submit').click()
    await o.sel('import-job').waitFor()
    await o.page.waitForFunction(() => {
      const s = document.querySelector('[data-test="import-job-status"]')
      return s && /已完成|失败/.test(s.textContent)
    }, null, { timeout: 120000 })
    assert.match(await o.sel('import-job-status').innerText(), /已完成/)
    assert.equal((await o.sel('import-job-failed').innerText()).trim(), '1')
    await o.sel('import-failed-rows').waitFor()
    assert.equal(await o.sel('import-job-progress').getAttribute('aria-valuenow'), '100')
    // The dialog lists the job again when reopened.
    await o.page.locator('[data-test="import-dialog"] .el-dialog__headerbtn').click()
    await o.sel('ach-import').click()
    await o.sel('import-recent').waitFor()
    assert.match(await o.sel('import-recent').innerText(), /big\.jsonl[\s\S]*100%/)
    await o.page.screenshot({ path: path.join(OUT, 'market-import-job.png') })
    const inst = await apiLogin('inst_jiaxing')
    const found = await inst.get(`/api/v1/achievements?q=${encodeURIComponent('浏览器批量导入成果')}&page_size=1`)
    assert.equal(found.json.total, 5099)
    assert.deepEqual(o.problems, [])
  } finally {
    await o.context.close()
  }
})
