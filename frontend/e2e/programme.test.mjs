import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { appPage, artifacts, launch, startServer, callApi, until, freshEventWithPeople, pickOption } from './helpers.mjs'

let server, browser, page

const call = (path, ...args) => callApi(server, path, ...args)

before(async () => {
  server = await startServer()
  browser = await launch()
  page = await appPage(browser, server, { viewport: { width: 1400, height: 900 } })
  await freshEventWithPeople(page, server, '深度行·潍坊站', '2027-06-16')
})
after(async () => {
  await browser?.close()
  server?.stop()
})

const pick = (select, text) => pickOption(page, select, text)

async function addSession({ title, kind, start, end, room, speaker }) {
  await page.getByTestId('prog-add').click()
  const form = page.getByTestId('prog-form')
  await form.waitFor()
  await form.getByTestId('prog-title').locator('input').fill(title)
  await form.getByTestId('prog-kind').click()
  await page.locator('.n-base-select-option', { hasText: kind }).first().click()
  await form.getByTestId('prog-start').locator('input').fill(start)
  await form.getByTestId('prog-end').locator('input').fill(end)
  await form.getByTestId('prog-room').locator('input').fill(room)
  if (speaker) {
    await form.getByTestId('prog-speakers').click()
    await page.keyboard.type(speaker.name)
    await page.locator('.n-base-select-option', { hasText: speaker.name }).first().click()
    await page.keyboard.press('Escape')
  }
  await form.getByTestId('prog-save').click()
  await form.waitFor({ state: 'hidden' })
  await page.getByTestId('prog-session-title').filter({ hasText: title }).waitFor()
}

test('a programme and a roadshow order set up in the screens; the stage runs three talks by key; marks from the hub page become requests', async () => {
  // The catalog of the day, imported on the catalog screen; each achievement
  // names its presenter (联系人) from the registrations.
  const unis = (await call('RosterService/List', { role: 'university', limit: 3 })).items
  const officials = (await call('RosterService/List', { role: 'enterprise', limit: 1 })).items
  assert.equal(unis.length, 3)
  const titles = ['耐盐碱小麦新品种', '工业互联网边缘网关', '海水淡化低能耗膜组件']
  const csv = '成果名称,成果单位,联系人,技术成熟度,转化方式,意向价格（万元）\n' + titles.map((tt, i) => `${tt},${unis[i].org},${unis[i].name},6,许可,100`).join('\n') + '\n'
  await page.goto(server.url + '/#/catalog')
  await page.getByTestId('import-achievements').setInputFiles({ name: '成果库.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByTestId('catalog-report').filter({ hasText: '新增 3' }).waitFor()
  await page.keyboard.press('Escape')

  // The programme, typed in: an opening forum, the roadshow, the matchmaking session.
  await page.goto(server.url + '/#/programme')
  await page.getByTestId('programme').waitFor()
  await addSession({ title: '开幕式暨主旨论坛', kind: '主旨论坛', start: '2027-06-16T09:00', end: '2027-06-16T09:40', room: '一号报告厅', speaker: officials[0] })
  await addSession({ title: '科技成果路演', kind: '成果路演', start: '2027-06-16T09:40', end: '2027-06-16T10:30', room: '一号报告厅' })
  await addSession({ title: '一对一供需对接', kind: '供需对接', start: '2027-06-16T10:40', end: '2027-06-16T12:00', room: '洽谈区' })
  const list = await call('ProgrammeService/List')
  assert.deepEqual(list.map((s) => s.kind), ['forum', 'roadshow', 'matchmaking'])
  assert.equal(list[0].speakers[0].id, officials[0].id)

  // The running order: three achievements, their presenters by default.
  const roadshow = page.getByTestId('prog-session').filter({ hasText: '科技成果路演' })
  await until(async () => (await roadshow.getByTestId('running-order').count()) === 1, 'the running order open')
  for (const title of titles) {
    await roadshow.getByTestId('talk-add').click()
    await pick(roadshow.getByTestId('talk-achievement').last(), title)
    await roadshow.getByTestId('talk-minutes').last().locator('input').fill('6')
  }
  await roadshow.getByTestId('talk-save').click()
  await until(async () => (await roadshow.getByTestId('talk-state').count()) === 3, 'three talks saved')
  const saved = (await call('ProgrammeService/List')).find((s) => s.kind === 'roadshow')
  assert.deepEqual(saved.talks.map((tk) => tk.title), titles)
  assert.deepEqual(saved.talks.map((tk) => tk.presenter), unis.map((u) => u.id))
  assert.deepEqual(saved.talks.map((tk) => tk.minutes), [6, 6, 6])
  await page.screenshot({ path: join(artifacts, 'e2e-programme.png') })

  // The hub runs, and an investor's phone is paired on the network page.
  const investor = (await call('RosterService/List', { role: 'investor', limit: 1 })).items[0]
  await page.goto(server.url + '/#/network')
  await page.locator('input[placeholder=":8443"]').fill('127.0.0.1:0')
  await page.getByTestId('start-hub').click()
  await page.getByTestId('hub-address').waitFor()
  await pick(page.getByTestId('exhibitor-select'), investor.name)
  await page.getByTestId('code-exhibitor').click()
  await until(async () => /\/x\/#code=/.test(await page.getByTestId('pairing-link').innerText().catch(() => '')), 'a pairing link')
  const link = await page.getByTestId('pairing-link').innerText()

  // The stage screen: one key at a time through the three talks.
  await page.goto(server.url + '/#/programme')
  await roadshow.getByTestId('prog-stage').click()
  await page.getByTestId('stage-idle').waitFor()
  const onStage = async (title, n) => {
    await page.getByTestId('stage-title').filter({ hasText: title }).waitFor()
    assert.match(await page.getByTestId('stage-of').innerText(), new RegExp(`第 ${n} / 3 位`))
  }
  await page.keyboard.press('Space')
  await onStage(titles[0], 1)
  assert.match(await page.getByTestId('stage-next').innerText(), new RegExp(titles[1]))
  assert.match(await page.getByTestId('stage-count').innerText(), /^[56]:\d\d/)
  assert.equal(await page.getByTestId('stage-presenter').innerText(), unis[0].name)
  await page.keyboard.press('ArrowRight')
  await onStage(titles[1], 2)
  await page.screenshot({ path: join(artifacts, 'e2e-stage.png') })
  // A presenter remote sends PageDown.
  await page.keyboard.press('PageDown')
  await onStage(titles[2], 3)
  assert.match(await page.getByTestId('stage-next').innerText(), /这是最后一位/)
  let run = (await call('ProgrammeService/List')).find((s) => s.kind === 'roadshow')
  assert.equal(run.current, 2)
  assert.ok(run.talks.every((tk) => tk.started) && run.talks[0].ended && run.talks[1].ended && !run.talks[2].ended)

  // The investor marks 想约谈 on the second talk from the hub's page.
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 390, height: 800 } })
  const phone = await ctx.newPage()
  await phone.goto(link)
  await phone.getByTestId('x-who').waitFor()
  const talk = phone.getByTestId('x-talk').filter({ hasText: titles[1] })
  await talk.waitFor()
  await talk.getByTestId('x-want').click()
  await phone.getByTestId('x-mark-answer').filter({ hasText: '已登记' }).waitFor()
  await until(async () => (await talk.getByTestId('x-want').innerText()) === '已登记', 'the talk shown as marked')
  // The talk on stage is listed first.
  assert.match(await phone.getByTestId('x-talk').first().innerText(), new RegExp(titles[2]))
  await phone.screenshot({ path: join(artifacts, 'e2e-phone-roadshow.png') })
  // A second tap finds the first mark.
  await talk.getByTestId('x-want').isDisabled()

  // The organizer sees the request on the matchmaking screen.
  await page.goto(server.url + '/#/match')
  await page.getByText(/^洽谈请求 \(\d+\)$/).click()
  await page.getByTestId('requests-filter').locator('input').fill(investor.name)
  await until(async () => /路演：工业互联网边缘网关/.test(await page.getByTestId('requests-table').innerText().catch(() => '')), 'the mark as a request')
  assert.equal(await page.getByTestId('request-from-roadshow').count(), 1)
  await page.screenshot({ path: join(artifacts, 'e2e-mark-request.png') })
  const reqs = await call('RequestService/List')
  const marks = reqs.filter((r) => r.roadshow)
  assert.equal(marks.length, 1)
  assert.equal(marks[0].from, investor.id)
  assert.equal(marks[0].to, unis[1].id)
  assert.equal(marks[0].status, 'requested')
  assert.equal(marks[0].roadshow, run.talks[1].id)

  // The programme shows the mark; the stage ends the roadshow with one more press.
  await page.goto(server.url + '/#/stage/' + run.id)
  await page.getByTestId('stage-title').filter({ hasText: titles[2] }).waitFor()
  await page.keyboard.press('Space')
  await page.getByTestId('stage-idle').filter({ hasText: '本场路演结束' }).waitFor()
  run = (await call('ProgrammeService/List')).find((s) => s.kind === 'roadshow')
  assert.equal(run.current, -1)
  assert.deepEqual(run.talks.map((tk) => tk.marks), [0, 1, 0])

  // The summary counts the three presented roadshows and the mark.
  const sum = await call('SummaryService/Summary')
  assert.equal(sum.roadshows.length, 3)
  assert.equal(sum.roadshows[0].title, titles[1])
  assert.equal(sum.roadshows[0].marks, 1)
  // The summary's prose, ready for the 工作简报, says so.
  await page.goto(server.url + '/#/summary')
  await page.getByTestId('sum-narrative').filter({ hasText: '3 项成果现场路演，收到“想约谈” 1 人次' }).waitFor()
  assert.match(await page.getByTestId('sum-narrative').innerText(), /活动设主旨论坛、成果路演、供需对接等环节/)
  await page.getByTestId('sum-narrative').screenshot({ path: join(artifacts, 'e2e-summary-narrative.png') })
  await ctx.close()
})

test('the programme board shows what is on and what comes next', async () => {
  await page.goto(server.url + '/#/programme-board')
  await page.getByTestId('programme-board').waitFor()
  // The event is a year ahead: everything is still to come.
  await until(async () => (await page.getByTestId('pboard-next').count()) === 3, 'three sessions coming')
  assert.match(await page.getByTestId('pboard-next').first().innerText(), /6\/16 09:00–09:40[\s\S]*开幕式暨主旨论坛[\s\S]*一号报告厅/)
  await page.screenshot({ path: join(artifacts, 'e2e-programme-board.png') })
})

test('an SME challenge imported from the catalog sheet takes a 揭榜 at the desk, which asks the SME for a meeting', async () => {
  const smes = (await call('RosterService/List', { role: 'sme', limit: 1 })).items
  const inst = (await call('RosterService/List', { role: 'institute', limit: 1 })).items[0]
  const csv = `需求名称,需求企业,联系人,需求描述,预算（万元）,是否发榜,揭榜截止\n盐碱地小麦增产技术,${smes[0].org},${smes[0].name},亩产提高两成,120,是,2027/6/30\n包装线视觉检测,${smes[0].org},${smes[0].name},漏检率低于千分之一,50,否,\n`
  await page.goto(server.url + '/#/catalog')
  await page.getByTestId('import-demands').setInputFiles({ name: '需求库.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByTestId('catalog-report').filter({ hasText: '新增 2' }).waitFor()
  await page.getByText(/^需求 \(\d+\)$/).click()
  assert.equal(await page.getByTestId('respond').count(), 1)
  await page.getByTestId('respond').click()
  const dlg = page.getByTestId('challenge-responses')
  await dlg.waitFor()
  assert.match(await dlg.innerText(), /揭榜截止 2027-06-30/)
  await pick(dlg.getByTestId('respond-who'), inst.name)
  await dlg.getByTestId('respond-proposal').locator('textarea').fill('耐盐碱品种配合水肥一体化，两年内示范 500 亩')
  await dlg.getByTestId('respond-save').click()
  await dlg.getByTestId('challenge-response').filter({ hasText: inst.name }).waitFor()
  await page.screenshot({ path: join(artifacts, 'e2e-challenge.png') })
  await page.keyboard.press('Escape')
  await page.getByTestId('challenge-tag').filter({ hasText: '发榜 · 揭榜 1' }).waitFor()

  const responses = await call('CatalogService/Responses', '')
  assert.equal(responses.length, 1)
  assert.equal(responses[0].responder, inst.id)
  const req = (await call('RequestService/List')).find((r) => r.challenge)
  assert.ok(req, 'a request from the response')
  assert.equal(req.from, inst.id)
  assert.equal(req.to, smes[0].id)
  const sum = await call('SummaryService/Summary')
  assert.equal(sum.challenges.length, 1)
  assert.equal(sum.challenges[0].responses, 1)
  // The big screen shows the challenge, and how many answered it.
  await page.goto(server.url + '/#/programme-board')
  await page.getByTestId('pboard-challenge').filter({ hasText: '已揭榜 1 家' }).waitFor()
  assert.equal(await page.getByTestId('pboard-challenge').count(), 1)
  assert.match(await page.getByTestId('pboard-challenge').innerText(), /盐碱地小麦增产技术[\s\S]*预算 120 万元/)
  await page.screenshot({ path: join(artifacts, 'e2e-programme-board-challenges.png') })
})

test('a panel scores the roadshow in the screens, and the ranking sheet follows', async () => {
  const judges = (await call('RosterService/List', { role: 'investor', limit: 3 })).items.slice(1, 3)
  await page.goto(server.url + '/#/programme')
  const roadshow = page.getByTestId('prog-session').filter({ hasText: '科技成果路演' })
  await roadshow.getByTestId('prog-scoring').click()
  const panel = roadshow.getByTestId('scoring')
  await panel.waitFor()
  for (const [name, weight] of [['技术先进性', '60'], ['市场前景', '40']]) {
    await panel.getByTestId('criterion-add').click()
    await panel.getByTestId('criterion-name').last().locator('input').fill(name)
    await panel.getByTestId('criterion-weight').last().locator('input').fill(weight)
  }
  for (const j of judges) await pick(panel.getByTestId('panel-judges'), j.name)
  await page.keyboard.press('Escape')
  await panel.getByTestId('panel-save').click()
  await panel.getByTestId('score-judge').waitFor()
  // Each judge's marks: the second talk best.
  const marks = [[[7, 8], [9, 9], [6, 5]], [[8, 6], [9, 8], [5, 5]]]
  for (const [k, j] of judges.entries()) {
    await panel.getByTestId('score-judge').click()
    await page.locator('.n-base-select-option', { hasText: j.name }).filter({ visible: true }).first().click()
    const rows = panel.getByTestId('score-row')
    await until(async () => (await rows.count()) === 3, 'three talks to score')
    for (let i = 0; i < 3; i++) {
      const points = rows.nth(i).getByTestId('score-point')
      for (let c = 0; c < 2; c++) await points.nth(c).locator('input').fill(String(marks[k][i][c]))
      await rows.nth(i).getByTestId('score-save').click()
      await until(async () => (await call('ProgrammeService/Ranking', (await call('ProgrammeService/List')).find((s) => s.kind === 'roadshow').id)).sheets.length === k * 3 + i + 1, 'the sheet saved')
    }
  }
  const first = panel.getByTestId('ranking-row').first()
  await until(async () => /工业互联网边缘网关[\s\S]*88\.0/.test(await first.innerText()), 'the ranking')
  await panel.screenshot({ path: join(artifacts, 'e2e-scoring.png') })
  const download = page.waitForEvent('download')
  await panel.getByTestId('ranking-xlsx').click()
  assert.equal((await download).suggestedFilename(), '路演评分排名.xlsx')
  const sum = await call('SummaryService/Summary')
  assert.equal(sum.roadshows.find((r) => r.title === '工业互联网边缘网关').score, 88)
})
