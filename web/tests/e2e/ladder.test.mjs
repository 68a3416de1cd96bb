// Browser test of the ladder module (enterprises, yearly data, self-assessment) against
// the real binary: an enterprise user edits a draft year (a field error first), submits
// it; a county officer verifies it and sees the edit button locked; the self-assessment
// tab shows the conditions and a gap. Same set-up as core.test.mjs (KC_BIN, KC_CHROMIUM);
// screenshots go to web/tests/e2e/out/.
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
const STEP_MS = 15000

let server = null
let serverLog = ''
let dataDir = null
let baseUrl = null
let accounts = {}
let browser = null

// Starts `serve --demo` on an ephemeral port; resolves with the base URL.
function startServer() {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-e2e-ladder-'))
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

// A small API client for preparing data (cookie session + CSRF).
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

before(async () => {
  fs.mkdirSync(OUT, { recursive: true })
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
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
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

// Element Plus components that were not registered render as unknown <el-…> tags.
async function unresolved(page, where, problems) {
  const tags = await page.evaluate(() => [...new Set([...document.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()).filter((t) => t.startsWith('el-')))])
  if (tags.length) problems.push(`${where}: unregistered components ${tags.join(', ')}`)
}

test('enterprise edits and submits a draft year; the county officer verifies it; self-assessment shows conditions and a gap', async () => {
  // The enterprise's own record and a draft year to work on (the demo gives ent_nanhu one).
  const ent = await apiLogin('ent_nanhu')
  const own = (await ent.get('/api/v1/enterprises')).json.items[0]
  assert.ok(own, 'ent_nanhu sees its own enterprise')
  const years = (await ent.get(`/api/v1/enterprises/${own.uscc}/years`)).json.items
  let draft = years.find((y) => y.status === 'draft')
  if (!draft) {
    let y = 2025
    while (years.some((r) => r.year === y)) y--
    const r = await ent.post(`/api/v1/enterprises/${own.uscc}/years`, { year: y, employees: 50, tech_staff: 5 })
    assert.equal(r.status, 201, JSON.stringify(r.json))
    draft = r.json
  }
  const year = draft.year

  // 1. The enterprise user: 我的企业 → edit the draft year (a field error first) → submit.
  const e = await loggedIn('ent_nanhu')
  try {
    await openMenu(e.sel, 'my_enterprise')
    await e.sel('year-table').waitFor()
    await e.page.waitForTimeout(300)
    await e.sel(`year-edit-${year}`).click()
    const dialog = e.page.locator('.el-dialog').filter({ has: e.sel('year-save') })
    await dialog.waitFor()
    await unresolved(e.page, 'year form', e.problems)
    await e.sel('year-employees').locator('input').fill('90')
    await e.sel('year-tech_staff').locator('input').fill('120')
    await e.sel('year-rd_staff').locator('input').fill('5')
    await e.sel('year-save').click()
    // The server's 422 lands under the tech-staff field.
    const err = dialog.locator('.el-form-item__error', { hasText: '科技人员数' })
    await err.waitFor()
    assert.match(await err.textContent(), /职工总数/)
    await e.sel('year-tech_staff').locator('input').fill('8')
    await e.sel('year-save').click()
    await dialog.waitFor({ state: 'hidden' })
    await e.page.screenshot({ path: path.join(OUT, 'ladder-years-enterprise.png'), fullPage: true })
    await e.sel(`year-submit-${year}`).click()
    await e.page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
    await e.page.locator('.el-message-box').waitFor({ state: 'hidden' })
    await e.page.waitForFunction((y) => document.querySelector(`[data-test="year-status-${y}"]`)?.textContent.trim() === '已提交', year)
    assert.equal(await e.sel(`year-verify-${year}`).count(), 0, 'an enterprise has no verify button')

    // The profile: declare a led standard through the edit dialog.
    await e.sel('profile-edit').click()
    const pd = e.page.locator('.el-dialog').filter({ has: e.sel('profile-save') })
    await pd.waitFor()
    await e.sel('profile-led_standard_5y').locator('label', { hasText: '是' }).click()
    await e.sel('profile-save').click()
    await pd.waitFor({ state: 'hidden' })
    const prof = (await ent.get(`/api/v1/enterprises/${own.uscc}`)).json
    assert.equal(prof.led_standard_5y, true, 'the profile edit was saved')
    assert.deepEqual(e.problems, [])
  } finally {
    await e.context.close()
  }

  // 2. The county officer: the firm's detail → verify → the edit button is locked.
  const o = await loggedIn('county_nanhu')
  try {
    await o.page.goto(`${baseUrl}/#/ladder/enterprises/${own.uscc}`)
    await o.sel('year-table').waitFor()
    await o.sel(`year-verify-${year}`).click()
    await o.page.locator('.el-message-box').getByRole('button', { name: /确定|OK/ }).click()
    await o.page.locator('.el-message-box').waitFor({ state: 'hidden' })
    await o.page.waitForFunction((y) => document.querySelector(`[data-test="year-status-${y}"]`)?.textContent.trim() === '已核验', year)
    const edit = o.sel(`year-edit-${year}`)
    await edit.waitFor()
    assert.equal(await edit.getAttribute('data-locked'), 'true')
    assert.ok(await edit.isDisabled(), 'the edit button of a verified year is disabled')
    assert.ok((await edit.textContent()).includes('已锁定'))
    assert.equal(await o.sel(`year-revise-${year}`).count(), 1, 'the officer may add a revision')
    await o.page.waitForTimeout(500)
    await o.page.screenshot({ path: path.join(OUT, 'ladder-years-officer.png'), fullPage: true })

    // 3. Self-assessment: HNTE for that year: conditions (8 of 90 in technology fails) and a gap.
    await o.page.locator('.el-tabs__item', { hasText: '自评' }).click()
    await o.sel('assess-rule').click()
    await o.page.locator('.el-select-dropdown__item:visible', { hasText: 'hnte-2016' }).click()
    await o.sel('assess-year').click()
    await o.page.locator('.el-select-dropdown__item:visible', { hasText: String(year) }).click()
    await o.sel('assess-run').click()
    const card = o.sel('assess-hnte-2016')
    await card.waitFor()
    await unresolved(o.page, 'assessment', o.problems)
    const rows = await card.locator('[data-test="assess-conditions"] .el-table__body tr').count()
    assert.ok(rows >= 5, `HNTE shows its conditions (${rows})`)
    assert.equal((await o.sel('cond-c4_tech_staff').textContent()).trim(), '不满足')
    assert.ok((await card.locator('[data-test="assess-pre"]').count()) === 1, 'HNTE is marked 预评估')
    const gaps = card.locator('[data-test="assess-gaps"] li')
    assert.ok((await gaps.count()) > 0, 'a failing year has gaps')
    const gapText = await card.locator('[data-test="assess-gaps"]').textContent()
    assert.match(gapText, /科技人员/)
    await o.page.waitForTimeout(500)
    await o.page.screenshot({ path: path.join(OUT, 'ladder-assess.png'), fullPage: true })

    // The enterprise list and the certificate list render for the officer.
    await openMenu(o.sel, 'enterprises')
    await o.sel('ent-table').locator('.el-table__body tr').first().waitFor()
    await unresolved(o.page, 'enterprise list', o.problems)
    await o.page.waitForTimeout(500)
    await o.page.screenshot({ path: path.join(OUT, 'ladder-enterprises.png'), fullPage: true })
    await openMenu(o.sel, 'certifications')
    await o.sel('cert-table').waitFor()
    await o.page.waitForTimeout(300)
    await unresolved(o.page, 'certificate list', o.problems)
    await o.page.screenshot({ path: path.join(OUT, 'ladder-certifications.png'), fullPage: true })

    // The home page's verification queue: pending self-reported certificates, one verified.
    await o.page.goto(`${baseUrl}/#/`)
    const queue = o.sel('verify-queue-certs')
    await queue.waitFor({ timeout: STEP_MS })
    await o.page.waitForFunction(() => /\d/.test(document.querySelector('[data-test="verify-queue-certs"] .n')?.textContent || ''), null, { timeout: STEP_MS })
    const pendingBefore = Number((await queue.locator('.n').textContent()).trim())
    assert.ok(pendingBefore > 0, `the demo has pending certificates (${pendingBefore})`)
    await queue.click()
    await o.page.waitForURL(/certifications\?status=pending/, { timeout: STEP_MS })
    const firstRow = o.sel('cert-table').locator('.el-table__body tr').first()
    await firstRow.waitFor({ timeout: STEP_MS })
    assert.equal((await firstRow.locator('[data-test="cert-status"]').first().textContent()).trim(), '待核验')
    await o.sel('cert-verify').first().click()
    await o.page.locator('.el-message--success').first().waitFor({ timeout: STEP_MS })
    await o.page.waitForFunction((n) => {
      const b = document.querySelector('[data-test="cert-pending"]')
      return b ? !b.textContent.includes(String(n)) : n === 1
    }, pendingBefore, { timeout: STEP_MS })
    await o.page.screenshot({ path: path.join(OUT, 'ladder-cert-queue.png'), fullPage: true })
    assert.deepEqual(o.problems, [])
  } finally {
    await o.context.close()
  }
})
