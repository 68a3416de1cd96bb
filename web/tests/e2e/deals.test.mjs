// Browser test of the deal pages against the real binary: a broker works the pipeline board
// (moves a card on, drops another with a reason after the dialog refused an empty one) and
// sees the history; a registrar registers a contract through the form (a field error for
// 技术交易额 > 合同成交额 and a duplicate registration number first, amounts typed in 元) and
// finds it on the statistics page, drilling down from the number to the contract; the
// roadshow list and the broker metrics render. Set-up in harness.mjs (KC_BIN,
// KC_CHROMIUM); screenshots go to web/tests/e2e/out/.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { KC_BIN, OUT, e2e } from './harness.mjs'

let seeded = null
// The demo database is seeded with the market's records between a first start and the real one.
const kc = e2e({
  prefix: 'kc-e2e-deals-',
  stepMs: 30000,
  viewport: { width: 1600, height: 1000 },
  prepare: () => {
    seeded = seedMarket()
  },
})

// Runs a program synchronously and fails with its output when it fails.
function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' })
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}

// Demands and an achievement are the market's records: written into the stopped demo
// database (its 0007 schema), the achievement through `kechuang import achievements`.
function seedMarket() {
  const file = path.join(kc.dataDir, 'seed.jsonl')
  fs.writeFileSync(file, JSON.stringify({ id: 'E2E-DEALS-1', title: '离心泵叶轮反问题设计方法（浏览器测试）', abstract: '叶轮三维反问题设计。', keywords: ['离心泵', '叶轮'] }) + '\n')
  run(KC_BIN, ['import', 'achievements', '--data', kc.dataDir, file])
  const db = fs.readdirSync(kc.dataDir).filter((f) => f.endsWith('.db')).map((f) => path.join(kc.dataDir, f))[0]
  const inst = "(SELECT org_id FROM users WHERE username = 'inst_jiaxing')"
  const demand = (title) => `INSERT INTO demands(org_id, region_code, title, problem, keywords, budget_min_fen, budget_max_fen, coop_modes, chain,
    confidentiality, status, completeness, published_at, created_at, updated_at) SELECT u.org_id, o.region_code, '${title}', '需要提升离心泵部分负荷效率。',
    '["离心泵"]', 30000000, 100000000, '["技术转让"]', 'JX-135N', 'public', 'published', 100, 1767225600, 1767225600, 1767225600
    FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = 'ent_nanhu';`
  run('sqlite3', ['-batch', db, `UPDATE achievements SET owner_org_id = ${inst}, region_code = (SELECT region_code FROM orgs WHERE id = ${inst}),
    chain = 'JX-135N', kind = '技术秘密', status = 'published' WHERE external_id = 'E2E-DEALS-1';` + demand('看板测试需求甲：泵效率') + demand('看板测试需求乙：泵噪声')])
  const ach = Number(run('sqlite3', ['-batch', db, "SELECT id FROM achievements WHERE external_id = 'E2E-DEALS-1'"]))
  const demands = run('sqlite3', ['-batch', db, "SELECT id FROM demands WHERE title LIKE '看板测试需求%' ORDER BY id"]).split('\n').map(Number)
  return { ach, demands }
}

// Types a date into an Element Plus date picker and confirms it.
async function pickDate(o, name, date) {
  const input = o.sel(name).locator('input').first()
  const target = (await input.count()) ? input : o.page.locator(`input[data-test="${name}"]`)
  await target.click()
  await target.fill(date)
  await target.press('Enter')
  // Close the calendar popup without closing the dialog (Escape would).
  await o.page.locator('.el-dialog__title:visible').first().click()
}

// Searches a RemoteSelect and picks the option whose label contains text.
async function pickRemote(o, name, text) {
  const box = o.sel(name)
  await box.click()
  await o.page.keyboard.type(text.slice(0, 6))
  const opt = o.page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await opt.waitFor()
  await opt.click()
}

// The broker proposes the two seeded demands with the seeded achievement.
async function seedMatches() {
  const broker = await kc.api('broker_jiaxing')
  const out = []
  for (const d of seeded.demands) {
    const m = await broker.post('/api/v1/matches', { demand_id: d, achievement_id: seeded.ach })
    assert.equal(m.status, 201, JSON.stringify(m.json))
    out.push(m.json)
  }
  return out
}

test('broker: the pipeline board moves a card and drops another with a reason; the match shows its history', async () => {
  const [m1, m2] = await seedMatches()
  const o = await kc.open('broker_jiaxing')
  try {
    await o.page.goto(`${kc.baseUrl}/#/deals/pipeline`)
    await o.sel(`pipeline-card-${m1.id}`).waitFor()
    await o.unresolved('pipeline')
    const before = Number((await o.sel('pipeline-count-contacted').textContent()).trim())

    // Move m1 on with its button.
    await o.sel(`pipeline-next-${m1.id}`).click()
    await o.sel('pipeline-col-contacted').locator(`[data-test="pipeline-card-${m1.id}"]`).waitFor()
    assert.equal(Number((await o.sel('pipeline-count-contacted').textContent()).trim()), before + 1)

    // Drop m2: the dialog refuses without a reason, then drops with one.
    await o.sel(`pipeline-drop-${m2.id}`).click()
    await o.sel('drop-dialog').waitFor()
    await o.sel('drop-confirm').click()
    await o.sel('drop-field-reason').locator('.el-form-item__error').waitFor()
    await o.sel('drop-reason-price_gap').click()
    await o.sel('drop-confirm').click()
    await o.sel('pipeline-col-dropped').locator(`[data-test="pipeline-card-${m2.id}"]`).waitFor()
    const dropped = await o.sel('pipeline-col-dropped').locator(`[data-test="pipeline-card-${m2.id}"]`).textContent()
    assert.match(dropped, /价格差距/)
    await o.page.waitForTimeout(400)
    await o.page.screenshot({ path: path.join(OUT, 'deals-pipeline.png'), fullPage: true })

    // The match page: the history and the next stage.
    await o.sel(`pipeline-card-${m1.id}`).locator('[data-test="pipeline-card-open"]').click()
    await o.sel('match-history').waitFor()
    const hist = await o.sel('match-history').textContent()
    assert.match(hist, /已推荐 → 已联系/)
    await o.sel('match-move-negotiating').click()
    await o.page.waitForFunction(() => document.querySelector('[data-test="match-stage"]')?.textContent.includes('洽谈中'))
    await o.unresolved('match')
    await o.page.screenshot({ path: path.join(OUT, 'deals-match.png'), fullPage: true })

    // The API agrees with what the board showed.
    const api = await kc.api('broker_jiaxing')
    assert.equal((await api.get(`/api/v1/matches/${m1.id}`)).json.stage, 'negotiating')
    const d2 = (await api.get(`/api/v1/matches/${m2.id}`)).json
    assert.equal(d2.stage, 'dropped')
    assert.equal(d2.drop_reason, 'price_gap')

    // Broker metrics render with this broker.
    await o.page.goto(`${kc.baseUrl}/#/deals/brokers`)
    await o.sel('brokers-table').locator('.el-table__body tr', { hasText: '嘉兴技术经纪人' }).waitFor()
    await o.unresolved('brokers')
    assert.deepEqual(o.problems, [])
  } catch (e) {
    await kc.failed(o.page, e, 'deals-failure.png')
    throw e
  } finally {
    await o.context.close()
  }
})

test('registrar: contract form (field errors, exact 元 → 分), statistics drill down to it; roadshows render', async () => {
  const o = await kc.open('county_nanhu')
  const api = await kc.api('county_nanhu')
  try {
    const orgs = (await api.get('/api/v1/orgs?region_code=330402&page_size=200')).json.items
    const seller = orgs.find((x) => x.kind === 'university' || x.kind === 'institute' || x.kind === 'new_rd_institution')
    const buyer = orgs.find((x) => x.kind === 'enterprise')
    assert.ok(seller && buyer)
    const taken = (await api.get('/api/v1/contracts?page_size=1')).json.items[0].registration_no

    await o.page.goto(`${kc.baseUrl}/#/deals/contracts`)
    await o.sel('contract-table').waitFor()
    await o.sel('contract-create').click()
    await o.sel('contract-dialog').waitFor()
    await o.sel('contract-title').fill('浏览器测试：泵阀密封技术委托开发')
    await pickDate(o, 'contract-signed-on', '2025-09-01')
    await o.sel('contract-type').click()
    await o.page.locator('.el-cascader-node:visible', { hasText: '技术开发合同' }).click()
    await o.page.locator('.el-cascader-node:visible', { hasText: '委托开发' }).click()
    await pickRemote(o, 'contract-seller', seller.name)
    await pickRemote(o, 'contract-buyer', buyer.name)
    await o.sel('contract-amount').fill('1,234,567.8')
    await o.sel('contract-tech-amount').fill('1234567.81')
    await o.sel('contract-regno').fill(taken)
    await pickDate(o, 'contract-registered-on', '2025-09-15')
    await o.sel('contract-save').click()
    // 技术交易额 > 合同成交额: refused under the field, before the server is asked.
    const techErr = o.sel('contract-field-tech_amount_fen').locator('.el-form-item__error')
    await techErr.waitFor()
    assert.match(await techErr.textContent(), /技术交易额不能大于合同成交额/)
    await o.sel('contract-tech-amount').fill('1000000')
    await o.sel('contract-save').click()
    // The registration number is taken: the server's 409 appears under its field.
    const regErr = o.sel('contract-field-registration_no').locator('.el-form-item__error')
    await regErr.waitFor()
    assert.match(await regErr.textContent(), /已被其他合同使用/)
    await o.page.screenshot({ path: path.join(OUT, 'deals-contract-form.png'), fullPage: true })
    await o.sel('contract-regno').fill('2025330402991234')
    await o.sel('contract-save').click()
    await o.sel('contract-dialog').waitFor({ state: 'hidden' })
    const k = (await api.get('/api/v1/contracts?q=2025330402991234')).json.items[0]
    assert.ok(k, 'the contract was registered')
    assert.equal(k.contract_amount_fen, 123456780, '1,234,567.8 元 = 123456780 分 exactly')
    assert.equal(k.tech_amount_fen, 100000000)
    assert.equal(k.region_code, '330402')
    await o.unresolved('contracts')

    // Statistics by year: the 2025 row equals the API's sum, and drills down to the contract.
    await o.page.goto(`${kc.baseUrl}/#/deals/stats`)
    await o.sel('stats-table').waitFor()
    await o.sel('stats-group-year').click()
    const row = o.sel('stats-row-2025')
    await row.waitFor()
    const s = (await api.get('/api/v1/contracts/stats?group=year')).json
    const y2025 = s.items.find((i) => i.key === '2025')
    const total = await o.sel('stats-total-amount').textContent()
    const fen = s.total.contract_amount_fen
    const want = `${Math.floor(fen / 100)}${fen % 100 ? '.' + String(fen % 100).padStart(2, '0') : ''}`
    assert.equal(total.replace(/[¥,]/g, ''), want, 'the page total is the API total')
    await row.click()
    await o.sel('stats-drill').locator('.el-drawer__body').waitFor()
    await o.page.waitForFunction(
      (n) => document.querySelectorAll('[data-test="stats-drill-table"] .el-table__body tr').length === Math.min(n, 50),
      y2025.count,
    )
    assert.equal(await o.sel('stats-drill-table').locator('tr', { hasText: '2025330402991234' }).count(), 1)
    await o.page.screenshot({ path: path.join(OUT, 'deals-stats.png'), fullPage: true })
    await o.sel('stats-open-registry').click()
    await o.sel('contract-drill-tags').waitFor()
    await o.unresolved('stats')

    // Roadshows of the city are not the county's; the list renders empty or with its own.
    await o.page.goto(`${kc.baseUrl}/#/deals/roadshows`)
    await o.sel('roadshow-table').waitFor()
    await o.unresolved('roadshows')
    assert.deepEqual(o.problems, [])
  } catch (e) {
    await kc.failed(o.page, e, 'deals-failure.png')
    throw e
  } finally {
    await o.context.close()
  }
})
