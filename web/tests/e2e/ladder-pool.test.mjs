// Browser test of the cultivation pool (issue 3): a county officer opens the pool (科技型中小企业,
// 2018, firms made here so the list is known), opens a firm, sees the breakdown and the gap on
// its 自评 tab, goes back and exports the pool; the XLSX is converted by LibreOffice and its
// rows are checked against the API. Also: the funnel widget on the home page clicks through
// to the firm list, the league table opens a points breakdown, and a city officer saves a
// new 创新积分 version in the structured editor. Same set-up as core.test.mjs (KC_BIN,
// KC_CHROMIUM); screenshots go to web/tests/e2e/out/.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
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
const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => fs.existsSync(p))
const STEP_MS = 15000
const TAG = `浏览器池${Date.now() % 100000}`

let server = null
let serverLog = ''
let dataDir = null
let baseUrl = null
let accounts = {}
let browser = null
let work = null
const firms = {}

// Starts `serve --demo` on an ephemeral port; resolves with the base URL.
function startServer() {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-e2e-pool-'))
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

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise((r) => server.once('exit', r))
  server.kill('SIGTERM')
  const t = setTimeout(() => server.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(t)
}

// A small API client (cookie session + CSRF).
async function apiLogin(username) {
  const a = accounts[username]
  const r = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: a.username, password: a.password }),
  })
  assert.equal(r.status, 200, `login ${username}`)
  const cookie = r.headers.get('set-cookie').split(';')[0]
  const { csrf_token: csrf } = await r.json()
  const call = async (method, p, body) => {
    const res = await fetch(baseUrl + p, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    })
    return { status: res.status, json: await res.json().catch(() => null) }
  }
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) }
}

// A valid USCC (GB 32100) for an enterprise in region.
function uscc(region) {
  const CH = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const OW = [3, 7, 9, 10, 5, 8, 4, 2]
  const b = crypto.randomBytes(8)
  let body = ''
  for (let i = 0; i < 8; i++) body += CH[b[i] % CH.length]
  let s = 0
  for (let i = 0; i < 8; i++) {
    const c = body[i]
    s += (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55) * OW[i]
  }
  const oc = 11 - (s % 11)
  const first = `91${region}${body}${oc === 10 ? 'X' : oc === 11 ? '0' : String(oc)}`
  let sum = 0
  for (let i = 0; i < 17; i++) sum += CH.indexOf(first[i]) * W[i]
  return first + CH[(31 - (sum % 31)) % 31]
}

// Parses CSV text (RFC 4180) into rows.
function parseCsv(text) {
  const rows = []
  let row = []
  let field = ''
  let q = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (q) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') q = false
      else field += ch
    } else if (ch === '"') q = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  if (field !== '' || row.length) {
    row.push(field)
    rows.push(row)
  }
  return rows.filter((r) => r.some((f) => f !== ''))
}

before(async () => {
  fs.mkdirSync(OUT, { recursive: true })
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-e2e-pool-work-'))
  baseUrl = await startServer()
  accounts = await readAccounts()
  // Three Nanhu firms a point or two short of 科技型中小企业 in 2018 (one condition: the score)
  // and one that passes; one in Xiuzhou the county officer must not see.
  const city = await apiLogin('city_jiaxing')
  const make = async (key, region, tech, rdWan, ip2) => {
    const u = uscc(region)
    let r = await city.post('/api/v1/enterprises', {
      uscc: u, name: `${TAG}${key}有限公司`, region_code: region, not_restricted_industry: true, no_major_incident: true,
      not_on_abnormal_list: true, national_award_top3_5y: false, provincial_rd_institution: false, led_standard_5y: false,
    })
    assert.equal(r.status, 201, JSON.stringify(r.json))
    r = await city.post(`/api/v1/enterprises/${u}/years`, {
      year: 2018, employees: 100, tech_staff: tech, rd_staff: 0, sales_revenue_fen: 5000000000, cost_expense_total_fen: 4500000000,
      total_assets_fen: 5000000000, rd_expense_fen: rdWan * 1000000, ip_class1: 0, ip_class2: ip2,
    })
    assert.equal(r.status, 201, JSON.stringify(r.json))
    firms[key] = u
  }
  await make('甲', '330402', 15, 150, 3) // 8 + 20 + 18 = 46
  await make('乙', '330402', 20, 150, 3) // 12 + 20 + 18 = 50
  await make('丙', '330402', 25, 200, 2) // 16 + 30 + 12 = 58
  await make('丁', '330402', 30, 300, 4) // passes
  await make('戊', '330411', 20, 150, 3)
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
})

after(async () => {
  if (browser) await browser.close().catch(() => {})
  await stopServer()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
  if (work) fs.rmSync(work, { recursive: true, force: true })
})

// Opens a logged-in page for username; returns {page, sel, problems, context}.
async function loggedIn(username) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
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

// Clicks the menu entry of page name inside the ladder submenu, opening it when closed.
async function openMenu(sel, name) {
  const item = sel(`menu-${name}`)
  if (!(await item.isVisible())) {
    await sel('menu-group-ladder').locator('.el-sub-menu__title').click()
    await item.waitFor({ state: 'visible' })
  }
  await item.click()
}

// Picks the option with text in the Element Plus select of data-test name.
async function pick(page, sel, name, text) {
  await sel(name).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

// Element Plus components that were not registered render as unknown <el-…> tags.
async function unresolved(page, where, problems) {
  const tags = await page.evaluate(() => [...new Set([...document.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()).filter((t) => t.startsWith('el-')))])
  if (tags.length) problems.push(`${where}: unregistered components ${tags.join(', ')}`)
}

test('a county officer opens the pool, opens a firm, sees the breakdown and the gap, exports the pool (XLSX checked by LibreOffice)', async () => {
  const o = await loggedIn('county_nanhu')
  try {
    // The pool: 科技型中小企业, 2018, our firms.
    await openMenu(o.sel, 'ladder_pools')
    await o.sel('pool-table').waitFor()
    await pick(o.page, o.sel, 'pool-family', '科技型中小企业')
    await pick(o.page, o.sel, 'pool-year', '2018')
    await o.sel('pool-search').fill(TAG)
    await o.sel('pool-search-btn').click()
    await o.page.waitForFunction((n) => document.querySelectorAll('[data-test="pool-name-link"]').length === n, 3)
    await unresolved(o.page, 'pool', o.problems)
    const names = await o.sel('pool-name-link').allTextContents()
    assert.deepEqual(names, [`${TAG}丙有限公司`, `${TAG}乙有限公司`, `${TAG}甲有限公司`], 'nearest first; no passing firm, no other county')
    const gaps = await o.sel('pool-gap').allTextContents()
    assert.ok(gaps.every((g) => /合计最少需要/.test(g)), 'every row says the smallest change')
    assert.match(await o.sel('pool-summary').textContent(), /tsme-2017/)
    await o.page.waitForTimeout(400)
    await o.page.screenshot({ path: path.join(OUT, 'ladder-pool.png'), fullPage: true })

    // The firm: its 自评 tab shows the conditions, the items and the gap.
    await o.sel('pool-name-link').nth(2).click()
    await o.page.waitForURL(new RegExp(`/ladder/enterprises/${firms['甲']}`))
    await o.sel('ent-tabs').waitFor()
    // the pool's link opens the firm on its 自评 tab
    await o.page.locator('.el-tabs__item.is-active', { hasText: '自评' }).waitFor()
    assert.match(o.page.url(), /tab=assess/)
    await pick(o.page, o.sel, 'assess-rule', 'tsme-2017')
    await pick(o.page, o.sel, 'assess-year', '2018')
    await o.sel('assess-run').click()
    const card = o.sel('assess-tsme-2017')
    await card.waitFor()
    assert.equal((await card.locator('[data-test="assess-verdict"]').textContent()).trim(), '不符合')
    assert.equal((await o.sel('cond-c5_score').textContent()).trim(), '不满足')
    const items = await card.locator('[data-test="assess-items"] .el-table__body tr').count()
    assert.equal(items, 3, 'the three scored items (科技人员, 研发投入, 科技成果) with points and brackets')
    const gapText = await card.locator('[data-test="assess-gaps"]').textContent()
    assert.match(gapText, /综合评价得分/)
    assert.match(gapText, /合计最少需要/)
    await o.page.waitForTimeout(400)
    await o.page.screenshot({ path: path.join(OUT, 'ladder-pool-firm.png'), fullPage: true })

    // Back to the pool (filters kept in the URL) and export it as XLSX.
    await o.page.goBack()
    await o.page.waitForFunction((n) => document.querySelectorAll('[data-test="pool-name-link"]').length === n, 3)
    await o.sel('pool-export-btn').click()
    const [dl] = await Promise.all([o.page.waitForEvent('download'), o.sel('pool-export-xlsx').click()])
    const file = path.join(work, 'pool.xlsx')
    await dl.saveAs(file)
    assert.match(dl.suggestedFilename(), /^pool-tsme-330402\.xlsx$/)
    assert.deepEqual(o.problems, [])
  } finally {
    await o.context.close()
  }

  // LibreOffice converts the file; its rows are the API's rows.
  assert.ok(SOFFICE, 'LibreOffice (soffice) is installed')
  const profile = fs.mkdtempSync('/tmp/kc-lo-profile-')
  try {
    await new Promise((resolve, reject) => {
      const p = spawn(SOFFICE, [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', work, path.join(work, 'pool.xlsx')], { stdio: 'ignore' })
      const t = setTimeout(() => p.kill('SIGKILL'), 180000)
      p.on('error', reject)
      p.on('close', () => {
        clearTimeout(t)
        resolve()
      })
    })
  } finally {
    fs.rmSync(profile, { recursive: true, force: true })
  }
  const csv = path.join(work, 'pool.csv')
  assert.ok(fs.existsSync(csv), 'LibreOffice converted the export')
  const rows = parseCsv(fs.readFileSync(csv, 'utf8').replace(/^\uFEFF/, ''))
  const api = await apiLogin('county_nanhu')
  const r = await api.get(`/api/v1/ladder/pools?family=tsme&year=2018&q=${encodeURIComponent(TAG)}`)
  assert.equal(r.status, 200)
  assert.equal(rows[0][0], '企业名称')
  assert.equal(rows.length, r.json.total + 1)
  for (let i = 0; i < r.json.items.length; i++) {
    const it = r.json.items[i]
    assert.deepEqual(
      [rows[i + 1][0], rows[i + 1][1], rows[i + 1][4], Number(rows[i + 1][5]), Number(rows[i + 1][9]), rows[i + 1][12]],
      [it.name, it.uscc, it.rule, it.score_max, it.money_fen, it.gap],
    )
  }
})

test('the funnel widget on the home page clicks through to its firms; the league opens a breakdown', async () => {
  const o = await loggedIn('county_nanhu')
  try {
    const w = o.sel('home-widget-ladder-funnel')
    await w.waitFor()
    await o.sel('widget-cert-1').waitFor()
    await o.page.waitForTimeout(500)
    await o.page.screenshot({ path: path.join(OUT, 'ladder-funnel-widget.png'), fullPage: true })
    const n = Number((await o.sel('widget-cert-1').textContent()).trim())
    await o.sel('widget-cert-1').click()
    await o.sel('funnel-firms-table').waitFor()
    await o.page.waitForFunction(() => !document.querySelector('[data-test="funnel-firms-table"] .el-loading-mask'))
    const total = await o.page.locator('.el-pagination__total').textContent()
    assert.match(total, new RegExp(`\\b${n}\\b`), `the list behind ${n}`)
    await openMenu(o.sel, 'ladder_funnel')
    await o.sel('funnel-table').waitFor()
    await o.page.waitForTimeout(500)
    await unresolved(o.page, 'funnel', o.problems)
    await o.page.screenshot({ path: path.join(OUT, 'ladder-funnel.png'), fullPage: true })

    await openMenu(o.sel, 'points_league')
    await o.sel('league-table').waitFor()
    await o.page.waitForFunction(() => document.querySelectorAll('[data-test="league-name-link"]').length > 0 || document.querySelector('.el-table__empty-text'))
    if ((await o.sel('league-name-link').count()) > 0) {
      await o.sel('league-name-link').first().click()
      await o.sel('breakdown-indicators').waitFor()
      assert.ok((await o.sel('breakdown-indicators').locator('.el-table__body tr').count()) >= 18, 'every indicator')
      await o.page.waitForTimeout(400)
      await o.page.screenshot({ path: path.join(OUT, 'ladder-league-breakdown.png'), fullPage: true })
    }
    await unresolved(o.page, 'league', o.problems)
    assert.deepEqual(o.problems, [])
  } finally {
    await o.context.close()
  }
})

test('a city officer saves a new 创新积分 version in the structured editor', async () => {
  const api = await apiLogin('city_jiaxing')
  const before = (await api.get('/api/v1/points/configs?region_code=330400')).json.total
  const c = await loggedIn('city_jiaxing')
  try {
    await openMenu(c.sel, 'points_config')
    // The editor renders ~20 rows of inputs; on a loaded 2-core machine that took >15 s.
    await c.sel('config-indicators').waitFor({ timeout: 60000 })
    await c.page.waitForFunction(() => document.querySelectorAll('[data-test="config-indicators"] .el-table__body-wrapper tr').length >= 18, null, { timeout: 60000 })
    await unresolved(c.page, 'points editor', c.problems)
    // Break the weights first: the server's error names the field.
    const w = c.sel('weight-rd_expense-startup').locator('input')
    const old = await w.inputValue()
    await w.fill(String(Number(old) + 1))
    await w.blur()
    await c.sel('config-save').click()
    await c.sel('config-error').waitFor()
    assert.match(await c.sel('config-error').textContent(), /config\.weights\.startup/)
    await w.fill(old)
    await w.blur()
    // A bracket edit: the top R&D bracket at 1,200 万元.
    await c.sel('config-brackets-rd_expense').click()
    await c.page.locator('.el-dialog:visible .el-input-number input').first().waitFor()
    await c.page.locator('.el-dialog:visible .el-table__body tr').first().locator('.el-input-number input').first().fill('1200')
    await c.page.locator('.el-dialog:visible .el-dialog__footer button').click()
    await c.sel('config-note').fill('研发费用最高档调整为1200万元')
    await c.sel('config-save').click()
    await c.page.waitForFunction((n) => document.querySelectorAll('[data-test="config-versions"] .el-table__body tr').length === n, before + 1)
    await c.page.waitForTimeout(400)
    await c.page.screenshot({ path: path.join(OUT, 'ladder-points-config.png'), fullPage: true })
    assert.deepEqual(c.problems, [])
  } finally {
    await c.context.close()
  }
  const after = (await api.get('/api/v1/points/configs?region_code=330400')).json
  assert.equal(after.total, before + 1)
  assert.equal(after.items[0].note, '研发费用最高档调整为1200万元')
  const cfg = (await api.get(`/api/v1/points/configs/${after.items[0].id}`)).json.config
  const rd = cfg.indicators.find((i) => i.id === 'rd_expense')
  assert.deepEqual(rd.brackets[0], { op: '>=', value: '1200万元', score: 100 })
})
