import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { appPage, artifacts, launch, startServer, callApi, until, openPractice } from './helpers.mjs'

// Two machines, each its own `fuzhi serve`: the organizer's hub and a
// matchmaking station. Everything is done in their screens.
let hub, station, browser, hubPage, stationPage

before(async () => {
  ;[hub, station] = await Promise.all([startServer(), startServer()])
  browser = await launch()
  hubPage = await appPage(browser, hub, { viewport: { width: 1400, height: 900 } })
  stationPage = await appPage(browser, station, { viewport: { width: 1400, height: 900 } })
  await openPractice(hubPage, hub)
})
after(async () => {
  await browser?.close()
  hub?.stop()
  station?.stop()
})

// Picks an option of a select. Only a searchable select gets the text typed:
// in a plain one the space of "1 号桌" is a key that closes the menu.
async function pick(page, testid, text, { search = false } = {}) {
  await page.getByTestId(testid).click()
  if (search) await page.keyboard.type(text)
  await page.locator('.n-base-select-option:visible', { hasText: text }).first().click()
}

test('a station proposes a move; the hub refuses one that breaks a rule, and the station sees why', async () => {
  // The hub: a small session and two meetings agreed on the spot at table 1.
  await hubPage.goto(hub.url + '/#/match')
  await hubPage.getByText('场次设置', { exact: true }).click()
  await hubPage.getByTestId('ms-start').locator('input').fill('2026-05-20 14:00')
  await hubPage.getByTestId('ms-slots').locator('input').fill('3')
  await hubPage.getByTestId('ms-tables').locator('input').fill('3')
  await hubPage.getByTestId('ms-save').click()
  await until(async () => (await callApi(hub, 'MatchService/Session')).slots.length === 3, 'the session saved')
  const smes = (await callApi(hub, 'RosterService/List', { role: 'sme', limit: 2 })).items
  const unis = (await callApi(hub, 'RosterService/List', { role: 'university', limit: 2 })).items
  await hubPage.getByText('洽谈桌 × 时段', { exact: true }).click()
  for (const [i, slot] of ['S01', 'S02'].entries()) {
    await hubPage.getByTestId('spontaneous').click()
    await pick(hubPage, 'sp-from', smes[i].name, { search: true })
    await pick(hubPage, 'sp-to', unis[i].name, { search: true })
    await pick(hubPage, 'sp-slot', slot)
    await pick(hubPage, 'sp-table', '1 号桌')
    await hubPage.getByTestId('sp-save').click()
    await until(async () => (await callApi(hub, 'MatchService/Meetings')).length === i + 1, 'the meeting added')
  }
  const [a, b] = await callApi(hub, 'MatchService/Meetings')

  // The hub listens; the station pairs with the link the hub shows.
  await hubPage.goto(hub.url + '/#/network')
  await hubPage.locator('input[placeholder=":8443"]').fill('127.0.0.1:0')
  await hubPage.getByTestId('start-hub').click()
  await hubPage.getByTestId('code-station').click()
  const link = await hubPage.getByTestId('pairing-link').innerText()
  await stationPage.goto(station.url + '/#/network')
  await stationPage.getByTestId('pairing').locator('input').fill(link)
  await stationPage.getByRole('button', { name: '加入' }).click()
  await until(async () => (await stationPage.getByTestId('net-role').innerText().catch(() => '')) === '分站', 'the station joined')

  // On the station, drag the S02 meeting onto table 1 at S01, where the other one is.
  await stationPage.goto(station.url + '/#/match')
  await stationPage.locator(`[data-testid="meeting"][data-id="${b.id}"]`).dragTo(stationPage.locator(`td[data-cell="${a.table}|${a.slot}"]`))
  await stationPage.getByText('已作为建议发送给主控机').waitFor()
  await until(async () => (await callApi(station, 'NetworkService/Proposals')).some((p) => p.status === 'refused'), 'the hub\'s answer on the station')
  await stationPage.getByText(/^调整建议 \(\d+\)$/).click()
  const row = stationPage.getByTestId('proposals').locator('tbody tr').first()
  await until(async () => /已拒绝/.test(await row.innerText()), 'the refusal on screen')
  assert.match(await row.innerText(), /1 号桌 在同一时段有两场洽谈/)
  await stationPage.screenshot({ path: join(artifacts, 'e2e-station-proposal-refused.png') })
  // Nothing moved, on either machine.
  for (const m of [...(await callApi(hub, 'MatchService/Meetings')), ...(await callApi(station, 'MatchService/Meetings'))]) {
    if (m.id === b.id) assert.equal(m.slot, 'S02')
  }
})
