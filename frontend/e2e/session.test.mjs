import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { appPage, artifacts, callApi, freshEventWithPeople, launch, startServer, until } from './helpers.mjs'

let server, browser

after(async () => {
  await browser?.close()
  server?.stop()
})

// On a fresh event, made in the screens: the session form starts on the
// event's own day (not a date of its own), shows what was saved, and a
// change that would expire requests says so, with the number, before it
// is saved; cancelling saves nothing.
test('the matchmaking session is set up in the form on the event day, and a harmful change warns first', async () => {
  server = await startServer()
  browser = await launch()
  const page = await appPage(browser, server, { viewport: { width: 1360, height: 900 } })
  await freshEventWithPeople(page, server, '深度行·烟台站', '2027-06-18')

  await page.goto(server.url + '/#/match')
  await page.getByText('场次设置', { exact: true }).click()
  const start = page.getByTestId('ms-start').locator('input')
  await start.waitFor()
  assert.equal(await start.inputValue(), '2027-06-18 14:00')
  await page.getByTestId('ms-slots').locator('input').fill('8')
  await page.getByTestId('ms-tables').locator('input').fill('12')
  await page.getByTestId('ms-save').click()
  await page.getByTestId('ms-saved').filter({ hasText: '2027-06-18 14:00' }).waitFor()
  const saved = await callApi(server, 'MatchService/Session')
  assert.equal(saved.slots.length, 8)
  assert.equal(saved.tables.length, 12)
  assert.equal(saved.slots[0].start, '2027-06-18T14:00:00+08:00')

  // Three wishes nobody answered yet, imported in the screens.
  const people = (await callApi(server, 'RosterService/List', { limit: 6 })).items
  await page.getByText(/^洽谈请求 \(\d+\)$/).click()
  const csv = '发起人,发起单位,对接对象,对象单位\n' + [0, 2, 4].map((i) => `${people[i].name},${people[i].org},${people[i + 1].name},${people[i + 1].org}`).join('\n') + '\n'
  await page.getByTestId('import-requests').setInputFiles({ name: '洽谈意向.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByTestId('requests-report').waitFor()
  await until(async () => (await callApi(server, 'RequestService/List')).length === 3, 'three requests')

  // A deadline already past would expire them: the form says so first.
  await page.getByText('场次设置', { exact: true }).click()
  const deadline = page.getByTestId('ms-deadline').locator('input')
  await deadline.fill('2026-01-05 09:00')
  await deadline.press('Enter')
  await page.getByTestId('ms-save').click()
  const warning = page.locator('.n-dialog').filter({ hasText: '3 个尚未确认的洽谈请求会立即过期' })
  await warning.waitFor()
  await page.screenshot({ path: join(artifacts, 'e2e-session-warning.png') })
  await warning.getByRole('button', { name: '取消' }).click()
  await warning.waitFor({ state: 'hidden' })
  assert.equal((await callApi(server, 'MatchService/Session')).requestDeadline ?? '', '')
  assert.ok((await callApi(server, 'RequestService/List')).every((r) => r.status === 'requested'))

  // Saved on purpose, it does what it said.
  await page.getByTestId('ms-save').click()
  await warning.waitFor()
  await warning.getByRole('button', { name: '仍然保存' }).click()
  await until(async () => ((await callApi(server, 'MatchService/Session')).requestDeadline ?? '').startsWith('2026-01-05T09:00'), 'the deadline saved')
})
