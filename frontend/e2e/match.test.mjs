import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { artifacts, launch, startServer } from './helpers.mjs'

let server, browser, page

async function call(path, ...args) {
  const r = await fetch(`${server.url}/api/${path}`, { method: 'POST', body: JSON.stringify(args) })
  const body = await r.json()
  if (!r.ok) throw new Error(body.error)
  return body
}

// Polls the API until cond holds (Playwright's waitForFunction does not
// await an async predicate: a Promise is truthy and passes at once).
async function until(cond, what, ms = 15000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('timed out waiting for ' + what)
}

before(async () => {
  server = await startServer()
  browser = await launch()
  page = await browser.newPage({ viewport: { width: 1500, height: 950 }, acceptDownloads: true })
  // A session: 6 slots, 8 tables; 30 SMEs each asking 3 universities.
  await call('MatchService/SetupSession', { start: '2026-05-20 14:00', slotMinutes: 20, slots: 6, breakAfter: [3], tables: 8, maxMeetings: 4 })
  const smes = (await call('RosterService/List', { role: 'sme', limit: 30 })).items
  const unis = (await call('RosterService/List', { role: 'university', limit: 10 })).items
  for (const [i, s] of smes.entries()) {
    for (let k = 0; k < 3; k++) {
      await call('MatchService/CreateRequest', s.id, unis[(i + k) % unis.length].id, ['must', 'want', 'could'][(i + k) % 3], '技术合作', true)
    }
  }
})
after(async () => {
  await browser?.close()
  server?.stop()
})

test('schedule all, review, publish; a drag into a conflict is flagged', async () => {
  await page.goto(server.url + '/#/match')
  await page.getByTestId('schedule-all').click()
  await page.getByTestId('draft').waitFor()
  assert.match(await page.getByTestId('draft').innerText(), /排程草案：\d+ 场洽谈/)
  await page.getByTestId('publish').click()
  await page.getByTestId('grid').waitFor()
  const meetings = await call('MatchService/Meetings')
  assert.ok(meetings.length > 20)
  assert.equal(meetings.filter((m) => m.conflicts.length).length, 0)
  // Slot headers show the venue's clock (the session starts at 14:00 Beijing time).
  assert.match(await page.getByTestId('grid').locator('thead').innerText(), /14:00[\s\S]*14:20/)
  await page.screenshot({ path: join(artifacts, 'e2e-match-grid.png') })

  // Someone with two meetings: drag the first into the other's slot.
  let a, b
  for (const x of meetings) for (const y of meetings) if (!a && x.id !== y.id && x.slot !== y.slot && x.from === y.from) [a, b] = [x, y]
  assert.ok(a, 'a person with two meetings')
  const source = page.locator(`[data-testid="meeting"][data-id="${a.id}"]`)
  const target = page.locator(`td[data-cell="${a.table}|${b.slot}"]`)
  await source.dragTo(target)
  await page.locator(`[data-testid="meeting"][data-id="${a.id}"][data-conflict="yes"]`).waitFor()
  const moved = (await call('MatchService/Meetings')).find((m) => m.id === a.id)
  assert.equal(moved.slot, b.slot)
  assert.ok(moved.conflicts.some((c) => c.includes('同一时段')))
  await page.screenshot({ path: join(artifacts, 'e2e-match-conflict.png') })
  // Put it back: the flag goes away.
  await page.locator(`[data-testid="meeting"][data-id="${a.id}"]`).dragTo(page.locator(`td[data-cell="${a.table}|${a.slot}"]`))
  await page.locator(`[data-testid="meeting"][data-id="${a.id}"][data-conflict="no"]`).waitFor()
})

test('a no-show is re-placed later, and an outcome is recorded', async () => {
  await page.goto(server.url + '/#/match')
  const meetings = await call('MatchService/Meetings')
  const early = meetings.find((m) => m.slot === 'S01')
  await page.locator(`[data-testid="meeting"][data-id="${early.id}"]`).click()
  await page.getByTestId('meeting-card').waitFor()
  await page.getByTestId('mark-noshow').click()
  await until(async () => (await call('MatchService/Meetings')).find((m) => m.id === early.id).status === 'no_show', 'the no-show')
  await page.getByTestId('replace').and(page.locator(':not([disabled])')).waitFor()
  await page.getByTestId('replace').click()
  await until(async () => (await call('MatchService/Meetings')).filter((m) => m.request === early.request).length === 2, 'the re-placed meeting')
  const again = (await call('MatchService/Meetings')).filter((m) => m.request === early.request)
  assert.ok(again.some((m) => m.status === 'scheduled' && m.slot > 'S01'), JSON.stringify(again.map((m) => [m.id, m.slot, m.table, m.status])))
  await page.keyboard.press('Escape')

  const held = meetings.find((m) => m.id !== early.id && m.slot === 'S02')
  await page.locator(`[data-testid="meeting"][data-id="${held.id}"]`).click()
  await page.getByTestId('mark-held').click()
  await page.getByTestId('oc-result').click()
  await page.getByText('达成协议', { exact: true }).click()
  await page.getByTestId('oc-signed').click()
  await page.getByTestId('oc-amount').locator('input').fill('150')
  await page.getByTestId('oc-save').click()
  await page.getByTestId('meeting-card').waitFor({ state: 'hidden' })
  const saved = (await call('MatchService/Meetings')).find((m) => m.id === held.id)
  assert.equal(saved.status, 'held')
  assert.equal(saved.outcome.result, 'agreement')
  assert.equal(saved.outcome.signed, true)
  assert.equal(saved.outcome.amount, 150)
  await page.screenshot({ path: join(artifacts, 'e2e-match-outcome.png') })
})

test('a demand shows recommended achievements with reasons, and one click requests a meeting', async () => {
  await page.goto(server.url + '/#/catalog')
  await page.getByText(/^需求 \(\d+\)$/).click()
  await page.getByTestId('recommend').first().click()
  await page.getByTestId('recs').waitFor()
  const recs = page.getByTestId('rec')
  assert.ok((await recs.count()) >= 1)
  assert.match(await recs.first().innerText(), /推荐理由/)
  await page.screenshot({ path: join(artifacts, 'e2e-recommend.png') })
  const before = (await call('MatchService/Requests')).length
  await recs.first().getByRole('button', { name: '发起洽谈' }).click()
  await page.getByText('已发起洽谈请求').waitFor()
  assert.equal((await call('MatchService/Requests')).length, before + 1)
})

test('agendas print as one PDF, and the hall board shows who sits where', async () => {
  await page.goto(server.url + '/#/match')
  const download = page.waitForEvent('download')
  await page.getByTestId('print-agendas').click()
  const file = await download
  assert.equal(file.suggestedFilename(), '洽谈日程.pdf')
  await page.getByTestId('open-board').click()
  await page.getByTestId('board').waitFor()
  assert.ok((await page.getByTestId('board-row').count()) > 0)
  assert.match(await page.getByTestId('board').innerText(), /\d\d:\d\d/)
  await page.screenshot({ path: join(artifacts, 'e2e-board.png') })
})

test('an achievement catalog imports with a row-by-row report', async () => {
  await page.goto(server.url + '/#/catalog')
  const csv = '成果名称,成果单位,技术成熟度,转化方式,意向价格（万元）\n海洋牧场水下巡检机器人,中国海洋大学,6,许可,200\n,中国海洋大学,5,转让,10\n深海传感器,中国海洋大学,15,转让,30\n'
  await page.getByTestId('import-achievements').setInputFiles({ name: '成果库.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  const report = page.getByTestId('catalog-report')
  await report.waitFor()
  const text = await report.innerText()
  assert.match(text, /共 3 行：新增 1/)
  assert.match(text, /第 3 行：缺少成果名称/)
  assert.match(text, /第 4 行：技术成熟度“15”/)
  await page.getByText('成果 (41)').waitFor()
})
