// Browser test of the technology market against the real binary: an enterprise writes a
// demand, is blocked by the quality gate (server 422, the meter shows what is missing),
// completes it, publishes it and sees ranked achievements with reasons and highlighted
// terms, then institutions and experts; the achievement library search highlights the
// query; an anonymous visitor finds the demand on the public page. Set-up in
// harness.mjs (KC_BIN, KC_CHROMIUM); screenshots go to web/tests/e2e/out/.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { OUT, e2e } from './harness.mjs'

const kc = e2e({ prefix: 'kc-e2e-market-', viewport: { width: 1440, height: 1000 } })

test('an enterprise posts a demand: blocked by the gate, completes it, publishes, sees ranked matches with reasons', async () => {
  const { context, page, sel, problems, unresolved, fill, menu } = await kc.open('ent_nanhu')
  const title = `电池包壳体铝合金高真空压铸 ${Date.now().toString(36)}`
  try {
    await menu('market', 'market_demands')
    await sel('demand-table').waitFor()
    await sel('demand-create').click()
    await sel('demand-form').waitFor()
    await fill('demand-title', title)
    await fill('demand-problem', '新能源汽车电池包下壳体拟采用一体化压铸，现有铝合金压铸件抗拉强度和延伸率不足，厚大部位缩孔、气孔明显，热处理后容易变形开裂。')
    await sel('demand-keywords').click()
    await page.keyboard.type('铝合金')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Escape')

    // The meter says indicators, budget and cooperation mode block publishing.
    await sel('missing-indicators').waitFor()
    await sel('missing-budget').waitFor()
    assert.match(await sel('quality-publishable').textContent(), /暂不能发布/)
    await unresolved('demand form')
    await page.screenshot({ path: path.join(OUT, 'market-demand-gate.png'), fullPage: true })

    // Publishing is refused by the server; the form says why.
    await sel('demand-publish').click()
    await sel('gate-error').waitFor()
    const gate = await sel('gate-error').textContent()
    assert.match(gate, /不能发布/)
    assert.match(gate, /技术指标/)
    assert.match(gate, /预算/)

    // Complete it: indicators, budget, cooperation mode.
    await fill('ind-name-0', '抗拉强度')
    await fill('ind-target-0', '≥ 260')
    await fill('ind-unit-0', 'MPa')
    await sel('ind-add').click()
    await fill('ind-name-1', '延伸率')
    await fill('ind-target-1', '≥ 10')
    await fill('ind-unit-1', '%')
    await fill('demand-budget-max', '300')
    await sel('coop-合作开发').click()
    await page.waitForFunction(() => /可以发布/.test(document.querySelector('[data-test="quality-publishable"]')?.textContent || ''))
    await sel('missing-indicators').waitFor({ state: 'detached' })
    await sel('demand-publish').click()

    // The detail page: published, with matches.
    await sel('demand-detail').waitFor()
    assert.equal((await sel('demand-detail-title').textContent()).trim(), title)
    assert.match(await sel('demand-status').textContent(), /已发布/)
    const first = sel('match-achievements').first()
    await first.waitFor()
    const n = await sel('match-achievements').count()
    assert.ok(n >= 5, `${n} achievements matched`)
    const scores = await sel('match-score').allTextContents()
    const vals = scores.map((s) => Number(s.replace(/[^\d.]/g, '')))
    for (let i = 1; i < vals.length; i++) assert.ok(vals[i - 1] >= vals[i], `ranked by score: ${vals.join(', ')}`)
    // Reasons: text terms and highlighted words in the results.
    assert.ok((await first.locator('[data-test="reason-text"]').count()) > 0, 'a text reason')
    const terms = await first.locator('[data-test="reason-term"]').allTextContents()
    assert.ok(terms.length > 0, 'matched terms are shown')
    const marks = await sel('matches-achievements').locator('[data-test="hl-mark"]').allTextContents()
    assert.ok(marks.length > 0, 'terms are highlighted in the results')
    const demandText = title + '新能源汽车电池包下壳体拟采用一体化压铸，现有铝合金压铸件抗拉强度和延伸率不足，厚大部位缩孔、气孔明显，热处理后容易变形开裂。铝合金抗拉强度延伸率'
    for (const m of marks) assert.ok(demandText.includes(m) || terms.some((t) => m.includes(t)), `highlight "${m}" comes from the demand`)
    assert.ok((await sel('matches-achievements').locator('[data-test^="reason-"]:not([data-test="reason-text"]):not([data-test="reason-term"])').count()) > 0, 'structured signals are shown')
    await unresolved('demand detail')
    await page.screenshot({ path: path.join(OUT, 'market-demand-matches.png'), fullPage: true })

    // Institutions and experts tabs.
    await page.locator('.el-tabs__item', { hasText: '匹配机构' }).click()
    await sel('match-institutions').first().waitFor()
    await page.locator('.el-tabs__item', { hasText: '匹配专家' }).click()
    await sel('match-experts').first().waitFor()
    await page.waitForTimeout(400)
    await page.screenshot({ path: path.join(OUT, 'market-demand-experts.png'), fullPage: true })

    // The achievement library highlights a search.
    await sel('menu-market_achievements').click()
    await sel('ach-table').waitFor()
    const q = await fill('ach-search', '锂电池')
    await q.press('Enter')
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test="ach-table"] [data-test="hl-mark"]')].some((m) => m.textContent === '锂电池'))
    const libMarks = await sel('ach-table').locator('[data-test="hl-mark"]').allTextContents()
    assert.ok(libMarks.length > 0 && libMarks.every((m) => m === '锂电池'), `library highlights: ${libMarks.slice(0, 5)}`)
    await unresolved('achievement library')
    await page.screenshot({ path: path.join(OUT, 'market-achievements.png'), fullPage: true })
    await sel('ach-link').first().click()
    await sel('ach-detail').waitFor()
    await sel('matches-demands').waitFor()
    await unresolved('achievement detail')

    assert.deepEqual(problems, [], 'browser errors')
  } catch (e) {
    await kc.failed(page, e, 'market-failure.png')
    throw e
  } finally {
    await context.close()
  }

  // An anonymous visitor finds the published public demand on the public pages.
  const anon = await kc.open(null)
  try {
    await anon.page.goto(`${kc.baseUrl}/#/p/market/demands`)
    await anon.sel('public-shell').waitFor()
    const box = await anon.fill('pub-demand-search', title)
    await box.press('Enter')
    await anon.page.locator('[data-test="pub-demand"]', { hasText: title }).first().waitFor()
    await anon.page.locator('[data-test="pub-demand"] a', { hasText: title }).first().click()
    await anon.sel('pub-demand-title').waitFor()
    assert.equal((await anon.sel('pub-demand-title').textContent()).trim(), title)
    await anon.page.goto(`${kc.baseUrl}/#/p/market/achievements`)
    await anon.sel('pub-ach').first().waitFor()
    await anon.page.screenshot({ path: path.join(OUT, 'market-public.png'), fullPage: true })
    assert.deepEqual(anon.problems, [], 'browser errors on the public pages')
  } finally {
    await anon.context.close()
  }
})
