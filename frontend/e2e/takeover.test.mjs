import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { appPage, artifacts, callApi, launch, openPractice, startServer, until } from './helpers.mjs'

let hub, desk1, desk2, browser

after(async () => {
  await browser?.close()
  for (const s of [hub, desk1, desk2]) s?.stop()
})

// The hub laptop dies mid-morning. On desk 1 the organizer opens 会场网络,
// presses 接替主控机 and types 接替; desk 2 follows by itself (nobody touches
// it) and its check-in reaches the new hub.
test('a desk takes over as hub in the screens and the other desk follows without pairing', async () => {
  ;[hub, desk1, desk2] = await Promise.all([startServer(), startServer(), startServer()])
  browser = await launch()
  const hubPage = await appPage(browser, hub, { viewport: { width: 1400, height: 900 } })
  await openPractice(hubPage, hub)
  await hubPage.goto(hub.url + '/#/network')
  await hubPage.locator('input[placeholder=":8443"]').fill('127.0.0.1:0')
  await hubPage.getByTestId('start-hub').click()

  const pages = []
  let previous = ''
  for (const [i, desk] of [desk1, desk2].entries()) {
    await hubPage.getByTestId('code-station').click()
    // A new code each time: wait for the page to show it, not the last one (spent).
    let link = ''
    await until(async () => {
      link = await hubPage.getByTestId('pairing-link').innerText().catch(() => '')
      return link !== '' && link !== previous
    }, 'a new pairing link on the hub')
    previous = link
    const page = await appPage(browser, desk, { viewport: { width: 1400, height: 900 } })
    await page.goto(desk.url + '/#/network')
    await page.getByTestId('pairing').locator('input').fill(link)
    await page.getByPlaceholder('本机名称').fill(`签到台${i + 1}`)
    await page.getByRole('button', { name: '加入' }).click()
    await until(async () => (await page.getByTestId('net-role').innerText().catch(() => '')) === '分站', `desk ${i + 1} joined`, 60000)
    pages.push(page)
  }
  // Both desks hold the hub's signed list naming both.
  for (const desk of [desk1, desk2]) {
    await until(async () => (await callApi(desk, 'NetworkService/Status')).successors === 2, 'the succession list', 30000)
  }
  await pages[0].getByTestId('successors').filter({ hasText: '2 台签到台可以接替' }).waitFor()

  // A guest at desk 2, with the scanner, before the loss; then the hub dies.
  const guest = (await callApi(hub, 'RosterService/List', { limit: 3 })).items[2]
  const code = await callApi(hub, 'CheckinService/BadgeCode', guest.id)
  await pages[1].goto(desk2.url + '/#/desk')
  await pages[1].getByTestId('scan-field').locator('input').waitFor()
  await pages[1].keyboard.type(code, { delay: 4 })
  await pages[1].keyboard.press('Enter')
  await pages[1].locator('[data-result="ok"]').waitFor()
  hub.kill()
  await until(async () => hub.proc.exitCode !== null || hub.proc.signalCode !== null, 'the hub to die')

  // Desk 1 takes over in its screens.
  await pages[0].goto(desk1.url + '/#/network')
  await pages[0].getByTestId('promote-open').click()
  await pages[0].getByTestId('promote-confirm').locator('input').fill('接替')
  await pages[0].screenshot({ path: join(artifacts, 'e2e-takeover-confirm.png') })
  await pages[0].getByRole('button', { name: '接替主控机' }).last().click()
  await until(async () => (await pages[0].getByTestId('net-role').innerText().catch(() => '')) === '主控机', 'desk 1 is the hub')

  // Desk 2 follows on its own: online again, and its check-in is on desk 1.
  await until(async () => (await callApi(desk2, 'NetworkService/Status')).online, 'desk 2 online with the new hub', 60000)
  await until(async () => (await callApi(desk1, 'CheckinService/Dashboard')).arrived === 1, "desk 2's check-in on the new hub", 30000)
  const s2 = await callApi(desk2, 'NetworkService/Status')
  const s1 = await callApi(desk1, 'NetworkService/Status')
  assert.equal(s2.fingerprint, s1.fingerprint, 'desk 2 now trusts desk 1')
  await pages[1].goto(desk2.url + '/#/network')
  await pages[1].getByTestId('net-online').filter({ hasText: '在线' }).waitFor()
  await pages[0].screenshot({ path: join(artifacts, 'e2e-takeover-hub.png') })
  await pages[1].screenshot({ path: join(artifacts, 'e2e-takeover-follower.png') })
})
