import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { appPage, artifacts, callApi, freshEventWithPeople, launch, startServer, until } from './helpers.mjs'

let server, browser

after(async () => {
  await browser?.close()
  server?.stop()
})

// The service dies mid-shift and comes back without --event: the desk
// page says so while it is gone (not a toast that fades), and on its
// return it is on the same event, so the next real badge is green.
test('the desk survives fuzhi serve being killed and restarted mid-shift', async () => {
  server = await startServer()
  browser = await launch()
  const page = await appPage(browser, server, { viewport: { width: 1360, height: 900 } })

  // A fresh event, made in the screens, with people imported from a file.
  await freshEventWithPeople(page, server, '深度行·威海站', '2026-06-18')

  const people = (await callApi(server, 'RosterService/List', { limit: 3 })).items
  const codes = await Promise.all(people.map((p) => callApi(server, 'CheckinService/BadgeCode', p.id)))
  await page.goto(server.url + '/#/desk')
  const field = page.getByTestId('scan-field').locator('input')
  await field.waitFor()
  const scan = async (code) => {
    await field.focus()
    await page.keyboard.type(code, { delay: 4 })
    await page.keyboard.press('Enter')
  }
  await scan(codes[0])
  await page.locator('[data-result="ok"]').waitFor()

  // Killed: the page says so and keeps saying so.
  const { data, port } = server
  server.kill()
  await until(async () => server.proc.exitCode !== null || server.proc.signalCode !== null, 'the server to die')
  await scan(codes[1])
  await page.getByTestId('disconnected').waitFor()
  assert.match(await page.getByTestId('disconnected').innerText(), /连接已断开/)
  await page.screenshot({ path: join(artifacts, 'e2e-desk-disconnected.png') })

  // Back, started with no event named: the same event, the banner gone.
  server = await startServer([], { data, port })
  await page.getByTestId('disconnected').waitFor({ state: 'hidden', timeout: 30000 })
  assert.match(await page.getByTestId('event-name').innerText(), /威海站/)
  assert.equal((await callApi(server, 'EventService/Current')).event.name, '深度行·威海站')
  await scan(codes[1])
  await page.locator('[data-result="ok"]').waitFor().catch(async (e) => {
    await page.screenshot({ path: join(artifacts, 'e2e-restart-fail.png') })
    throw e
  })
  assert.match(await page.getByTestId('answer-name').innerText(), new RegExp(people[1].name))
})
