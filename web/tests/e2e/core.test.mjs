// Browser test of the platform core against the real binary:
//   node --test web/tests/e2e/        (from the repository root; `make test-browser`)
// The set-up (a `$KC_BIN serve --demo` on an ephemeral port with a fresh data directory,
// Debian's Chromium through playwright-core, the login) is harness.mjs, shared by every
// browser test. Environment: KC_BIN (default <repo>/build/kechuang), KC_CHROMIUM (default
// /usr/bin/chromium). Screenshots go to web/tests/e2e/out/.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { OUT, e2e } from './harness.mjs'

const kc = e2e()

// USCC (GB 32100-2015) check character over the first 17 characters.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
function usccCheck(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i]
  return USCC_CHARS[(31 - (sum % 31)) % 31]
}
// GB 11714 organisation-code check character over 8 characters (digits here).
function orgCodeCheck(body8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 8; i++) sum += Number(body8[i]) * w[i]
  const c = 11 - (sum % 11)
  return c === 10 ? 'X' : c === 11 ? '0' : String(c)
}
// A fresh valid USCC: "91" + region 330402 + a random 9-character organisation code
// (8 digits + its own GB 11714 check, so the server has nothing to warn about) + the
// USCC check character.
function freshUscc() {
  let org = ''
  for (let i = 0; i < 8; i++) org += String(Math.floor(Math.random() * 10))
  const body = '91330402' + org + orgCodeCheck(org)
  return body + usccCheck(body)
}

test('USCC helper agrees with the known example', () => {
  assert.equal(usccCheck('91330100704313080'), 'Y')
  assert.equal(orgCodeCheck('70431308'), '0')
  const u = freshUscc()
  assert.equal(u.length, 18)
  assert.equal(u.slice(2, 8), '330402')
})

test('admin: language switch, org create with a field error, list search, audit entry', async () => {
  const admin = Object.values(kc.accounts).find((a) => a.role === 'admin')
  assert.ok(admin, `no admin account in demo-accounts.txt: ${JSON.stringify(kc.accounts)}`)

  const { context, page, problems, sel, unresolved } = await kc.open(null)
  try {
    // Log in.
    await page.goto(kc.baseUrl + '/')
    await sel('login-username').waitFor()
    await sel('login-username').fill(admin.username)
    await sel('login-password').fill(admin.password)
    await sel('login-submit').click()
    await sel('menu-orgs').waitFor()

    // Language: zh-CN → en → zh-CN; the menu label follows, and the choice is stored.
    const label = sel('menu-label-orgs')
    const startZh = (await label.textContent()).trim() === '组织机构'
    if (!startZh) {
      // The account was left in English by an earlier run: start from Chinese.
      await sel('lang-switch').click()
      await page.waitForFunction(() => document.querySelector('[data-test="menu-label-orgs"]')?.textContent.trim() === '组织机构')
    }
    await sel('lang-switch').click()
    await page.waitForFunction(() => document.querySelector('[data-test="menu-label-orgs"]')?.textContent.trim() === 'Organisations')
    // The switch is remembered on the server (PATCH /api/v1/me).
    let savedLang = null
    for (let i = 0; i < 50 && savedLang !== 'en'; i++) {
      if (i) await page.waitForTimeout(100)
      savedLang = await page.evaluate(async () => {
        const r = await fetch('/api/v1/session', { credentials: 'same-origin' })
        return (await r.json()).user.lang
      })
    }
    assert.equal(savedLang, 'en', 'user.lang was not saved on the server')
    await sel('lang-switch').click()
    await page.waitForFunction(() => document.querySelector('[data-test="menu-label-orgs"]')?.textContent.trim() === '组织机构')

    // Organisations: create with a bad USCC, see the field error, fix it, save.
    await sel('menu-orgs').click()
    await sel('org-table').waitFor()
    await sel('org-create').click()
    const dialog = page.locator('.el-dialog').filter({ has: sel('org-form') })
    await dialog.waitFor()

    const orgName = `浏览器测试科技有限公司${Date.now().toString(36)}`
    const goodUscc = freshUscc()

    await dialog.locator('[data-test="org-kind"]').click()
    await page.locator('.el-select-dropdown__item[data-test="org-kind-enterprise"]:visible').click()
    await sel('org-name').fill(orgName)
    await sel('org-uscc').fill('91330100704313080X')
    // Region 330402 (南湖区, as in the USCC): type into the filterable cascader, take the suggestion.
    const regionInput = dialog.locator('[data-test="org-field-region_code"] input')
    await regionInput.click()
    await regionInput.fill('南湖')
    await page.locator('.el-cascader__suggestion-item:visible', { hasText: '南湖区' }).first().click()

    await unresolved('org form')
    await sel('org-save').click()
    const usccError = sel('field-error-uscc')
    await usccError.waitFor({ state: 'visible' })
    const errText = (await usccError.textContent()).trim()
    assert.ok(errText.length > 0, 'the USCC field error is empty')
    // The error sits inside the USCC form item, not elsewhere.
    assert.equal(await sel('org-field-uscc').locator('[data-test="field-error-uscc"]').count(), 1)

    await sel('org-uscc').fill(goodUscc)
    await usccError.waitFor({ state: 'detached' })
    await sel('org-save').click()
    await dialog.waitFor({ state: 'hidden' })

    // Find it through the search box.
    await sel('org-search').fill(orgName)
    await sel('org-search').press('Enter')
    const row = sel('org-table').locator('.el-table__body tr', { hasText: orgName })
    await row.first().waitFor()
    assert.ok((await row.first().textContent()).includes(goodUscc), 'the row does not show the new USCC')
    await sel('org-search').fill('')
    await sel('org-search').press('Enter')
    await page.waitForTimeout(500)
    await page.screenshot({ path: path.join(OUT, 'orgs.png'), fullPage: true })
    await sel('org-search').fill(orgName)
    await sel('org-search').press('Enter')
    await row.first().waitFor()

    // Detail drawer shows the record.
    await unresolved('org list')
    await row.first().locator('[data-test="org-detail-btn"]').click()
    await sel('org-detail-fields').waitFor()
    await unresolved('org detail')
    assert.ok((await sel('org-detail-fields').textContent()).includes(goodUscc))
    await page.screenshot({ path: path.join(OUT, 'org-detail.png') })
    await page.keyboard.press('Escape')
    await sel('org-detail-fields').waitFor({ state: 'hidden' })

    // Audit log: the create entry for entity org carries the name in its diff.
    await sel('menu-audit').click()
    await sel('audit-table').waitFor()
    await sel('audit-filter-action').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '新增' }).click()
    const auditRow = sel('audit-table').locator('.el-table__body > tbody > tr.el-table__row', { hasText: orgName }).first()
    await auditRow.waitFor()
    const rowText = await auditRow.textContent()
    assert.ok(rowText.includes('组织机构'), `audit row is not for an organisation: ${rowText}`)
    assert.ok(rowText.includes('新增'), `audit row is not a create: ${rowText}`)
    await auditRow.locator('.el-table__expand-icon').click()
    const diff = sel('audit-diff').filter({ hasText: orgName }).first()
    await diff.waitFor()
    const diffText = await diff.textContent()
    assert.ok(diffText.includes(goodUscc), 'the audit diff does not carry the USCC')
    await unresolved('audit log')
    await sel('audit-verify').click()
    await sel('audit-verdict').waitFor()
    await page.screenshot({ path: path.join(OUT, 'audit.png'), fullPage: true })

    // Home page renders its cards and chart without errors.
    await sel('menu-home').click()
    await sel('count-orgs').waitFor()
    await page.locator('[data-test="home-chart"] canvas').waitFor()
    await page.waitForTimeout(800)
    await page.screenshot({ path: path.join(OUT, 'home.png'), fullPage: true })
    await unresolved('home')

    // Users and regions pages render (create/edit dialogs included).
    await sel('menu-users').click()
    await sel('user-table').locator('.el-table__body tr').first().waitFor()
    await sel('user-edit-btn').first().click()
    await sel('user-status').waitFor()
    await unresolved('user edit')
    await page.keyboard.press('Escape')
    await sel('user-status').waitFor({ state: 'hidden' })
    await sel('menu-regions').click()
    await sel('region-node-330400').click()
    await sel('region-detail').waitFor()
    assert.ok((await sel('region-detail').textContent()).includes('嘉兴市'))
    await unresolved('regions')

    assert.deepEqual(problems, [], 'browser errors')
  } catch (e) {
    await kc.failed(page, e, 'failure.png')
    throw e
  } finally {
    await context.close()
  }
})

// Runs body(ui) as account; screenshots failure-<name>.png and adds the server log on failure.
async function asUser(username, name, body) {
  assert.ok(kc.accounts[username], `no ${username} in demo-accounts.txt: ${JSON.stringify(Object.keys(kc.accounts))}`)
  const ui = await kc.open(username, { ready: 'menu-home' })
  try {
    await body(ui)
    assert.deepEqual(ui.problems, [], 'browser errors')
  } catch (e) {
    await kc.failed(ui.page, e, `failure-${name}.png`)
    throw e
  } finally {
    await ui.context.close()
  }
}

const LISHUI_COUNTIES = ['331102', '331121', '331122', '331123', '331124', '331125', '331126', '331127', '331181']
const RENAMED = '莲都区生态合成革产业链'

// Rows of the chains table (data rows only).
const chainRows = (sel) => sel('chain-table').locator('.el-table__body tr.el-table__row')
const chainRow = (sel, text) => chainRows(sel).filter({ hasText: text }).first()
async function waitChainCount(page, n) {
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test="chain-table"] .el-table__body tr.el-table__row').length === n,
    n,
  )
}

test('city officer: industry chains of 丽水, field errors, create/delete, refused delete, rename, export', async () => {
  await asUser('city_lishui', 'chains-city', async ({ page, sel, unresolved }) => {
    await sel('menu-chains').click()
    await sel('chain-table').waitFor()
    assert.equal((await sel('page-title').textContent()).trim(), '产业链')
    // Default region: the officer's own city, so the nine county chains of 一县一链.
    await chainRow(sel, 'LS-331102-1').waitFor()
    await waitChainCount(page, 9)
    for (const c of LISHUI_COUNTIES) assert.equal(await chainRow(sel, `LS-${c}-1`).count(), 1, `chain of ${c} missing`)
    const tags = (await sel('chain-group-tag').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim())
    assert.deepEqual(tags, ['一县一链 · 9'])
    assert.ok((await sel('chain-region').locator('input').inputValue()).includes('丽水'), 'region selector is not on 丽水市')
    assert.equal(await sel('chain-create').count(), 1)
    assert.equal(await sel('chain-edit-btn').count(), 9)
    await unresolved('chains list')

    // Language: the page follows the UI language (column header), then back to Chinese.
    await sel('lang-switch').click()
    await sel('chain-table').locator('th', { hasText: 'Chain name' }).waitFor()
    assert.equal((await sel('page-title').textContent()).trim(), 'Industry chains')
    await sel('lang-switch').click()
    await sel('chain-table').locator('th', { hasText: '产业链名称' }).waitFor()

    // New chain: a region outside the officer's city → 422 under the region field.
    const dialog = page.locator('.el-dialog').filter({ has: sel('chain-form') })
    await sel('chain-create').click()
    await dialog.waitFor()
    const regionInput = dialog.locator('[data-test="chain-field-region_code"] input')
    await regionInput.click()
    await regionInput.fill('台州')
    await page.locator('.el-cascader__suggestion-item:visible').filter({ hasText: /台州市\s*$/ }).first().click()
    const code = `LS-E2E-${Date.now().toString(36)}`.toUpperCase()
    await sel('chain-code').fill('LS-331102-1')
    await sel('chain-name').fill('浏览器测试产业链')
    await unresolved('chain form')
    await sel('chain-save').click()
    await sel('field-error-region_code').waitFor({ state: 'visible' })
    assert.equal(await sel('chain-field-region_code').locator('[data-test="field-error-region_code"]').count(), 1)
    assert.ok((await sel('field-error-region_code').textContent()).trim().length > 0)
    // Back to 莲都区: now the code is the duplicate → 409 conflict under the code field.
    await regionInput.click()
    await regionInput.fill('莲都')
    await page.locator('.el-cascader__suggestion-item:visible', { hasText: '莲都区' }).first().click()
    await sel('field-error-region_code').waitFor({ state: 'detached' })
    await sel('chain-save').click()
    await sel('field-error-code').waitFor({ state: 'visible' })
    assert.equal(await sel('chain-field-code').locator('[data-test="field-error-code"]').count(), 1)
    await sel('chain-code').fill(code)
    await sel('field-error-code').waitFor({ state: 'detached' })
    await sel('chain-save').click()
    await dialog.waitFor({ state: 'hidden' })
    await chainRow(sel, code).waitFor()
    await waitChainCount(page, 10)

    // Delete the new (unused) chain through the confirm dialog.
    const delDialog = page.locator('.el-dialog').filter({ has: sel('chain-delete-text') })
    await chainRow(sel, code).locator('[data-test="chain-delete-btn"]').click()
    await delDialog.waitFor()
    assert.ok((await sel('chain-delete-text').textContent()).includes(code))
    await sel('chain-delete-confirm').click()
    await delDialog.waitFor({ state: 'hidden' })
    await waitChainCount(page, 9)
    assert.equal(await chainRow(sel, code).count(), 0)

    // A chain organisations still use: the server refuses (409) and its message shows.
    let used = null
    for (const c of LISHUI_COUNTIES) {
      const n = await page.evaluate(async (chain) => {
        const r = await fetch(`/api/v1/orgs?chain=${encodeURIComponent(chain)}&page_size=1`, { credentials: 'same-origin' })
        return (await r.json()).total
      }, `LS-${c}-1`)
      if (n > 0) {
        used = `LS-${c}-1`
        break
      }
    }
    assert.ok(used, 'no 丽水 chain is used by a demo organisation')
    await chainRow(sel, used).locator('[data-test="chain-delete-btn"]').click()
    await delDialog.waitFor()
    await sel('chain-delete-confirm').click()
    await sel('chain-delete-error').waitFor()
    assert.ok((await sel('chain-delete-error').textContent()).trim().length > '无法删除'.length, 'no server message in the refusal')
    await page.screenshot({ path: path.join(OUT, 'chain-delete-refused.png') })
    await unresolved('chain delete dialog')
    await page.keyboard.press('Escape')
    await delDialog.waitFor({ state: 'hidden' })
    await waitChainCount(page, 9)

    // Rename the 莲都区 chain; the list shows the new name.
    await chainRow(sel, 'LS-331102-1').locator('[data-test="chain-edit-btn"]').click()
    await dialog.waitFor()
    assert.equal((await sel('chain-fixed-code').textContent()).trim(), 'LS-331102-1')
    assert.equal(await sel('chain-code').count(), 0, 'the code is editable after creation')
    await sel('chain-name').fill('')
    await sel('chain-save').click()
    await sel('field-error-name').waitFor({ state: 'visible' })
    await sel('chain-name').fill(RENAMED)
    await page.screenshot({ path: path.join(OUT, 'chain-edit.png') })
    await sel('chain-save').click()
    await dialog.waitFor({ state: 'hidden' })
    await chainRow(sel, RENAMED).waitFor()
    assert.ok((await chainRow(sel, RENAMED).textContent()).includes('LS-331102-1'))
    await waitChainCount(page, 9)

    // Export downloads the XLSX of the same region.
    const [dl] = await Promise.all([page.waitForEvent('download'), sel('chain-export').click()])
    assert.equal(dl.suggestedFilename(), 'chains.xlsx')
    const file = await dl.path()
    assert.equal(fs.readFileSync(file).subarray(0, 2).toString(), 'PK', 'export is not an XLSX (zip) file')
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(OUT, 'chains.png'), fullPage: true })
  })
})

test('county officer and enterprise user: industry chains read-only', async () => {
  await asUser('county_liandu', 'chains-county', async ({ page, sel, unresolved }) => {
    await sel('menu-chains').click()
    await sel('chain-table').waitFor()
    // The renamed chain of the officer's own county is listed; nothing is editable.
    await chainRow(sel, RENAMED).waitFor()
    assert.ok((await chainRow(sel, RENAMED).textContent()).includes('一县一链'), 'the rename lost the group')
    assert.equal(await sel('chain-create').count(), 0, 'county officer sees 新增')
    assert.equal(await sel('chain-edit-btn').count(), 0)
    assert.equal(await sel('chain-delete-btn').count(), 0)
    assert.equal(await sel('chain-table').locator('th', { hasText: '操作' }).count(), 0)
    await sel('chain-readonly').waitFor()
    await sel('chain-export').waitFor()
    await unresolved('chains read-only')
    await page.screenshot({ path: path.join(OUT, 'chains-county.png'), fullPage: true })
  })
  await asUser('ent_nanhu', 'chains-enterprise', async ({ sel, unresolved }) => {
    await sel('menu-chains').click()
    await sel('chain-table').waitFor()
    await chainRow(sel, 'JX-135N').waitFor()
    assert.equal(await sel('chain-create').count(), 0, 'enterprise user sees 新增')
    assert.equal(await sel('chain-edit-btn').count(), 0)
    assert.equal(await sel('chain-delete-btn').count(), 0)
    await sel('chain-readonly').waitFor()
    await unresolved('chains enterprise')
  })
})

// Calls GET /api/v1/orgs from the test itself (no browser, no cookie) with an API token.
async function orgsWithToken(token) {
  const res = await fetch(kc.baseUrl + '/api/v1/orgs', { headers: { Authorization: 'Bearer ' + token } })
  let body = null
  try {
    body = await res.json()
  } catch {
    // not JSON
  }
  return { status: res.status, body }
}

// Logs in on the API with a password; returns the HTTP status.
async function apiLoginStatus(username, password) {
  const res = await fetch(kc.baseUrl + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  await res.arrayBuffer()
  return res.status
}

// Last: the password of county_nanhu changes here (the in-memory account follows, so a
// test added after this one still logs in).
test('county officer: my account — display name, password errors, API token create/use/revoke, password change', async () => {
  const account = kc.accounts.county_nanhu
  const newPassword = `Nh-${Date.now().toString(36)}-e2e9`
  const newName = `南湖区科技局·测试${Date.now().toString(36).slice(-4)}`
  await asUser('county_nanhu', 'account', async ({ page, context, sel, unresolved }) => {
    // Top bar: user menu → 个人中心.
    await sel('current-user').click()
    await sel('user-menu-account').waitFor({ state: 'visible' })
    await unresolved('user menu')
    await sel('user-menu-account').click()
    await sel('account-profile').waitFor()
    assert.equal((await sel('page-title').textContent()).trim(), '个人中心')
    assert.equal((await sel('account-username').textContent()).trim(), 'county_nanhu')
    assert.ok((await sel('account-region').textContent()).includes('330402'), 'profile region is not 330402')
    assert.ok((await sel('account-role').textContent()).trim().length > 0, 'profile role is empty')
    await sel('account-password-policy').waitFor()
    assert.ok((await sel('token-help').textContent()).includes('Authorization: Bearer'), 'no Bearer help text')
    await sel('token-table').waitFor()
    await unresolved('account page')

    // Language preference on the page = the top-bar switch; then back to Chinese.
    await sel('account-lang-en').click()
    await page.waitForFunction(() => document.querySelector('[data-test="page-title"]')?.textContent.trim() === 'My account')
    assert.equal((await sel('lang-switch').textContent()).trim(), '中文')
    await sel('account-lang').locator('.el-radio-button.is-active', { hasText: 'English' }).waitFor()
    await sel('token-help').filter({ hasText: 'acts with your identity' }).waitFor()
    await page.screenshot({ path: path.join(OUT, 'account-en.png'), fullPage: true, animations: 'disabled' })
    await sel('account-lang-zh').click()
    await page.waitForFunction(() => document.querySelector('[data-test="page-title"]')?.textContent.trim() === '个人中心')
    // Switching the language re-translates the rules without validating the empty forms.
    await page.waitForTimeout(300)
    assert.equal(await sel('account-password-form').locator('.kc-field-error').count(), 0, 'errors under empty fields after a language switch')

    // Display name: saved, and the top bar follows.
    await sel('account-display-name').fill('   ')
    await sel('account-display-name-save').click()
    await sel('field-error-display_name').waitFor({ state: 'visible' })
    await sel('account-display-name').fill(newName)
    await sel('field-error-display_name').waitFor({ state: 'detached' })
    await sel('account-display-name-save').click()
    await page.waitForFunction((n) => document.querySelector('[data-test="current-user-name"]')?.textContent.trim() === n, newName)
    assert.equal((await sel('account-head-name').textContent()).trim(), newName)

    // Password: mismatch (client), wrong current password, weak new password (server).
    await sel('account-old-password').fill(account.password)
    await sel('account-new-password').fill(newPassword)
    await sel('account-confirm-password').fill(newPassword + 'x')
    await sel('account-password-submit').click()
    await sel('account-field-confirm').locator('[data-test="field-error-confirm"]').waitFor({ state: 'visible' })
    await sel('account-confirm-password').fill(newPassword)
    await sel('account-old-password').fill(account.password + 'x')
    await sel('account-password-submit').click()
    await sel('account-field-old_password').locator('[data-test="field-error-old_password"]').waitFor({ state: 'visible' })
    await sel('account-old-password').fill(account.password)
    await sel('account-new-password').fill('abcdefghijkl')
    await sel('account-confirm-password').fill('abcdefghijkl')
    await sel('account-password-submit').click()
    const weak = sel('account-field-new_password').locator('[data-test="field-error-new_password"]')
    await weak.waitFor({ state: 'visible' })
    await page.waitForFunction(() => document.querySelector('[data-test="field-error-new_password"]')?.textContent.includes('10–128'))
    await sel('field-error-old_password').waitFor({ state: 'detached' })
    assert.equal(await apiLoginStatus('county_nanhu', account.password), 200, 'the old password stopped working after refused changes')

    // New API token: shown once, copied, usable from outside the browser.
    const tokenName = `e2e-sync-${Date.now().toString(36)}`
    await sel('token-create').click()
    await sel('token-form').waitFor()
    assert.equal(await sel('token-days').locator('input').inputValue(), '90')
    await sel('token-create-save').click()
    await sel('token-field-name').locator('[data-test="field-error-name"]').waitFor({ state: 'visible' })
    await sel('token-name').fill(tokenName)
    await unresolved('token create dialog')
    await sel('token-create-save').click()
    await sel('token-value').waitFor({ state: 'visible' })
    const token = (await sel('token-value').inputValue()).trim()
    assert.match(token, /^kct_[0-9a-f]{16,}$/, `unexpected token ${token}`)
    assert.ok((await sel('token-once-warning').textContent()).includes('只显示这一次'), 'no show-once warning')
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: kc.baseUrl })
    await sel('token-copy').click()
    await page.waitForFunction(() => document.querySelector('[data-test="token-copy"]')?.textContent.includes('已复制'))
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token, 'clipboard does not hold the token')
    await unresolved('token once dialog')
    await page.screenshot({ path: path.join(OUT, 'account-token-once.png'), animations: 'disabled' })
    await sel('token-once-close').click()
    await sel('token-value').waitFor({ state: 'hidden' })
    const tokenRow = sel('token-table').locator('.el-table__body tr.el-table__row', { hasText: tokenName }).first()
    await tokenRow.waitFor()
    assert.equal((await tokenRow.locator('[data-test="token-status"]').textContent()).trim(), '有效')
    // Closing the dialog drops the secret: it is nowhere in the page any more.
    assert.ok(
      await page.evaluate((tk) => !document.body.innerHTML.includes(tk) && ![...document.querySelectorAll('input')].some((i) => i.value.includes(tk)), token),
      'the token secret is still on the page',
    )

    const ok = await orgsWithToken(token)
    assert.equal(ok.status, 200, `GET /api/v1/orgs with the token: ${ok.status} ${JSON.stringify(ok.body)}`)
    assert.ok(Array.isArray(ok.body.items) && ok.body.items.length > 0, 'no organisations through the token')
    for (const o of ok.body.items) assert.ok(String(o.region_code).startsWith('330402'), `out-of-scope org through the token: ${o.region_code}`)

    // The table shows the use after a refresh.
    await sel('token-refresh').click()
    await tokenRow.locator('[data-test="token-last-used"]').waitFor()
    await page.screenshot({ path: path.join(OUT, 'account.png'), fullPage: true, animations: 'disabled' })

    // Revoke with confirmation; the token stops working at once.
    await tokenRow.locator('[data-test="token-revoke-btn"]').click()
    await sel('token-revoke-text').waitFor({ state: 'visible' })
    assert.ok((await sel('token-revoke-text').textContent()).includes(tokenName))
    await sel('token-revoke-confirm').click()
    await sel('token-revoke-text').waitFor({ state: 'hidden' })
    await page.waitForFunction(
      (name) =>
        [...document.querySelectorAll('[data-test="token-table"] .el-table__body tr.el-table__row')].some(
          (tr) => tr.textContent.includes(name) && tr.querySelector('[data-test="token-status"]')?.textContent.trim() === '已撤销',
        ),
      tokenName,
    )
    assert.equal(await tokenRow.locator('[data-test="token-revoke-btn"]').count(), 0, 'a revoked token can still be revoked')
    const gone = await orgsWithToken(token)
    assert.equal(gone.status, 401, `revoked token still answers ${gone.status}`)

    // Password change succeeds; sign out and back in with the new password.
    await sel('account-old-password').fill(account.password)
    await sel('account-new-password').fill(newPassword)
    await sel('account-confirm-password').fill(newPassword)
    await sel('account-password-submit').click()
    await sel('account-password-ok').waitFor({ state: 'visible' })
    assert.equal(await sel('account-new-password').inputValue(), '', 'the password form was not cleared')
    const oldPassword = account.password
    account.password = newPassword
    assert.equal(await apiLoginStatus('county_nanhu', oldPassword), 401, 'the old password still works')

    await sel('logout').click()
    await sel('login-username').waitFor()
    await sel('login-username').fill('county_nanhu')
    await sel('login-password').fill(newPassword)
    await sel('login-submit').click()
    await sel('menu-home').waitFor()
    await page.waitForFunction((n) => document.querySelector('[data-test="current-user-name"]')?.textContent.trim() === n, newName)
    await unresolved('after re-login')
  })
})
