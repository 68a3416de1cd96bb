// Browser test of issue 4's whole flow against the real binary: an enterprise posts a
// demand (the quality gate blocks it first), completes and publishes it and sees ranked
// matches with reasons; a broker takes one of them from the demand's match list onto the
// pipeline, moves it to signed and registers its contract (prefilled, amounts in 元); the
// statistics page shows the contract in this month and drills down to it; the enterprise
// sees the match signed. Set-up in harness.mjs (KC_BIN, KC_CHROMIUM); screenshots
// go to web/tests/e2e/out/.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { OUT, e2e } from './harness.mjs'

const kc = e2e({ prefix: 'kc-e2e-flow-', stepMs: 30000, viewport: { width: 1600, height: 1000 } })

test('demand → gate → matches with reasons → broker pipeline to signed → registered contract → statistics', async () => {
  const title = `注塑模具随形冷却水路设计 ${Date.now().toString(36)}`
  let demandId = null

  // 1. The enterprise posts the demand: the gate blocks it, it is completed and published.
  const e = await kc.open('ent_nanhu')
  try {
    await e.menu('market', 'market_demands')
    await e.sel('demand-table').waitFor()
    await e.sel('demand-create').click()
    await e.sel('demand-form').waitFor()
    await e.fill('demand-title', title)
    await e.fill('demand-problem', '汽车内饰件注塑模具冷却不均，成型周期长、翘曲变形大，希望采用随形冷却水路与金属增材制造镶块缩短周期。')
    await e.sel('demand-publish').click()
    await e.sel('gate-error').waitFor()
    assert.match(await e.sel('gate-error').textContent(), /不能发布/)
    await e.page.screenshot({ path: path.join(OUT, 'flow-gate.png'), fullPage: true })
    await e.fill('ind-name-0', '成型周期')
    await e.fill('ind-target-0', '≤ 35')
    await e.fill('ind-unit-0', 's')
    await e.fill('demand-budget-max', '200')
    await e.sel('coop-委托开发').click()
    await e.page.waitForFunction(() => /可以发布/.test(document.querySelector('[data-test="quality-publishable"]')?.textContent || ''))
    await e.sel('demand-publish').click()
    await e.sel('demand-detail').waitFor()
    assert.match(await e.sel('demand-status').textContent(), /已发布/)
    demandId = Number(/demands\/(\d+)/.exec(e.page.url())[1])
    assert.ok(demandId > 0)
    // Ranked matches with their reasons.
    await e.sel('match-achievements').first().waitFor()
    assert.ok((await e.sel('match-achievements').first().locator('[data-test="reason-text"]').count()) > 0, 'a match shows its reasons')
    await e.unresolved('demand detail')
    assert.deepEqual(e.problems, [], 'browser errors (enterprise)')
  } finally {
    await e.context.close()
  }

  // The candidate the broker will take: the best-ranked achievement whose owner is in the
  // broker's city (the contract registers at the seller's location).
  const brokerApi = await kc.api('broker_jiaxing')
  const cands = (await brokerApi.get(`/api/v1/demands/${demandId}/matches?target=achievements&limit=10`)).json.items
  const pick = cands.findIndex((c) => c.record && c.record.owner_org_id && String(c.record.region_code || '').startsWith('3304'))
  assert.ok(pick >= 0, `a Jiaxing-owned candidate among ${cands.length}`)

  // 2. The broker: from the demand's match list onto the pipeline, then to signed.
  const b = await kc.open('broker_jiaxing')
  let matchId = null
  try {
    await b.menu('market', 'deals_pipeline')
    await b.sel('pipeline-board').waitFor()
    await b.sel('pipeline-new').click()
    await b.sel('new-match-dialog').waitFor()
    await b.sel('new-match-demand').click()
    await b.page.keyboard.type(title.slice(0, 8))
    await b.page.locator('.el-select-dropdown__item:visible', { hasText: title }).first().click()
    await b.sel('new-match-candidates').locator('.el-table__body tr').nth(pick).waitFor()
    await b.page.screenshot({ path: path.join(OUT, 'flow-candidates.png'), fullPage: true })
    await b.sel('new-match-take').nth(pick).click()
    await b.sel('match-detail').waitFor()
    await b.sel('match-stage').waitFor()
    matchId = Number(/matches\/(\d+)/.exec(b.page.url())[1])
    assert.match(await b.sel('match-reasons').textContent(), /\S/, 'the matcher\'s reasons are kept on the match')
    for (const [stage, label] of [['contacted', '已联系'], ['negotiating', '洽谈中'], ['signed', '已签约']]) {
      await b.sel(`match-move-${stage}`).click()
      await b.page.waitForFunction((l) => document.querySelector('[data-test="match-stage"]')?.textContent.includes(l), label)
    }
    // Register its contract: prefilled parties and signing date; amounts in 元.
    await b.sel('match-register-contract').click()
    await b.sel('contract-dialog').waitFor()
    const prefilled = await b.sel('contract-title').inputValue()
    assert.ok(prefilled.includes(title), `the title is prefilled (${prefilled})`)
    await b.sel('contract-amount').fill('1850000')
    await b.sel('contract-tech-amount').fill('1600000.50')
    await b.sel('contract-regno').fill('2026330402880001')
    await b.sel('contract-save').click()
    await b.sel('contract-dialog').waitFor({ state: 'hidden' })
    await b.sel('match-view-contract').waitFor()
    await b.page.screenshot({ path: path.join(OUT, 'flow-signed.png'), fullPage: true })

    const k = (await brokerApi.get(`/api/v1/contracts?match_id=${matchId}`)).json.items[0]
    assert.ok(k, 'the contract is registered for the match')
    assert.equal(k.contract_amount_fen, 185000000)
    assert.equal(k.tech_amount_fen, 160000050)
    assert.equal(k.buyer_name.length > 0, true)
    const month = k.registered_on.slice(0, 7)

    // 3. The statistics page shows it in its month and drills down to it.
    await b.menu('market', 'deals_stats')
    await b.sel('stats-table').waitFor()
    const row = b.sel(`stats-row-${month}`)
    await row.waitFor()
    const s = (await brokerApi.get(`/api/v1/contracts/stats?group=month`)).json.items.find((i) => i.key === month)
    assert.ok(s.count >= 1)
    await row.click()
    await b.sel('stats-drill-table').locator('tr', { hasText: '2026330402880001' }).waitFor()
    await b.page.screenshot({ path: path.join(OUT, 'flow-stats.png'), fullPage: true })
    await b.unresolved('statistics')
    assert.deepEqual(b.problems, [], 'browser errors (broker)')
  } finally {
    await b.context.close()
  }

  // 4. The enterprise sees its match signed.
  const e2 = await kc.open('ent_nanhu')
  try {
    await e2.menu('market', 'deals_my_matches')
    const line = e2.sel('my-matches-table').locator('tr', { hasText: title }).first()
    await line.waitFor()
    assert.match(await line.textContent(), /已签约/)
    assert.deepEqual(e2.problems, [], 'browser errors (enterprise, my matches)')
  } finally {
    await e2.context.close()
  }
})
