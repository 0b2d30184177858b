import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { appPage, artifacts, callApi, freshEventWithPeople, launch, startServer, until } from './helpers.mjs'

let server, browser

after(async () => {
  await browser?.close()
  server?.stop()
})

/** Text and page count of a downloaded PDF, read back with poppler. */
async function readPdf(download, name) {
  const path = join(artifacts, name)
  await download.saveAs(path)
  const text = execFileSync('pdftotext', [path, '-']).toString()
  return { text, pages: text.split('\f').length - 1, path }
}

// The organizer's whole matchmaking journey on a fresh event, in the
// screens only (the API is read to check, never to set anything up):
// create the event, import the registrations, print the badges, set up the
// session, import the wishes and answer one, 一键排程, look at the draft in
// the grid and in one person's day, publish, print that person's agenda,
// then change the session and be warned.
test('organizer: from a fresh event to a published schedule and one person’s agenda', async () => {
  server = await startServer()
  browser = await launch()
  const page = await appPage(browser, server, { viewport: { width: 1440, height: 900 }, acceptDownloads: true })
  const pageErrors = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await freshEventWithPeople(page, server, '深度行·潍坊站', '2027-09-09')

  // The organizer's logo, on the overview: a text file renamed .png is
  // refused in Chinese, a real PNG is taken and shown.
  await page.goto(server.url + '/#/')
  await page.getByTestId('logo-pick').waitFor()
  await page.getByTestId('logo-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('这不是图片') })
  await page.getByText('标志应为 PNG 或 JPEG 图片').waitFor()
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAAGklEQVR4nGM4IadBFcQwatCoQaMGjRpEGQIAEsOVEGYF1BsAAAAASUVORK5CYII=', 'base64')
  await page.getByTestId('logo-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png })
  await page.getByTestId('event-logo').waitFor()
  assert.ok((await callApi(server, 'EventService/Current')).event.logo, 'the logo is saved')

  // Badges for everyone, in the layout chosen on this page: 4×3 inch.
  await page.goto(server.url + '/#/participants')
  await page.getByTestId('badge-layout').click()
  await page.locator('.n-base-select-option').filter({ hasText: '4×3' }).click()
  await page.getByTestId('print-badges').click()
  let download = page.waitForEvent('download')
  await page.locator('.n-dropdown-option').filter({ hasText: '全部参会人' }).click()
  const badges = await readPdf(await download, 'e2e-organizer-badges.pdf')
  const roster = (await callApi(server, 'RosterService/List', { limit: 500 })).items
  assert.equal(badges.pages, roster.length, 'one badge per person')
  assert.match(badges.text, /代表/, 'the category band')
  const pdfSize = execFileSync('pdfinfo', [badges.path]).toString()
  assert.match(pdfSize, /Page size:\s+288 x 216 pts/, 'the 4×3 layout chosen on the participants page')
  assert.match(execFileSync('pdfimages', ['-list', badges.path]).toString(), /\b24\s+16\b/, 'the logo (24×16) on the badges')
  await until(async () => (await callApi(server, 'RosterService/List', { limit: 500 })).items.every((p) => p.badgePrinted > 0), 'every badge marked printed')

  // The session, in the form: six slots, eight tables, from 14:00 on the event day.
  await page.goto(server.url + '/#/match')
  await page.getByText('场次设置', { exact: true }).click()
  await page.getByTestId('ms-start').locator('input').waitFor()
  assert.equal(await page.getByTestId('ms-start').locator('input').inputValue(), '2027-09-09 14:00')
  await page.getByTestId('ms-slots').locator('input').fill('6')
  await page.getByTestId('ms-tables').locator('input').fill('8')
  await page.getByTestId('ms-save').click()
  await page.getByTestId('ms-saved').filter({ hasText: '2027-09-09 14:00' }).waitFor()

  // Wishes collected before the day: 24 already agreed, one not yet answered.
  const pairs = []
  for (let i = 0; i < 12; i++) pairs.push([roster[i], roster[12 + i]], [roster[i], roster[24 + i]])
  const rows = pairs.map(([a, b]) => `${a.name},${a.org},${b.name},${b.org},希望,技术合作,已接受`)
  const open = [roster[40], roster[41]]
  rows.push(`${open[0].name},${open[0].org},${open[1].name},${open[1].org},必须,联合申报,`)
  const csv = '发起人,发起单位,对接对象,对象单位,优先级,洽谈主题,状态\n' + rows.join('\n') + '\n'
  await page.getByText(/^洽谈请求 \(\d+\)$/).click()
  await page.getByTestId('import-requests').setInputFiles({ name: '洽谈意向.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByTestId('requests-report').waitFor()
  await until(async () => (await callApi(server, 'RequestService/List')).length === 25, '25 requests')
  // The unanswered one is listed first, and found by typing a name; it is accepted on screen.
  await page.locator('tbody tr').first().filter({ hasText: open[0].name }).filter({ hasText: '待确认' }).waitFor()
  await page.getByTestId('requests-filter').locator('input').fill(`${open[0].name} ${open[1].name}`)
  await page.getByTestId('requests-shown').filter({ hasText: '1 / 25 条' }).waitFor()
  await page.locator('tr').filter({ hasText: open[0].name }).filter({ hasText: open[1].name }).getByRole('button', { name: '接受' }).click()
  await until(async () => (await callApi(server, 'RequestService/List')).every((r) => r.status === 'accepted'), 'all 25 accepted')

  // 一键排程: the draft is shown in the grid, marked, and nothing is published yet.
  await page.getByText('洽谈桌 × 时段', { exact: true }).click()
  await page.getByTestId('schedule-all').click()
  await page.getByTestId('draft').waitFor()
  assert.match(await page.getByTestId('draft-changes').innerText(), /新增 25 场 · 调整 0 场 · 取消 0 场 · 不变 0 场/)
  await page.locator('[data-testid="grid"][data-draft="yes"]').waitFor()
  assert.equal(await page.locator('[data-testid="meeting"][data-draft="new"]').count(), 25)
  assert.equal((await callApi(server, 'MatchService/Meetings')).length, 0, 'a draft publishes nothing')
  await page.screenshot({ path: join(artifacts, 'e2e-organizer-draft.png') })

  // One person's day, from the draft.
  const who = roster[0]
  await page.getByText('个人日程', { exact: true }).click()
  await page.getByTestId('agenda-person').locator('input').fill(who.name)
  await page.locator('.n-base-select-option').filter({ hasText: who.org }).first().click()
  await page.getByTestId('agenda-draft-note').waitFor()
  await until(async () => (await page.getByTestId('agenda-row').count()) === 2, 'two meetings in the draft day')
  assert.ok(await page.getByTestId('print-agenda').isDisabled(), 'nothing published to print yet')
  await page.screenshot({ path: join(artifacts, 'e2e-organizer-agenda-draft.png') })

  // Publish from the grid.
  await page.getByText('洽谈桌 × 时段', { exact: true }).click()
  await page.getByTestId('publish').click()
  await page.locator('[data-testid="grid"][data-draft="no"]').waitFor()
  const meetings = await callApi(server, 'MatchService/Meetings')
  assert.equal(meetings.length, 25)
  assert.equal(meetings.filter((m) => m.conflicts.length).length, 0)
  assert.equal(await callApi(server, 'MatchService/Draft'), null)

  // The published day, on screen and as one page.
  await page.getByText('个人日程', { exact: true }).click()
  await page.getByTestId('agenda-draft-note').waitFor({ state: 'hidden' })
  assert.equal(await page.getByTestId('agenda-row').count(), 2)
  download = page.waitForEvent('download')
  await page.getByTestId('print-agenda').click()
  const agenda = await readPdf(await download, 'e2e-organizer-agenda.pdf')
  assert.equal(agenda.pages, 1)
  for (const want of [who.name, '2027年9月9日', '共 2 场洽谈']) assert.ok(agenda.text.includes(want), `the agenda says ${want}`)
  execFileSync('pdftoppm', ['-r', '60', '-png', '-singlefile', agenda.path, join(artifacts, 'e2e-organizer-agenda')])

  // Decline one pair and schedule again: the draft says what it drops.
  await page.getByText(/^洽谈请求 \(\d+\)$/).click()
  await page.getByTestId('requests-filter').locator('input').fill(`${open[1].name} ${open[0].name}`)
  await page.getByTestId('requests-shown').filter({ hasText: '1 / 25 条' }).waitFor()
  await page.locator('tr').filter({ hasText: open[0].name }).filter({ hasText: open[1].name }).getByRole('button', { name: '拒绝' }).click()
  await until(async () => (await callApi(server, 'RequestService/List')).some((r) => r.status === 'declined'), 'the decline')
  await page.getByText('洽谈桌 × 时段', { exact: true }).click()
  await page.getByTestId('schedule-all').click()
  await page.getByTestId('draft-changes').filter({ hasText: '取消 1 场' }).waitFor()
  assert.match(await page.getByTestId('draft-changes').innerText(), /新增 0 场/)
  await page.screenshot({ path: join(artifacts, 'e2e-organizer-redraft.png') })
  await page.getByTestId('discard-draft').click()
  await page.locator('[data-testid="grid"][data-draft="no"]').waitFor()
  assert.equal((await callApi(server, 'MatchService/Meetings')).length, 25, 'discarding changes nothing')

  // Moving the session an hour later warns about the published meetings first.
  await page.getByText('场次设置', { exact: true }).click()
  const start = page.getByTestId('ms-start').locator('input')
  await start.fill('2027-09-09 15:00')
  await start.press('Enter')
  await page.getByTestId('ms-save').click()
  const warning = page.locator('.n-dialog').filter({ hasText: '25 场已发布的洽谈会改变时间' })
  await warning.waitFor()
  await page.screenshot({ path: join(artifacts, 'e2e-organizer-session-warning.png') })
  await warning.getByRole('button', { name: '取消' }).click()
  await warning.waitFor({ state: 'hidden' })
  assert.equal((await callApi(server, 'MatchService/Session')).slots[0].start, '2027-09-09T14:00:00+08:00')
  assert.deepEqual(pageErrors, [], 'no script errors on the way')
})
