// Browser test of the technology market against the real binary: an enterprise writes a
// demand, is blocked by the quality gate (server 422, the meter shows what is missing),
// completes it, publishes it and sees ranked achievements with reasons and highlighted
// terms, then institutions and experts; the achievement library search highlights the
// query; an anonymous visitor finds the demand on the public page. Same set-up as
// core.test.mjs (KC_BIN, KC_CHROMIUM); screenshots go to web/tests/e2e/out/.
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
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-e2e-market-'))
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

// A browser context (optionally logged in as username) collecting page errors.
async function open(username) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' })
  context.setDefaultTimeout(STEP_MS)
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`)
  })
  const sel = (name) => page.locator(`[data-test="${name}"]`)
  if (username) {
    await page.goto(baseUrl + '/')
    await sel('login-username').waitFor()
    await sel('login-username').fill(accounts[username].username)
    await sel('login-password').fill(accounts[username].password)
    await sel('login-submit').click()
    await sel('menu').waitFor()
  }
  const unresolved = async (where) => {
    const tags = await page.evaluate(() => [...new Set([...document.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()).filter((t) => t.startsWith('el-')))])
    if (tags.length) problems.push(`${where}: unregistered components ${tags.join(', ')}`)
  }
  // Fills the input behind data-test name (Element Plus puts the attribute either on the
  // <input>/<textarea> itself or on its wrapper).
  const fill = async (name, text) => {
    const l = sel(name)
    const tag = await l.evaluate((e) => e.tagName.toLowerCase())
    const target = tag === 'input' || tag === 'textarea' ? l : l.locator('input, textarea').first()
    await target.fill(text)
    return target
  }
  return { context, page, sel, problems, unresolved, fill }
}

test('an enterprise posts a demand: blocked by the gate, completes it, publishes, sees ranked matches with reasons', async () => {
  const { context, page, sel, problems, unresolved, fill } = await open('ent_nanhu')
  const title = `电池包壳体铝合金高真空压铸 ${Date.now().toString(36)}`
  try {
    await sel('menu-group-market').click()
    await sel('menu-market_demands').click()
    await sel('demand-table').waitFor()
    await sel('demand-create').click()
    await sel('demand-form').waitFor()
    await fill('demand-title', title)
    await fill('demand-problem', '新能源汽车电池包下壳体拟采用一体化压铸，现有铝合金压铸件抗拉强度和延伸率不足，厚大部位缩孔、气孔明显，热处理后容易变形开裂。')
    await sel('demand-keywords').click()
    await page.keyboard.type('铝合金')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Escape')

    // The meter says indicators, budget and cooperation mode block publishing.
    await sel('missing-indicators').waitFor()
    await sel('missing-budget').waitFor()
    assert.match(await sel('quality-publishable').textContent(), /暂不能发布/)
    await unresolved('demand form')
    await page.screenshot({ path: path.join(OUT, 'market-demand-gate.png'), fullPage: true })

    // Publishing is refused by the server; the form says why.
    await sel('demand-publish').click()
    await sel('gate-error').waitFor()
    const gate = await sel('gate-error').textContent()
    assert.match(gate, /不能发布/)
    assert.match(gate, /技术指标/)
    assert.match(gate, /预算/)

    // Complete it: indicators, budget, cooperation mode.
    await fill('ind-name-0', '抗拉强度')
    await fill('ind-target-0', '≥ 260')
    await fill('ind-unit-0', 'MPa')
    await sel('ind-add').click()
    await fill('ind-name-1', '延伸率')
    await fill('ind-target-1', '≥ 10')
    await fill('ind-unit-1', '%')
    await fill('demand-budget-max', '300')
    await sel('coop-合作开发').click()
    await page.waitForFunction(() => /可以发布/.test(document.querySelector('[data-test="quality-publishable"]')?.textContent || ''))
    await sel('missing-indicators').waitFor({ state: 'detached' })
    await sel('demand-publish').click()

    // The detail page: published, with matches.
    await sel('demand-detail').waitFor()
    assert.equal((await sel('demand-detail-title').textContent()).trim(), title)
    assert.match(await sel('demand-status').textContent(), /已发布/)
    const first = sel('match-achievements').first()
    await first.waitFor()
    const n = await sel('match-achievements').count()
    assert.ok(n >= 5, `${n} achievements matched`)
    const scores = await sel('match-score').allTextContents()
    const vals = scores.map((s) => Number(s.replace(/[^\d.]/g, '')))
    for (let i = 1; i < vals.length; i++) assert.ok(vals[i - 1] >= vals[i], `ranked by score: ${vals.join(', ')}`)
    // Reasons: text terms and highlighted words in the results.
    assert.ok((await first.locator('[data-test="reason-text"]').count()) > 0, 'a text reason')
    const terms = await first.locator('[data-test="reason-term"]').allTextContents()
    assert.ok(terms.length > 0, 'matched terms are shown')
    const marks = await sel('matches-achievements').locator('[data-test="hl-mark"]').allTextContents()
    assert.ok(marks.length > 0, 'terms are highlighted in the results')
    const demandText = title + '新能源汽车电池包下壳体拟采用一体化压铸，现有铝合金压铸件抗拉强度和延伸率不足，厚大部位缩孔、气孔明显，热处理后容易变形开裂。铝合金抗拉强度延伸率'
    for (const m of marks) assert.ok(demandText.includes(m) || terms.some((t) => m.includes(t)), `highlight "${m}" comes from the demand`)
    assert.ok((await sel('matches-achievements').locator('[data-test^="reason-"]:not([data-test="reason-text"]):not([data-test="reason-term"])').count()) > 0, 'structured signals are shown')
    await unresolved('demand detail')
    await page.screenshot({ path: path.join(OUT, 'market-demand-matches.png'), fullPage: true })

    // Institutions and experts tabs.
    await page.locator('.el-tabs__item', { hasText: '匹配机构' }).click()
    await sel('match-institutions').first().waitFor()
    await page.locator('.el-tabs__item', { hasText: '匹配专家' }).click()
    await sel('match-experts').first().waitFor()
    await page.waitForTimeout(400)
    await page.screenshot({ path: path.join(OUT, 'market-demand-experts.png'), fullPage: true })

    // The achievement library highlights a search.
    await sel('menu-market_achievements').click()
    await sel('ach-table').waitFor()
    const q = await fill('ach-search', '锂电池')
    await q.press('Enter')
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test="ach-table"] [data-test="hl-mark"]')].some((m) => m.textContent === '锂电池'))
    const libMarks = await sel('ach-table').locator('[data-test="hl-mark"]').allTextContents()
    assert.ok(libMarks.length > 0 && libMarks.every((m) => m === '锂电池'), `library highlights: ${libMarks.slice(0, 5)}`)
    await unresolved('achievement library')
    await page.screenshot({ path: path.join(OUT, 'market-achievements.png'), fullPage: true })
    await sel('ach-link').first().click()
    await sel('ach-detail').waitFor()
    await sel('matches-demands').waitFor()
    await unresolved('achievement detail')

    assert.deepEqual(problems, [], 'browser errors')
  } catch (e) {
    await page.screenshot({ path: path.join(OUT, 'market-failure.png'), fullPage: true }).catch(() => {})
    if (serverLog) e.message += `\n--- server output (tail) ---\n${serverLog.slice(-3000)}`
    throw e
  } finally {
    await context.close()
  }

  // An anonymous visitor finds the published public demand on the public pages.
  const anon = await open(null)
  try {
    await anon.page.goto(`${baseUrl}/#/p/market/demands`)
    await anon.sel('public-shell').waitFor()
    const box = await anon.fill('pub-demand-search', title)
    await box.press('Enter')
    await anon.page.locator('[data-test="pub-demand"]', { hasText: title }).first().waitFor()
    await anon.page.locator('[data-test="pub-demand"] a', { hasText: title }).first().click()
    await anon.sel('pub-demand-title').waitFor()
    assert.equal((await anon.sel('pub-demand-title').textContent()).trim(), title)
    await anon.page.goto(`${baseUrl}/#/p/market/achievements`)
    await anon.sel('pub-ach').first().waitFor()
    await anon.page.screenshot({ path: path.join(OUT, 'market-public.png'), fullPage: true })
    assert.deepEqual(anon.problems, [], 'browser errors on the public pages')
  } finally {
    await anon.context.close()
  }
})
