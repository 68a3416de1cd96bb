// Browser test of the ladder module (enterprises, yearly data, self-assessment) against
// the real binary: an enterprise user edits a draft year (a field error first), submits
// it; a county officer verifies it and sees the edit button locked; the self-assessment
// tab shows the conditions and a gap. Set-up in harness.mjs (KC_BIN, KC_CHROMIUM);
// screenshots go to web/tests/e2e/out/.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { OUT, e2e } from './harness.mjs'

const kc = e2e({ prefix: 'kc-e2e-ladder-' })

test('enterprise edits and submits a draft year; the county officer verifies it; self-assessment shows conditions and a gap', async () => {
  // The enterprise's own record and a draft year to work on (the demo gives ent_nanhu one).
  const ent = await kc.api('ent_nanhu')
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
  const e = await kc.open('ent_nanhu')
  try {
    await e.menu('ladder', 'my_enterprise')
    await e.sel('year-table').waitFor()
    await e.page.waitForTimeout(300)
    await e.sel(`year-edit-${year}`).click()
    const dialog = e.page.locator('.el-dialog').filter({ has: e.sel('year-save') })
    await dialog.waitFor()
    await e.unresolved('year form')
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
  const o = await kc.open('county_nanhu')
  try {
    await o.page.goto(`${kc.baseUrl}/#/ladder/enterprises/${own.uscc}`)
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
    await o.unresolved('assessment')
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
    await o.menu('ladder', 'enterprises')
    await o.sel('ent-table').locator('.el-table__body tr').first().waitFor()
    await o.unresolved('enterprise list')
    await o.page.waitForTimeout(500)
    await o.page.screenshot({ path: path.join(OUT, 'ladder-enterprises.png'), fullPage: true })
    await o.menu('ladder', 'certifications')
    await o.sel('cert-table').waitFor()
    await o.page.waitForTimeout(300)
    await o.unresolved('certificate list')
    await o.page.screenshot({ path: path.join(OUT, 'ladder-certifications.png'), fullPage: true })

    // The home page's verification queue: pending self-reported certificates, one verified.
    await o.page.goto(`${kc.baseUrl}/#/`)
    const queue = o.sel('verify-queue-certs')
    await queue.waitFor({ timeout: kc.stepMs })
    await o.page.waitForFunction(() => /\d/.test(document.querySelector('[data-test="verify-queue-certs"] .n')?.textContent || ''), null, { timeout: kc.stepMs })
    const pendingBefore = Number((await queue.locator('.n').textContent()).trim())
    assert.ok(pendingBefore > 0, `the demo has pending certificates (${pendingBefore})`)
    await queue.click()
    await o.page.waitForURL(/certifications\?status=pending/, { timeout: kc.stepMs })
    const firstRow = o.sel('cert-table').locator('.el-table__body tr').first()
    await firstRow.waitFor({ timeout: kc.stepMs })
    assert.equal((await firstRow.locator('[data-test="cert-status"]').first().textContent()).trim(), '待核验')
    await o.sel('cert-verify').first().click()
    await o.page.locator('.el-message--success').first().waitFor({ timeout: kc.stepMs })
    await o.page.waitForFunction((n) => {
      const b = document.querySelector('[data-test="cert-pending"]')
      return b ? !b.textContent.includes(String(n)) : n === 1
    }, pendingBefore, { timeout: kc.stepMs })
    await o.page.screenshot({ path: path.join(OUT, 'ladder-cert-queue.png'), fullPage: true })
    assert.deepEqual(o.problems, [])
  } finally {
    await o.context.close()
  }
})
