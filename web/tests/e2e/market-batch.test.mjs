// Browser test of batch matching (批量匹配, roadshow preparation): a broker opens the page
// for an industry chain, sees every demand with its ranked achievements, highlighted
// matched terms and reasons, puts one row on the pipeline (the API then lists that match),
// and reaches the page from a roadshow with the roadshow's demands preselected. Set-up in
// harness.mjs (KC_BIN, KC_CHROMIUM); screenshots go to web/tests/e2e/out/.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { OUT, e2e } from './harness.mjs'

const CHAIN = 'JX-AUTO-PARTS'
const kc = e2e({ prefix: 'kc-e2e-batch-', stepMs: 30000, viewport: { width: 1600, height: 1000 } })

test('broker: batch matching of a chain shows ranked achievements with highlights and puts a row on the pipeline', async () => {
  const broker = await kc.api('broker_jiaxing')
  const b = await broker.get(`/api/v1/demands/batch-matches?chain=${CHAIN}&limit=5&page_size=50`)
  assert.equal(b.status, 200)
  assert.ok(b.json.total > 0)
  // A (demand, achievement) pair of the batch that is not on the pipeline yet.
  let pick = null
  for (const it of b.json.items) {
    const open = await broker.get(`/api/v1/matches?demand_id=${it.demand.id}&page_size=200`)
    const used = new Set(open.json.items.map((m) => m.achievement_id))
    const i = it.matches.findIndex((m) => !used.has(m.id))
    if (i >= 0) {
      pick = { demand: it.demand, index: i, ach: it.matches[i] }
      break
    }
  }
  assert.ok(pick, 'a free pair exists')

  const o = await kc.open('broker_jiaxing')
  try {
    await o.page.goto(`${kc.baseUrl}/#/market/batch?chain=${CHAIN}`)
    await o.sel('batch-demand').first().waitFor()
    assert.match(await o.sel('batch-summary').innerText(), new RegExp(`${b.json.total}`))
    const shown = await o.sel('batch-demand').count()
    assert.equal(shown, Math.min(10, b.json.total), 'one block per demand (10 a page)')
    assert.ok(await o.sel('batch-matches').locator('[data-test="hl-mark"]').count() > 0, 'matched terms are highlighted')
    assert.ok(await o.sel('batch-term').count() > 0, 'matched terms are listed')
    await o.unresolved('batch')
    await o.page.screenshot({ path: path.join(OUT, 'market-batch.png'), fullPage: false })

    // One demand: put the chosen row on the pipeline.
    await o.page.goto(`${kc.baseUrl}/#/market/batch?demand_ids=${pick.demand.id}`)
    await o.page.reload()
    await o.sel('batch-demand').first().waitFor()
    assert.equal(await o.sel('batch-demand').count(), 1)
    assert.equal(await o.sel('batch-ach-title').nth(pick.index).innerText(), pick.ach.title)
    await o.sel('batch-propose').nth(pick.index).click()
    await o.sel('batch-taken').first().waitFor()
    const after = await broker.get(`/api/v1/matches?demand_id=${pick.demand.id}&achievement_id=${pick.ach.id}`)
    assert.equal(after.json.total, 1, 'the match is on the pipeline')
    const m = after.json.items[0]
    assert.equal(m.stage, 'proposed')
    assert.equal(m.source, 'matching')
    assert.deepEqual(o.problems, [])
  } finally {
    await o.context.close()
  }
})

test('officer: a roadshow opens batch matching with its demands', async () => {
  const city = await kc.api('city_jiaxing')
  const list = await city.get('/api/v1/roadshows?page_size=50')
  let rs = null
  for (const r of list.json.items) {
    const d = await city.get(`/api/v1/roadshows/${r.id}`)
    if (d.json.demands.length) {
      rs = d.json
      break
    }
  }
  assert.ok(rs, 'a demo roadshow showcases demands')
  const o = await kc.open('city_jiaxing')
  try {
    await o.page.goto(`${kc.baseUrl}/#/deals/roadshows/${rs.id}`)
    await o.sel('roadshow-batch').click()
    await o.sel('batch-result').waitFor()
    const want = await city.get(`/api/v1/demands/batch-matches?demand_ids=${rs.demands.map((d) => d.id).join(',')}&page_size=50`)
    const n = Math.min(10, want.json.total)
    assert.ok(n > 0, 'the roadshow has published demands')
    await o.page.waitForFunction((k) => document.querySelectorAll('[data-test="batch-demand"]').length === k, n)
    assert.equal(await o.page.locator('input[data-test="batch-ids"], [data-test="batch-ids"] input').first().inputValue(), rs.demands.map((d) => d.id).join(','))
    assert.deepEqual(o.problems, [])
  } finally {
    await o.context.close()
  }
})

test('institution: a file over 5,000 rows imports in the background with progress and a failed-rows file', async () => {
  const rows = []
  for (let i = 1; i <= 5100; i++) {
    const o = { id: `E2E-BIG-${i}`, title: `浏览器批量导入成果${i}号`, kind: '其他', trl: 5 }
    if (i === 7) o.trl = 15
    rows.push(JSON.stringify(o))
  }
  const o = await kc.open('inst_jiaxing')
  try {
    await o.page.goto(`${kc.baseUrl}/#/market/achievements`)
    await o.sel('ach-import').click()
    await o.sel('import-file').setInputFiles({ name: 'big.jsonl', mimeType: 'application/json', buffer: Buffer.from(rows.join('\n') + '\n') })
    await o.sel('import-submit').click()
    await o.sel('import-job').waitFor()
    await o.page.waitForFunction(() => {
      const s = document.querySelector('[data-test="import-job-status"]')
      return s && /已完成|失败/.test(s.textContent)
    }, null, { timeout: 120000 })
    assert.match(await o.sel('import-job-status').innerText(), /已完成/)
    assert.equal((await o.sel('import-job-failed').innerText()).trim(), '1')
    await o.sel('import-failed-rows').waitFor()
    assert.equal(await o.sel('import-job-progress').getAttribute('aria-valuenow'), '100')
    // The dialog lists the job again when reopened.
    await o.page.locator('[data-test="import-dialog"] .el-dialog__headerbtn').click()
    await o.sel('ach-import').click()
    await o.sel('import-recent').waitFor()
    assert.match(await o.sel('import-recent').innerText(), /big\.jsonl[\s\S]*100%/)
    await o.page.screenshot({ path: path.join(OUT, 'market-import-job.png') })
    const inst = await kc.api('inst_jiaxing')
    const found = await inst.get(`/api/v1/achievements?q=${encodeURIComponent('浏览器批量导入成果')}&page_size=1`)
    assert.equal(found.json.total, 5099)
    assert.deepEqual(o.problems, [])
  } finally {
    await o.context.close()
  }
})
