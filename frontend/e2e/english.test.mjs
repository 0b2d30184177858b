import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { appPage, artifacts, callApi, launch, repo, startServer, until } from './helpers.mjs'

let server, browser

after(async () => {
  await browser?.close()
  server?.stop()
})

const registrations = join(repo, 'app', 'importer', 'testdata', 'participants-gbk.csv')
// The cells of the file the organizer imports are data too (its headers and samples show while mapping).
// Columns holding the product's own words (a role, a priority, a status)
// are not data: the page must show those in English.
const wordColumns = ['参会类型', '优先级', '状态']
// The column mapping shows a file's own cells as samples, all of them data there.
const cellsOf = (text, words = false) => {
  const rows = text.split(/\r?\n/).map((l) => l.split(',').map((c) => c.trim()))
  const header = rows.findIndex((r) => r.some((c) => wordColumns.includes(c) || c === '姓名' || c === '发起人'))
  const skip = new Set(words ? [] : rows[header].flatMap((c, i) => (wordColumns.includes(c) ? [i] : [])))
  return rows.flatMap((r, n) => (n === header ? r : r.filter((_, i) => !skip.has(i)))).filter(Boolean)
}
const registrationText = new TextDecoder('gbk').decode(readFileSync(registrations))
const fileCells = cellsOf(registrationText)

const han = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}\u3000-\u303f\uff00-\uffef]/u

/**
 * Every string a person put into the event (names, organizations, the
 * event's own name, topics): these stay as typed and may be Chinese. Read
 * through the API, only to assert.
 */
async function dataValues(extra = []) {
  const out = new Set([...fileCells, ...extra])
  const walk = (v) => {
    if (typeof v === 'string') out.add(v)
    else if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object') Object.values(v).forEach(walk)
  }
  walk((await callApi(server, 'EventService/Current'))?.event)
  walk((await callApi(server, 'RosterService/List', { limit: 1000 })).items)
  walk(await callApi(server, 'RequestService/List'))
  walk(await callApi(server, 'EventService/Recent'))
  return [...out].filter((s) => han.test(s)).sort((a, b) => b.length - a.length)
}

/** Fails with the snippets when the visible page says anything in Chinese that is not data. */
async function noChinese(page, where, extraData = []) {
  await page.waitForLoadState('networkidle')
  let text = await page.evaluate(() => document.body.innerText)
  for (const v of await dataValues(extraData)) text = text.split(v).join(' ')
  // The language switch names the other language in that language.
  text = text.split('中文').join(' ')
  const left = text.split('\n').filter((l) => han.test(l))
  await page.screenshot({ path: join(artifacts, `e2e-english-${where}.png`), fullPage: true })
  assert.deepEqual(left, [], `Chinese left on the ${where} screen`)
}

// Journey (f): the organizer's journey of organizer.test.mjs with the page
// switched to English. Data the organizer imports stays as it was written;
// every label, report, warning and server sentence on the way is English.
test('organizer in English: no Chinese on the screens but the data', async () => {
  server = await startServer()
  browser = await launch()
  const page = await appPage(browser, server, { viewport: { width: 1440, height: 900 }, acceptDownloads: true })
  const pageErrors = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await page.getByTestId('lang-switch').click()
  await page.getByTestId('lang-switch').filter({ hasText: '中文' }).waitFor()

  // A fresh event, its registrations imported from the messy GBK file.
  await page.goto(server.url + '/#/events')
  await noChinese(page, 'events')
  await page.getByTestId('ev-name').locator('input').fill('Deep-dive Weifang')
  const start = page.getByTestId('ev-start').locator('input')
  await start.fill('2027-09-09')
  await start.press('Enter')
  await page.getByTestId('ev-create').click()
  await page.getByTestId('event-name').filter({ hasText: 'Deep-dive Weifang' }).waitFor()
  await page.getByTestId('import-open').click()
  await page.getByTestId('import-file').setInputFiles(registrations)
  await page.getByTestId('import-detected').waitFor()
  await noChinese(page, 'import-mapping', cellsOf(registrationText, true))
  await page.getByTestId('import-run').click()
  await page.getByTestId('import-summary').waitFor()
  await noChinese(page, 'import-report')
  await page.keyboard.press('Escape')

  // The overview, and a logo that is not a picture.
  await page.goto(server.url + '/#/')
  await page.getByTestId('logo-pick').waitFor()
  await page.getByTestId('logo-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') })
  await page.getByText('The logo should be a PNG or JPEG picture').waitFor()
  await noChinese(page, 'overview')

  // Participants, and the badges in 4×3.
  await page.goto(server.url + '/#/participants')
  await page.getByTestId('badge-layout').click()
  await page.locator('.n-base-select-option').filter({ hasText: '4×3' }).click()
  await noChinese(page, 'participants')
  const roster = (await callApi(server, 'RosterService/List', { limit: 500 })).items

  // The session in the form.
  await page.goto(server.url + '/#/match')
  await page.getByText('Session setup', { exact: true }).click()
  await page.getByTestId('ms-slots').locator('input').fill('6')
  await page.getByTestId('ms-tables').locator('input').fill('8')
  await page.getByTestId('ms-save').click()
  await page.getByTestId('ms-saved').filter({ hasText: '2027-09-09 14:00' }).waitFor()
  await noChinese(page, 'session')

  // The wishes, one row of them broken.
  const pairs = []
  for (let i = 0; i < 12; i++) pairs.push([roster[i], roster[12 + i]], [roster[i], roster[24 + i]])
  const rows = pairs.map(([a, b]) => `${a.name},${a.org},${b.name},${b.org},希望,技术合作,已接受`)
  rows.push(`无此人,无此单位,${roster[1].name},${roster[1].org},希望,技术合作,`)
  const csv = '发起人,发起单位,对接对象,对象单位,优先级,洽谈主题,状态\n' + rows.join('\n') + '\n'
  fileCells.push(...cellsOf(csv))
  await page.getByText(/^Meeting requests \(\d+\)$/).click()
  await page.getByTestId('import-requests').setInputFiles({ name: 'wishes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByTestId('requests-report').waitFor()
  await until(async () => (await callApi(server, 'RequestService/List')).length === 24, '24 requests')
  await noChinese(page, 'requests')

  // Schedule all: the draft in the grid, then one person's day.
  await page.getByText('Tables × slots', { exact: true }).click()
  await page.getByTestId('schedule-all').click()
  await page.getByTestId('draft').waitFor()
  await noChinese(page, 'draft')
  const who = roster[0]
  await page.getByText("One person's day", { exact: true }).click()
  await page.getByTestId('agenda-person').locator('input').fill(who.name)
  await page.locator('.n-base-select-option').filter({ hasText: who.org }).first().click()
  await page.getByTestId('agenda-draft-note').waitFor()
  await noChinese(page, 'agenda')

  // Publish, then move the session and be warned.
  await page.getByText('Tables × slots', { exact: true }).click()
  await page.getByTestId('publish').click()
  await page.locator('[data-testid="grid"][data-draft="no"]').waitFor()
  await noChinese(page, 'published')
  await page.getByText('Session setup', { exact: true }).click()
  const field = page.getByTestId('ms-start').locator('input')
  await field.fill('2027-09-09 15:00')
  await field.press('Enter')
  await page.getByTestId('ms-save').click()
  const warning = page.locator('.n-dialog').filter({ hasText: 'published meetings will change time' })
  await warning.waitFor()
  await noChinese(page, 'session-warning')
  await warning.getByRole('button', { name: 'Cancel' }).click()

  // The desk: a name and Enter, the same again, and a product barcode.
  const guest = roster[7]
  await page.goto(server.url + '/#/desk')
  const scan = page.getByTestId('scan-field').locator('input')
  await scan.waitFor()
  await page.keyboard.type(guest.name, { delay: 4 })
  await page.keyboard.press('Enter')
  await page.locator('[data-result="ok"]').waitFor()
  assert.equal(await page.getByTestId('answer-msg').innerText(), `Welcome, ${guest.name}!`)
  await noChinese(page, 'desk-welcome')
  await page.keyboard.type(guest.name, { delay: 4 })
  await page.keyboard.press('Enter')
  await page.locator('[data-result="duplicate"]').waitFor()
  assert.match(await page.getByTestId('answer-msg').innerText(), /checked in already, at \d\d:\d\d at desk 1/)
  await page.keyboard.type('FZ1.EOTHER2027.P0001.1.ABCDEFGHIJKLMNOP', { delay: 4 })
  await page.keyboard.press('Enter')
  await page.getByTestId('answer-msg').filter({ hasText: 'This badge is for another event (EOTHER2027)' }).waitFor()
  await noChinese(page, 'desk-foreign')

  // The programme: a session typed with a wrong time, corrected; the board.
  await page.goto(server.url + '/#/programme')
  await page.getByTestId('prog-add').click()
  const form = page.getByTestId('prog-form')
  await form.getByTestId('prog-title').locator('input').fill('Opening keynote')
  await form.getByTestId('prog-start').locator('input').fill('2027-09-09T09:00')
  await form.getByTestId('prog-end').locator('input').fill('ten o\'clock')
  await form.getByTestId('prog-save').click()
  await page.getByText('Write the start and end like "2026-05-20T09:30"').waitFor()
  await noChinese(page, 'programme-form')
  await form.getByTestId('prog-end').locator('input').fill('2027-09-09T10:00')
  await form.getByTestId('prog-save').click()
  await page.getByTestId('prog-session-title').filter({ hasText: 'Opening keynote' }).waitFor()
  await noChinese(page, 'programme')
  await page.goto(server.url + '/#/programme-board')
  await page.getByTestId('pboard-next').first().waitFor()
  await noChinese(page, 'programme-board')
  assert.deepEqual(pageErrors, [], 'no script errors on the way')
})
