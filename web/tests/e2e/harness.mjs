// Shared set-up of the browser tests (web/tests/e2e/*.test.mjs):
//   const kc = e2e({ prefix: 'kc-e2e-x-', stepMs: 20000 })
// registers the file's before/after hooks: a fresh data directory, `$KC_BIN serve --demo`
// on an ephemeral loopback port (through tests/api/harness.mjs), the demo accounts and
// Debian's Chromium driven by playwright-core; all of it is stopped and removed at the end.
// kc.open(username) gives a browser page logged in through the login form, collecting page
// and console errors; kc.api(username) gives an API client (cookie session + CSRF token).
// Environment: KC_BIN (default <repo>/build/kechuang), KC_CHROMIUM (default
// /usr/bin/chromium). Screenshots go to web/tests/e2e/out/ (OUT).
import { after, before } from 'node:test'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { KC_BIN, REPO, loginAs, startServer, tempDir } from '../../../tests/api/harness.mjs'

export { KC_BIN, REPO }
export const HERE = path.dirname(fileURLToPath(import.meta.url))
export const OUT = path.join(HERE, 'out')
export const CHROMIUM = process.env.KC_CHROMIUM || '/usr/bin/chromium'

// Flags for a headless Chromium that stays off the network except for the test server.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

// Returns the tag names of Element Plus components that were not registered (they render as unknown <el-…> tags).
export async function unregisteredTags(page) {
  return page.evaluate(() => [...new Set([...document.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()).filter((t) => t.startsWith('el-')))])
}

// Registers before/after hooks running the demo server and Chromium for this test file; returns the live state.
// Options: prefix (data directory name prefix), stepMs (default timeout of every page step),
// viewport and ready (defaults of open()), prepare(kc) (runs on the stopped demo data
// directory after a first start; the server then starts again on it), seed(kc) (runs once
// the server answers, before any test; node:test may run a file's own before hooks
// alongside this one, so set-up that needs the server goes here).
export function e2e({ prefix = 'kc-e2e-', stepMs = 15000, viewport = { width: 1440, height: 900 }, ready = 'menu', prepare, seed } = {}) {
  const kc = {
    stepMs,
    dataDir: null,
    baseUrl: null,
    accounts: {},
    browser: null,
    server: null,
    // The server's output so far (stdout, then stderr).
    get serverLog() {
      return kc.server ? kc.server.stdout() + kc.server.stderr() : ''
    },
    // Logs in on the API as a demo account; resolves a client whose get/post/… resolve {status, json, text}.
    api: (username) => loginAs(kc.server, username),
    // Opens a browser context, logged in as username through the login form unless username is null.
    open: (username, opts) => openPage(kc, username, { viewport, ready, ...opts }),
    // Screenshots page to out/<file> and adds the tail of the server's output to error e.
    async failed(page, e, file) {
      await page.screenshot({ path: path.join(OUT, file), fullPage: true }).catch(() => {})
      const log = kc.serverLog
      if (log) e.message += `\n--- server output (tail) ---\n${log.slice(-3000)}`
    },
  }

  before(async () => {
    fs.mkdirSync(OUT, { recursive: true })
    kc.dataDir = tempDir(prefix)
    kc.server = await startServer({ dataDir: kc.dataDir })
    if (prepare) {
      await kc.server.stop()
      await prepare(kc)
      kc.server = await startServer({ dataDir: kc.dataDir })
    }
    kc.baseUrl = kc.server.base
    kc.accounts = kc.server.accounts
    if (seed) await seed(kc)
    kc.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  })

  after(async () => {
    if (kc.browser) await kc.browser.close().catch(() => {})
    if (kc.server) await kc.server.stop()
    if (kc.dataDir) fs.rmSync(kc.dataDir, { recursive: true, force: true })
  })

  return kc
}

// Opens a context and page (optionally logged in, waiting for data-test `ready`); returns the page with its helpers.
async function openPage(kc, username, { viewport, ready }) {
  const context = await kc.browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true })
  context.setDefaultTimeout(kc.stepMs)
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    // CSP violations and uncaught errors show up as console errors.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`)
  })
  // The element(s) carrying data-test="name".
  const sel = (name) => page.locator(`[data-test="${name}"]`)
  // Records the Element Plus components left unregistered on the page as a problem at `where`.
  const unresolved = async (where) => {
    const tags = await unregisteredTags(page)
    if (tags.length) problems.push(`${where}: unregistered components ${tags.join(', ')}`)
  }
  // Fills the input behind data-test name (Element Plus puts the attribute either on the
  // <input>/<textarea> itself or on its wrapper); returns the filled element.
  const fill = async (name, text) => {
    const l = sel(name)
    const tag = await l.evaluate((e) => e.tagName.toLowerCase())
    const target = tag === 'input' || tag === 'textarea' ? l : l.locator('input, textarea').first()
    await target.fill(text)
    return target
  }
  // Clicks the menu entry of page name inside submenu group, opening the submenu when closed.
  const menu = async (group, name) => {
    const item = sel(`menu-${name}`)
    if (!(await item.isVisible())) {
      await sel(`menu-group-${group}`).locator('.el-sub-menu__title').click()
      await item.waitFor({ state: 'visible' })
    }
    await item.click()
  }
  if (username) {
    const account = kc.accounts[username]
    if (!account) throw new Error(`no ${username} in demo-accounts.txt: ${Object.keys(kc.accounts).join(', ')}`)
    await page.goto(kc.baseUrl + '/')
    await sel('login-username').waitFor()
    await sel('login-username').fill(account.username)
    await sel('login-password').fill(account.password)
    await sel('login-submit').click()
    await sel(ready).waitFor()
  }
  return { context, page, problems, sel, unresolved, fill, menu }
}
