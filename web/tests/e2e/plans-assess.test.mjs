// Browser test of issue 5's story across modules/plans and modules/assess, against the
// real binary:   node --test web/tests/e2e/plans-assess.test.mjs
// The 丽水 city officer sees an at-risk target in the cockpit, opens it and drills into
// the records behind its value, opens a supervision ticket for it, runs the annual county
// assessment and downloads the PDF report, whose text (pdftotext) holds the Chinese county
// names and their scores. The county officer of 莲都 then answers a ticket of its own.
// Set-up in harness.mjs (KC_BIN, KC_CHROMIUM); screenshots in web/tests/e2e/out/.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { OUT, e2e, unregisteredTags } from './harness.mjs'

const kc = e2e({ prefix: 'kc-e2e-assess-', stepMs: 20000, viewport: { width: 1440, height: 1000 }, ready: 'home' })

let ticketId = null

test('the city sees an at-risk target, drills into its records, opens a ticket, runs the assessment and downloads the PDF', async () => {
  const city = await kc.open('city_lishui')
  try {
    const { page, sel, menu } = city
    // The home page: the open-tickets widget and the cockpit's status matrix.
    await sel('home-widget-open-tickets').waitFor()
    assert.ok(Number(await sel('open-tickets-open').locator('.n').textContent()) > 0, 'the demo sweep opened tickets')
    await sel('cockpit-matrix').waitFor()
    const atRisk = page.locator('[data-test="cockpit-matrix"] .cell[data-status="at_risk"]')
    assert.ok((await atRisk.count()) > 0, 'some 丽水 targets are at risk')
    await atRisk.first().click()
    await sel('cockpit-open-target').click()
    await sel('target-page').waitFor()
    assert.equal((await sel('target-status').textContent()).trim(), '有风险')

    // The records behind its value: the records counted (computed) or the reported values.
    if (await sel('current-drill').count()) {
      await sel('current-drill').click()
      await sel('records-table').waitFor()
      await page.keyboard.press('Escape')
    } else {
      await page.locator('[data-test="obs-table"] .el-table__body tr').first().waitFor()
      assert.ok((await page.locator('[data-test="obs-table"] .el-table__body tr').count()) > 0, 'the values behind the status')
    }

    // Supervision: an at-risk target opens no ticket by itself; the city opens one.
    await sel('target-tickets').waitFor()
    await sel('target-open-ticket').click()
    await sel('open-ticket-note').fill('目标存在风险，请说明原因并提出整改措施')
    await sel('open-ticket-submit').click()
    await sel('ticket-detail').waitFor()
    await page.locator('[data-test="ticket-title"]').waitFor()
    assert.equal((await sel('ticket-detail-status').textContent()).trim(), '待答复')
    assert.match(await sel('ticket-detail-text').textContent(), /整改措施/)
    assert.equal(await page.locator('[data-test="ticket-event"]').count(), 1)
    ticketId = Number(/#(\d+)/.exec(await sel('ticket-title').textContent())[1])
    await page.screenshot({ path: path.join(OUT, 'assess-ticket.png'), fullPage: true })

    // The tickets list from the menu.
    await menu('plans', 'tickets')
    await page.locator('[data-test="ticket-table"] .el-table__body tr').first().waitFor()
    assert.ok((await page.locator('[data-test="ticket-link"]').count()) > 0)

    // The annual assessment: run dialog with year and cut-off, ranking, breakdown.
    await menu('plans', 'assess-runs')
    await sel('run-table').waitFor()
    await sel('run-open-dialog').click()
    await sel('run-dialog').waitFor()
    const year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear() - 1
    assert.equal(await sel('run-year').locator('input').inputValue(), String(year))
    await sel('run-submit').click()
    await sel('run-detail').waitFor()
    await page.locator('[data-test="run-ranking"] .el-table__body tr').first().waitFor()
    const counties = await page.locator('[data-test="run-county"]').allTextContents()
    const totals = await page.locator('[data-test="run-total"]').allTextContents()
    assert.equal(counties.length, 9, 'the nine counties of 丽水')
    assert.ok(counties.includes('莲都区') && counties.includes('景宁畲族自治县'))
    assert.ok(totals.some((x) => Number(x) > 0), `scores: ${totals}`)
    await page.locator('[data-test="run-ranking"] .el-table__expand-icon').first().click()
    await page.locator('[data-test="run-breakdown"] .el-table__body tr').first().waitFor()
    await page.screenshot({ path: path.join(OUT, 'assess-run.png'), fullPage: true })

    // The PDF report: downloaded, its text has the county names and scores.
    const [download] = await Promise.all([page.waitForEvent('download'), sel('run-pdf').click()])
    const file = path.join(kc.dataDir, 'assessment.pdf')
    await download.saveAs(file)
    assert.match(download.suggestedFilename(), /^assessment-\d+\.pdf$/)
    assert.equal(fs.readFileSync(file).subarray(0, 5).toString(), '%PDF-')
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    assert.equal(text.status, 0, text.stderr)
    assert.match(text.stdout, /丽水市 \d{4} 年度县\(市、区\)科技创新考核报告/)
    for (let i = 0; i < counties.length; i++) {
      assert.ok(text.stdout.includes(counties[i]), `${counties[i]} in the PDF`)
      assert.ok(text.stdout.includes(totals[i]), `${counties[i]}'s total ${totals[i]} in the PDF`)
    }
    assert.deepEqual(await unregisteredTags(page), [])
    assert.deepEqual(city.problems, [])
  } finally {
    await city.context.close()
  }
})

test('the responsible county answers its ticket; the city closes it', async () => {
  // The ticket opened above belongs to the at-risk target's county; answer as its officer
  // when that is 莲都, otherwise answer one of 莲都's own tickets.
  const county = await kc.open('county_liandu')
  let answered = null
  try {
    const { page, sel, menu } = county
    await menu('plans', 'tickets')
    await page.locator('[data-test="ticket-table"] .el-table__body tr').first().waitFor()
    await page.locator('[data-test="ticket-link"]').first().click()
    await sel('ticket-detail').waitFor()
    await sel('ticket-measure').fill('已制定专项整改方案，本季度完成')
    await sel('ticket-evidence').fill('莲都区科技局整改方案（2026）')
    // An evidence file: uploaded when chosen, listed, and sent with the answer.
    const pdf = Buffer.from('%PDF-1.4\n% kechuang e2e evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
    await sel('ticket-file').setInputFiles({ name: '传错了.pdf', mimeType: 'application/pdf', buffer: pdf })
    const wrong = page.locator('[data-test="ticket-pending-files"] li', { hasText: '传错了.pdf' })
    await wrong.waitFor()
    await wrong.locator('button').click()
    await wrong.waitFor({ state: 'detached' })
    await sel('ticket-file').setInputFiles({ name: '整改方案.pdf', mimeType: 'application/pdf', buffer: pdf })
    await page.locator('[data-test="ticket-pending-files"] li', { hasText: '整改方案.pdf' }).waitFor()
    await sel('ticket-answer').click()
    await page.waitForFunction(() => document.querySelector('[data-test="ticket-detail-status"]')?.textContent.includes('已答复'))
    answered = Number(/#(\d+)/.exec(await sel('ticket-title').textContent())[1])
    assert.match(await sel('ticket-event-files').first().textContent(), /整改方案\.pdf/)
    assert.equal(await sel('ticket-no-actions').count(), 1, 'nothing more for the county to do')
    assert.deepEqual(county.problems, [])
  } finally {
    await county.context.close()
  }
  const city = await kc.open('city_lishui')
  try {
    const { page, sel } = city
    await page.goto(`${kc.baseUrl}/#/tickets/${answered}`)
    await sel('ticket-detail').waitFor()
    await sel('ticket-note').fill('措施可行，办结')
    await sel('ticket-close').click()
    await page.waitForFunction(() => document.querySelector('[data-test="ticket-detail-status"]')?.textContent.includes('已办结'))
    const actions = await page.locator('[data-test="ticket-event"] b').allTextContents()
    assert.deepEqual(actions.slice(0, 2), ['办结', '答复'])
    // The city downloads the county's evidence file from the history.
    const href = await page.locator('[data-test="ticket-event-files"] a').first().getAttribute('href')
    const dl = await page.evaluate(async (u) => {
      const r = await fetch(u, { credentials: 'same-origin' })
      return { status: r.status, head: (await r.text()).slice(0, 8) }
    }, href)
    assert.deepEqual(dl, { status: 200, head: '%PDF-1.4' })
    await page.screenshot({ path: path.join(OUT, 'assess-ticket-closed.png'), fullPage: true })
    assert.ok(ticketId > 0)
    assert.deepEqual(city.problems, [])
  } finally {
    await city.context.close()
  }
})
