// Browser test of 数据导入 against the real binary: a county officer downloads the template,
// uploads a CSV with good and bad rows, watches the job finish, reads the counts, downloads
// the failed rows, and exports the organisation list as CSV from the core page. Same set-up
// as core.test.mjs (KC_BIN, KC_CHROMIUM); screenshots go to web/tests/e2e/out/.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { makeUscc } from '../../../tests/api/harness.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.resolve(HERE, '../../..')
const OUT = path.join(HERE, 'out')
const KC_BIN = process.env.KC_BIN || path.join(REPO, 'build/kechuang')
const CHROMIUM = process.env.KC_CHROMIUM || '/usr/bin/chromium'
const STEP_MS = 20000

let server = null
let serverLog = ''
let dataDir = null
let baseUrl = null
let accounts = {}
let browser = null
let work = null

// Starts `serve --demo` on an ephemeral port; resolves with the base URL.
function startServer() {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-e2e-import-'))
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

before(async () => {
  fs.mkdirSync(OUT, { recursive: true })
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-e2e-import-files-'))
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

// Element Plus components that were not registered render as unknown <el-…> tags.
async function unresolved(page, where, problems) {
  const tags = await page.evaluate(() => [...new Set([...document.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()).filter((t) => t.startsWith('el-')))])
  if (tags.length) problems.push(`${where}: unregistered components ${tags.join(', ')}`)
}

// Clicks a button and saves the download it triggers; returns the saved path.
async function downloadVia(page, button, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), button.click()])
  const file = path.join(work, name)
  await dl.saveAs(file)
  return { file, suggested: dl.suggestedFilename() }
}

test('county officer: template, upload with a bad row, progress to done, counts, failed rows, recent jobs', async () => {
  const o = await loggedIn('county_nanhu')
  try {
    const item = o.sel('menu-ladder-import')
    if (!(await item.isVisible())) {
      await o.sel('menu-group-ladder').locator('.el-sub-menu__title').click()
      await item.waitFor({ state: 'visible' })
    }
    await item.click()
    await o.sel('import-page').waitFor()
    await unresolved(o.page, 'import page', o.problems)

    const tpl = await downloadVia(o.page, o.sel('import-template'), 'template.xlsx')
    assert.equal(fs.readFileSync(tpl.file).subarray(0, 2).toString(), 'PK', 'the template is an XLSX file')
    assert.match(tpl.suggested, /\.xlsx$/)

    const good1 = makeUscc('330402')
    const good2 = makeUscc('330402')
    const csv = '\uFEFF统一社会信用代码,企业名称,所在地区代码,年度,职工总数（人）,销售收入（元）\r\n' +
      `${good1},浏览器导入甲公司,330402,2024,30,1000.5\r\n` +
      `${good2},浏览器导入乙公司,330402,2024,40,2000\r\n` +
      `${good2},浏览器导入乙公司,330402,2023,-1,2000\r\n`
    const file = path.join(work, '导入测试.csv')
    fs.writeFileSync(file, csv)
    await o.sel('import-file').locator('input[type=file]').setInputFiles(file)
    await o.sel('import-start').click()
    await o.sel('import-job').waitFor()
    await o.page.waitForFunction(() => document.querySelector('[data-test="import-status"]')?.textContent.trim() === '已完成', null, { timeout: 30000 })
    const stat = async (name) => (await o.sel(name).locator('.el-statistic__content').textContent()).trim()
    assert.equal(await stat('import-inserted'), '2')
    assert.equal(await stat('import-failed'), '1')
    assert.equal(await stat('import-unchanged'), '0')
    assert.match(await o.sel('import-progress').textContent(), /100%/)
    await o.page.waitForTimeout(800) // the bar's width transition
    await o.page.screenshot({ path: path.join(OUT, 'import-done.png'), fullPage: true })

    const failed = await downloadVia(o.page, o.sel('import-failed-xlsx'), 'failed.xlsx')
    assert.equal(fs.readFileSync(failed.file).subarray(0, 2).toString(), 'PK')
    const failedCsv = await downloadVia(o.page, o.sel('import-failed-csv'), 'failed.csv')
    const text = fs.readFileSync(failedCsv.file, 'utf8')
    assert.match(text, /职工总数（人）：应为不小于 0 的整数/)
    assert.equal(text.trim().split(/\r?\n/).length, 2, 'header + the one failed row')

    const jobsTable = o.sel('import-jobs')
    await jobsTable.locator('tbody tr').first().waitFor()
    assert.match(await jobsTable.locator('tbody tr').first().textContent(), /导入测试\.csv/)
    assert.deepEqual(o.problems, [])
  } finally {
    await o.context.close()
  }
})

test('core lists export CSV next to XLSX (organisations)', async () => {
  const a = await loggedIn('county_nanhu')
  try {
    await a.page.goto(`${baseUrl}/#/orgs`)
    await a.sel('org-export-csv').waitFor()
    const csv = await downloadVia(a.page, a.sel('org-export-csv'), 'orgs.csv')
    const buf = fs.readFileSync(csv.file)
    assert.equal(buf.subarray(0, 3).toString('hex'), 'efbbbf', 'UTF-8 BOM')
    assert.match(buf.toString('utf8'), /统一社会信用代码/)
    assert.match(csv.suggested, /\.csv$/)
    const xlsx = await downloadVia(a.page, a.sel('org-export'), 'orgs.xlsx')
    assert.equal(fs.readFileSync(xlsx.file).subarray(0, 2).toString(), 'PK')
    assert.deepEqual(a.problems, [])
  } finally {
    await a.context.close()
  }
})
