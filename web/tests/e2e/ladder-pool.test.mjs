// Browser test of the cultivation pool (issue 3): a county officer opens the pool (科技型中小企业,
// 2018, firms made here so the list is known), opens a firm, sees the breakdown and the gap on
// its 自评 tab, goes back and exports the pool; the XLSX is converted by LibreOffice and its
// rows are checked against the API. Also: the funnel widget on the home page clicks through
// to the firm list, the league table opens a points breakdown, and a city officer saves a
// new 创新积分 version in the structured editor. Set-up in harness.mjs (KC_BIN,
// KC_CHROMIUM); screenshots go to web/tests/e2e/out/.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makeUscc } from '../../../tests/api/harness.mjs'
import { OUT, e2e } from './harness.mjs'

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => fs.existsSync(p))
const TAG = `浏览器池${Date.now() % 100000}`

const firms = {}
const kc = e2e({ prefix: 'kc-e2e-pool-', seed: makeFirms })
let work = null

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

// Picks the option with text in the Element Plus select of data-test name on page o.
async function pick(o, name, text) {
  await o.sel(name).click()
  await o.page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

// Three Nanhu firms a point or two short of 科技型中小企业 in 2018 (one condition: the score)
// and one that passes; one in Xiuzhou the county officer must not see.
async function makeFirms() {
  const city = await kc.api('city_jiaxing')
  const make = async (key, region, tech, rdWan, ip2) => {
    const u = makeUscc(region)
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
}

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-e2e-pool-work-'))
})

after(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true })
})

test('a county officer opens the pool, opens a firm, sees the breakdown and the gap, exports the pool (XLSX checked by LibreOffice)', async () => {
  const o = await kc.open('county_nanhu')
  try {
    // The pool: 科技型中小企业, 2018, our firms.
    await o.menu('ladder', 'ladder_pools')
    await o.sel('pool-table').waitFor()
    await pick(o, 'pool-family', '科技型中小企业')
    await pick(o, 'pool-year', '2018')
    await o.sel('pool-search').fill(TAG)
    await o.sel('pool-search-btn').click()
    await o.page.waitForFunction((n) => document.querySelectorAll('[data-test="pool-name-link"]').length === n, 3)
    await o.unresolved('pool')
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
    await pick(o, 'assess-rule', 'tsme-2017')
    await pick(o, 'assess-year', '2018')
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
  const api = await kc.api('county_nanhu')
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
  const o = await kc.open('county_nanhu')
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
    await o.menu('ladder', 'ladder_funnel')
    await o.sel('funnel-table').waitFor()
    await o.page.waitForTimeout(500)
    await o.unresolved('funnel')
    await o.page.screenshot({ path: path.join(OUT, 'ladder-funnel.png'), fullPage: true })

    await o.menu('ladder', 'points_league')
    await o.sel('league-table').waitFor()
    await o.page.waitForFunction(() => document.querySelectorAll('[data-test="league-name-link"]').length > 0 || document.querySelector('.el-table__empty-text'))
    if ((await o.sel('league-name-link').count()) > 0) {
      await o.sel('league-name-link').first().click()
      await o.sel('breakdown-indicators').waitFor()
      assert.ok((await o.sel('breakdown-indicators').locator('.el-table__body tr').count()) >= 18, 'every indicator')
      await o.page.waitForTimeout(400)
      await o.page.screenshot({ path: path.join(OUT, 'ladder-league-breakdown.png'), fullPage: true })
    }
    await o.unresolved('league')
    assert.deepEqual(o.problems, [])
  } finally {
    await o.context.close()
  }
})

test('a city officer saves a new 创新积分 version in the structured editor', async () => {
  const api = await kc.api('city_jiaxing')
  const before = (await api.get('/api/v1/points/configs?region_code=330400')).json.total
  const c = await kc.open('city_jiaxing')
  try {
    await c.menu('ladder', 'points_config')
    // The editor renders ~20 rows of inputs; on a loaded 2-core machine that took >15 s.
    await c.sel('config-indicators').waitFor({ timeout: 60000 })
    await c.page.waitForFunction(() => document.querySelectorAll('[data-test="config-indicators"] .el-table__body-wrapper tr').length >= 18, null, { timeout: 60000 })
    await c.unresolved('points editor')
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
