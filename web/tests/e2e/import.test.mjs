// Browser test of 数据导入 against the real binary: a county officer downloads the template,
// uploads a CSV with good and bad rows, watches the job finish, reads the counts, downloads
// the failed rows, and exports the organisation list as CSV from the core page. Set-up in
// harness.mjs (KC_BIN, KC_CHROMIUM); screenshots go to web/tests/e2e/out/.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makeUscc } from '../../../tests/api/harness.mjs'
import { OUT, e2e } from './harness.mjs'

const kc = e2e({ prefix: 'kc-e2e-import-', stepMs: 20000 })
let work = null

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-e2e-import-files-'))
})

after(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true })
})

// Clicks a button and saves the download it triggers; returns the saved path.
async function downloadVia(page, button, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), button.click()])
  const file = path.join(work, name)
  await dl.saveAs(file)
  return { file, suggested: dl.suggestedFilename() }
}

test('county officer: template, upload with a bad row, progress to done, counts, failed rows, recent jobs', async () => {
  const o = await kc.open('county_nanhu')
  try {
    await o.menu('ladder', 'ladder-import')
    await o.sel('import-page').waitFor()
    await o.unresolved('import page')

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
  const a = await kc.open('county_nanhu')
  try {
    await a.page.goto(`${kc.baseUrl}/#/orgs`)
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
