import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { appPage, artifacts, callApi, freshEventWithPeople, launch, startServer, until, zipEntry } from './helpers.mjs'

let server, browser

after(async () => {
  await browser?.close()
  server?.stop()
})

// The record of the day and the Excel loop, on a fresh event made in the
// screens: three people scan in at the desk; the summary workbook holds
// 签到明细 with them (when, which desk, how); the participant list exported
// from the screen (masked, the default) imports back into the same event
// as 188 unchanged people — nothing refused, nothing duplicated.
test('records: check-in detail in the summary workbook, and the app’s own export re-imports', async () => {
  server = await startServer()
  browser = await launch()
  const page = await appPage(browser, server, { viewport: { width: 1360, height: 900 }, acceptDownloads: true })
  await freshEventWithPeople(page, server, '深度行·日照站', '2027-10-12')
  const people = (await callApi(server, 'RosterService/List', { limit: 3 })).items

  await page.goto(server.url + '/#/desk')
  await page.getByTestId('scan-field').locator('input').waitFor()
  for (const p of people) {
    const code = await callApi(server, 'CheckinService/BadgeCode', p.id) // what the printed badge carries
    await page.keyboard.type(code, { delay: 4 })
    await page.keyboard.press('Enter')
    await page.getByTestId('answer-name').filter({ hasText: p.name }).waitFor()
  }

  await page.goto(server.url + '/#/summary')
  let download = page.waitForEvent('download')
  await page.getByTestId('summary-xlsx').click()
  let path = join(artifacts, 'e2e-records-summary.xlsx')
  await (await download).saveAs(path)
  const book = readFileSync(path)
  const sheets = zipEntry(book, 'xl/workbook.xml')
  for (const s of ['签到明细', '洽谈明细', '签约项目']) assert.ok(sheets.includes(`name="${s}"`), `the workbook has ${s}`)
  const strings = zipEntry(book, 'xl/sharedStrings.xml')
  for (const p of people) assert.ok(strings.includes(p.name), `签到明细 names ${p.name}`)
  assert.ok(strings.includes('扫码'), 'how they checked in')

  await page.goto(server.url + '/#/participants')
  await page.getByRole('button', { name: '导出' }).click()
  download = page.waitForEvent('download')
  await page.locator('.n-dropdown-option').first().click()
  path = join(artifacts, 'e2e-records-roster.xlsx')
  await (await download).saveAs(path)
  assert.match(zipEntry(readFileSync(path), 'xl/worksheets/sheet1.xml'), /1\d\d\*\*\*\*\d{4}/, 'mobiles are masked')

  await page.getByTestId('import-open').click()
  await page.getByTestId('import-file').setInputFiles(path)
  await page.getByTestId('import-detected').waitFor()
  await page.getByTestId('import-run').click()
  await page.getByTestId('import-summary').waitFor()
  await page.screenshot({ path: join(artifacts, 'e2e-records-reimport.png') })
  const stat = async (id) => Number((await page.getByTestId(id).locator('.n-statistic-value__content').innerText()).trim())
  assert.equal(await stat('sum-unchanged'), 188)
  assert.equal(await stat('sum-imported'), 0)
  assert.equal(await stat('sum-updated'), 0)
  assert.equal(await stat('sum-rejected'), 0)
  await until(async () => (await callApi(server, 'RosterService/List', { limit: 1 })).total === 188, '188 people, none added')
})
