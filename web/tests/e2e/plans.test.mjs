// Browser test of the plans module (web/src/modules/plans) against the real binary:
//   node --test web/tests/e2e/plans.test.mjs
// A county officer of 莲都 reports a value with evidence for its chain; the 丽水 city
// officer sees the cockpit matrix on the home page, opens a target from it, drills into the
// records behind a computed value, verifies the county's value in the queue (it locks), and
// the public progress page of the 丽水 plan opens without logging in.
// Set-up in harness.mjs (KC_BIN, KC_CHROMIUM); screenshots in web/tests/e2e/out/.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { OUT, e2e, unregisteredTags } from './harness.mjs'

const kc = e2e({ prefix: 'kc-e2e-plans-', stepMs: 20000, viewport: { width: 1440, height: 1000 }, ready: 'home' })

test('a county reports a value with evidence; the city sees the cockpit, drills down and verifies', async () => {
  // --- county_liandu reports the chain output of last year's chain value for this year.
  const county = await kc.open('county_liandu')
  try {
    const { page, sel } = county
    await page.goto(kc.baseUrl + '/#/plans')
    await sel('plans-table').waitFor()
    await page.locator('[data-test="plans-table"] .el-table__body tr', { hasText: 'LS-2024-KJFN' }).locator('[data-test="plan-link"]').click()
    await page.locator('[data-test="targets-table"] .el-table__body tr').first().waitFor()
    const rows = await page.locator('[data-test="targets-table"] .el-table__body tr').count()
    assert.ok(rows > 0, 'the county sees its targets')
    await page.locator('[data-test="targets-table"] .el-table__body tr', { hasText: '特色产业链产值' }).first().click()
    await sel('target-page').waitFor()
    await sel('trend-chart').waitFor()
    await sel('report-value').click()
    await sel('obs-dialog').waitFor()
    const year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear()
    await sel('obs-year').locator('input').fill(String(year))
    await sel('obs-value').locator('input').fill('321.5')
    await sel('obs-source').fill('莲都区统计局')
    const pdf = path.join(kc.dataDir, 'evidence.pdf')
    fs.writeFileSync(pdf, '%PDF-1.4\n% e2e\n%%EOF\n')
    await sel('obs-file').setInputFiles(pdf)
    await sel('obs-save').click()
    await page.locator('[data-test="obs-table"] .el-table__body tr', { hasText: '321.5' }).waitFor()
    await page.screenshot({ path: path.join(OUT, 'plans-county-target.png'), fullPage: true })
    assert.deepEqual(await unregisteredTags(page), [])
    assert.deepEqual(county.problems, [])
  } finally {
    await county.context.close()
  }

  // --- city_lishui: cockpit, target, drill-down, verification.
  const city = await kc.open('city_lishui')
  try {
    const { page, sel } = city
    await sel('cockpit-matrix').waitFor()
    const cells = page.locator('[data-test="cockpit-matrix"] .cell')
    assert.ok((await cells.count()) >= 150, 'the matrix shows the 丽水 targets of the nine counties')
    const atRisk = page.locator('[data-test="cockpit-matrix"] .cell[data-status="at_risk"], [data-test="cockpit-matrix"] .cell[data-status="off_track"]')
    assert.ok((await atRisk.count()) > 0, 'some targets are at risk or off track')
    await atRisk.first().click()
    await sel('cockpit-open-target').waitFor()
    await page.screenshot({ path: path.join(OUT, 'plans-cockpit.png'), fullPage: true })
    await sel('cockpit-open-target').click()
    await sel('target-page').waitFor()
    const status = (await sel('target-status').textContent()).trim()
    assert.ok(['有风险', '滞后'].includes(status), status)

    // A computed indicator (the chain's technology-contract turnover): the records behind a value.
    await page.goto(kc.baseUrl + '/#/plans')
    await page.locator('[data-test="plans-table"] .el-table__body tr', { hasText: 'LS-2024-KJFN' }).locator('[data-test="plan-link"]').click()
    await page.locator('[data-test="targets-table"] .el-table__body tr').first().waitFor()
    await page.locator('[data-test="targets-table"] .el-table__body tr', { hasText: '特色产业链技术交易额' }).first().click()
    await sel('computed-values').waitFor()
    await page.locator('[data-test="computed-values"] button').first().click()
    await sel('records-table').waitFor()
    await sel('records-summary').waitFor()
    const summary = await sel('records-summary').textContent()
    const n = Number(/共 (\d+) 条/.exec(summary)[1])
    const listed = await page.locator('[data-test="records-table"] .el-table__body tr').count()
    assert.equal(listed, Math.min(n, 20), 'the records listed are the ones counted')
    await page.screenshot({ path: path.join(OUT, 'plans-drilldown.png'), fullPage: true })
    await page.keyboard.press('Escape')

    // The verification queue: the county's value, verified and locked.
    await page.goto(kc.baseUrl + '/#/observations')
    await sel('obs-list').waitFor()
    await page.locator('[data-test="obs-list"] .el-table__body tr', { hasText: '321.5' }).first().click()
    await sel('obs-detail').waitFor()
    await sel('obs-verify').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.waitForFunction(() => document.querySelector('[data-test="obs-detail-status"]')?.textContent.includes('锁定'))
    await page.screenshot({ path: path.join(OUT, 'plans-verified.png'), fullPage: true })
    assert.deepEqual(await unregisteredTags(page), [])
    assert.deepEqual(city.problems, [])
  } finally {
    await city.context.close()
  }
})

test('the city and county home pages show the five cockpit parts, and their numbers open the records', async () => {
  const city = await kc.open('city_lishui')
  try {
    const { page, sel } = city
    // The five parts: status matrix, trend, ladder funnel, transactions by month, open tickets.
    for (const part of ['cockpit-matrix', 'home-widget-ladder-funnel', 'widget-cert-1', 'cockpit-transactions', 'home-widget-open-tickets', 'open-tickets-open']) await sel(part).waitFor()
    await sel('cockpit-open-target').waitFor()
    await sel('trend-chart').first().waitFor()
    // A computed cell: its current value opens the records behind it.
    await page.locator('[data-test="cockpit-matrix"] .cell[data-indicator="chain_tech_ent_count"]').first().click()
    await page.waitForFunction(() => /科技企业数/.test(document.querySelector('[data-test="cockpit-open-target"]')?.textContent || ''))
    await sel('cockpit-current').click()
    await sel('records-table').waitFor()
    const summary = await sel('records-summary').textContent()
    const n = Number(/共 (\d+) 条/.exec(summary)[1])
    const shown = Number((await sel('cockpit-current').textContent()).replace(/[^0-9.]/g, ''))
    assert.equal(n, shown, 'the records counted are the value shown')
    await page.keyboard.press('Escape')
    // A status count opens the plan's targets of that status.
    const count = Number((await sel('cockpit-count-off_track').textContent()).replace(/[^0-9]/g, ''))
    await sel('cockpit-count-off_track').click()
    await sel('plan-page').waitFor()
    await page.locator('[data-test="targets-table"] .el-table__body tr').first().waitFor()
    const tags = await page.locator('[data-test="targets-table"] .el-table__body tr [data-test^="status-"]').evaluateAll((els) => els.map((e) => e.dataset.test))
    assert.ok(tags.length > 0 && tags.length <= count)
    assert.ok(tags.every((x) => x === 'status-off_track'), tags.join())
    assert.deepEqual(city.problems, [])
  } finally {
    await city.context.close()
  }
  // The county's home page: the same parts, its own row only.
  const county = await kc.open('county_liandu')
  try {
    const { page, sel } = county
    for (const part of ['cockpit-matrix', 'home-widget-ladder-funnel', 'home-widget-open-tickets']) await sel(part).waitFor()
    const rows = await page.locator('[data-test="cockpit-matrix"] tbody tr th').allTextContents()
    assert.deepEqual(rows.map((x) => x.trim()), ['莲都区'])
    await page.screenshot({ path: path.join(OUT, 'plans-county-cockpit.png'), fullPage: true })
    assert.deepEqual(county.problems, [])
  } finally {
    await county.context.close()
  }
})

test('the public progress page of a public plan needs no login', async () => {
  const { context, page } = await kc.open(null, { viewport: { width: 1280, height: 900 } })
  try {
    const r = await page.request.get(kc.baseUrl + '/api/v1/public/plans')
    const plan = (await r.json()).items.find((p) => p.code === 'LS-2024-KJFN')
    assert.ok(plan)
    await page.goto(`${kc.baseUrl}/#/p/plans/${plan.id}`)
    await page.locator('[data-test="public-targets"] .el-table__body tr').first().waitFor()
    assert.match(await page.locator('[data-test="public-title"]').textContent(), /丽水|科技创新/)
    await page.screenshot({ path: path.join(OUT, 'plans-public.png'), fullPage: true })
  } finally {
    await context.close()
  }
})

test('the city officer marks a plan public from its page; visitors then see its progress and rules', async () => {
  const city = await kc.open('city_jiaxing')
  let planId = null
  try {
    const { page, sel } = city
    await page.goto(kc.baseUrl + '/#/plans')
    await sel('plans-table').waitFor()
    await page.locator('[data-test="plans-table"] .el-table__body tr', { hasText: 'JX-2023-315' }).locator('[data-test="plan-link"]').click()
    await sel('plan-page').waitFor()
    planId = Number(/plans\/(\d+)/.exec(page.url())[1])
    const before = await page.request.get(`${kc.baseUrl}/api/v1/public/plans/${planId}`)
    assert.equal(before.status(), 404, 'not public yet')
    // The rule the plan sets for single enterprises is listed on the plan page.
    await sel('plan-requirements').waitFor()
    assert.match(await sel('requirement-rule').first().textContent(), /研发费用占营业收入比重 > 5 %/)
    await sel('plan-public').click()
    await page.waitForFunction(() => document.querySelector('[data-test="plan-public"]')?.classList.contains('is-checked'))
    assert.deepEqual(city.problems, [])
  } finally {
    await city.context.close()
  }
  const { context, page } = await kc.open(null, { viewport: { width: 1280, height: 900 } })
  try {
    await page.goto(`${kc.baseUrl}/#/p/plans/${planId}`)
    await page.locator('[data-test="public-targets"] .el-table__body tr').first().waitFor()
    assert.match(await page.locator('[data-test="public-title"]').textContent(), /315/)
    assert.match(await page.locator('[data-test="plan-requirements"]').textContent(), /优先安排用电/)
  } finally {
    await context.close()
  }
})

// Picks the option of an el-select (data-test name) whose text contains text.
async function choose(page, name, text) {
  await page.locator(`[data-test="${name}"]`).click()
  const opt = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await opt.waitFor()
  await opt.click()
}

// Fills an el-input-number (data-test name).
async function fillNumber(page, name, value) {
  const input = page.locator(`[data-test="${name}"] input`)
  await input.fill(String(value))
  await input.press('Tab')
}

test('the city officer edits the plan, adds a city target, splits it to counties and sees the split check', async () => {
  const city = await kc.open('city_lishui')
  try {
    const { page, sel } = city
    await page.goto(kc.baseUrl + '/#/plans')
    await sel('plans-table').waitFor()
    await page.locator('[data-test="plans-table"] .el-table__body tr', { hasText: 'LS-2024-KJFN' }).locator('[data-test="plan-link"]').click()
    await sel('plan-page').waitFor()
    // The plan's facts: a document number, and the draft becomes active.
    await sel('plan-edit').click()
    await sel('pform-docno').fill('丽科发〔2024〕12号')
    await page.locator('[data-test="pform-status"] .el-radio', { hasText: '实施中' }).click()
    await sel('pform-save').click()
    await page.waitForFunction(() => /丽科发〔2024〕12号/.test(document.querySelector('[data-test="plan-page"]')?.textContent || ''))
    assert.match(await sel('plan-page').textContent(), /实施中/)

    // A new city target on a computed indicator; a bad value is refused under its field.
    await sel('target-add').click()
    await sel('target-form').waitFor()
    await choose(page, 'tform-task', 'T7')
    await choose(page, 'tform-indicator', '国家高新技术企业数')
    await sel('tform-code').fill('T7.1')
    await fillNumber(page, 'tform-value', 1000)
    await fillNumber(page, 'tform-year', 2026)
    await sel('tform-save').click()
    // The code is taken in this plan: the server's 409 shows under the code.
    await page.locator('[data-test="target-form"] .el-form-item__error').first().waitFor()
    await sel('tform-code').fill('E2E.HNTE')
    await sel('tform-save').click()
    await sel('target-page').waitFor()
    await page.waitForFunction(() => /1,?000/.test(document.querySelector('[data-test="target-value"]')?.textContent || ''))

    // Split to two counties: short of the city target, then adding up to it.
    await sel('split-add').click()
    await choose(page, 'tform-region', '莲都区')
    await fillNumber(page, 'tform-value', 600)
    await sel('tform-save').click()
    await sel('split-check').waitFor()
    assert.match(await sel('split-check').textContent(), /不足.*600 \/ 1,?000/)
    await sel('split-add').click()
    await choose(page, 'tform-region', '青田县')
    await fillNumber(page, 'tform-value', 400)
    await sel('tform-save').click()
    await page.waitForFunction(() => /满足/.test(document.querySelector('[data-test="split-check"]')?.textContent || ''))
    assert.match(await sel('split-check').textContent(), /1,?000 \/ 1,?000/)

    // Raising the city target makes the split fall short again.
    await sel('target-edit').click()
    await fillNumber(page, 'tform-value', 1200)
    await sel('tform-save').click()
    await page.waitForFunction(() => /不足/.test(document.querySelector('[data-test="split-check"]')?.textContent || ''))
    assert.match(await sel('target-value').textContent(), /1,?200/)
    // A yearly milestone on the way.
    await sel('target-edit').click()
    await sel('tform-ms-add').click()
    await fillNumber(page, 'tform-ms-year-0', 2025)
    await fillNumber(page, 'tform-ms-value-0', 900)
    await sel('tform-save').click()
    await page.waitForFunction(() => /2025: >= 900/.test(document.querySelector('[data-test="target-page"]')?.textContent || ''))
    await page.screenshot({ path: path.join(OUT, 'plans-split.png'), fullPage: true })

    // A target with splits cannot be deleted; a county share added by mistake can.
    await sel('target-delete').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator('.el-message--error', { hasText: '已分解' }).waitFor()
    await page.locator('.el-message-box').waitFor({ state: 'hidden' })
    const childHref = await page.locator('.page-card a[href*="/targets/"]').first().getAttribute('href')
    await page.goto(kc.baseUrl + '/' + childHref.replace(/^\/+/, ''))
    await page.reload()
    await sel('target-page').waitFor()
    await sel('target-delete').click()
    await page.locator('.el-message-box__btns .el-button--primary').last().click()
    await sel('plan-page').waitFor()
    await page.locator('.el-message--success', { hasText: '目标已删除' }).waitFor()
    assert.deepEqual(await unregisteredTags(page), [])
    assert.deepEqual(city.problems, [])
  } finally {
    await city.context.close()
  }
})

test('the city recomputes every computed indicator from the indicator library; a county cannot', async () => {
  const city = await kc.open('city_lishui')
  try {
    const { page, sel } = city
    await page.goto(kc.baseUrl + '/#/indicators')
    await page.locator('[data-test="indicators-table"] .el-table__body tr').first().waitFor()
    await sel('indicators-recompute').click()
    const msg = page.locator('.el-message--success', { hasText: '已重算' })
    await msg.waitFor()
    assert.match(await msg.textContent(), /已重算 [1-9]\d* 个数值/)
    assert.deepEqual(city.problems, [])
  } finally {
    await city.context.close()
  }
  const county = await kc.open('county_liandu')
  try {
    const { page, sel } = county
    await page.goto(kc.baseUrl + '/#/indicators')
    await page.locator('[data-test="indicators-table"] .el-table__body tr').first().waitFor()
    assert.equal(await sel('indicators-recompute').count(), 0)
  } finally {
    await county.context.close()
  }
})
