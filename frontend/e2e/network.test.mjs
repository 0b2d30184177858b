import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { appPage, artifacts, launch, startServer, callApi, until, freshEventWithPeople, zipEntry } from './helpers.mjs'

let server, browser, page

const call = (path, ...args) => callApi(server, path, ...args)

before(async () => {
  server = await startServer()
  browser = await launch()
  page = await appPage(browser, server, { viewport: { width: 1400, height: 900 } })
  // Journey (d) starts from a fresh event: created and filled in the screens.
  await freshEventWithPeople(page, server, '深度行·烟台站', '2027-10-10')
})
after(async () => {
  await browser?.close()
  server?.stop()
})

// An exhibitor's phone: its own browser, which accepts the hub's self-signed certificate.
async function exhibitorPhone(link) {
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true, viewport: { width: 390, height: 800 } })
  const phone = await ctx.newPage()
  await phone.goto(link)
  await phone.getByTestId('x-who').waitFor()
  return phone
}

async function scanAtBooth(phone, code) {
  await phone.getByTestId('x-scan').fill(code)
  await phone.getByTestId('x-scan').press('Enter')
  await until(async () => /已记录|已更新|已保存/.test(await phone.getByTestId('x-answer').innerText().catch(() => '')), 'lead answer')
}

// The organizer picks the exhibitor on the network page and makes a code
// for their phone, as at the booth.
async function pairingLinkFor(person) {
  await page.getByTestId('exhibitor-select').click()
  await page.keyboard.type(person.name)
  await page.locator('.n-base-select-option', { hasText: person.name }).first().click()
  const before = await page.getByTestId('pairing-link').innerText().catch(() => '')
  await page.getByTestId('code-exhibitor').click()
  await until(async () => {
    const now = await page.getByTestId('pairing-link').innerText().catch(() => '')
    return now !== '' && now !== before
  }, 'a new pairing link')
  return page.getByTestId('pairing-link').innerText()
}

test('the hub pairs an exhibitor phone, which records leads, sees only its own and downloads them', async () => {
  await page.goto(server.url + '/#/network')
  await page.getByTestId('net-role').waitFor()
  assert.equal(await page.getByTestId('net-role').innerText(), '单机')
  await page.locator('input[placeholder=":8443"]').fill('127.0.0.1:0')
  await page.getByTestId('start-hub').click()
  await page.getByTestId('hub-address').waitFor()
  assert.equal(await page.getByTestId('net-role').innerText(), '主控机')

  const [ex1, ex2] = (await call('RosterService/List', { role: 'enterprise', limit: 2 })).items
  const [v1, v2] = (await call('RosterService/List', { role: 'sme', limit: 2 })).items
  const link = await pairingLinkFor(ex1)
  assert.match(link, /^https:\/\/.+\/x\/#code=[A-Z2-7]{13}$/)
  await page.screenshot({ path: join(artifacts, 'e2e-network-hub.png') })

  const phone1 = await exhibitorPhone(link)
  assert.match(await phone1.getByTestId('x-who').innerText(), new RegExp(ex1.name))
  // The code is spent: opening the same link elsewhere does not pair again.
  const thief = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage()
  await thief.goto(link)
  await thief.getByTestId('x-error').waitFor()
  assert.match(await thief.getByTestId('x-error').innerText(), /配对码无效、已过期或已被使用/)

  await scanAtBooth(phone1, await call('CheckinService/BadgeCode', v1.id))
  await phone1.getByTestId('x-stars').getByRole('button', { name: '4 星' }).click()
  await phone1.getByTestId('x-note').fill('关注激光焊接，下周回访')
  await phone1.getByTestId('x-save').click()
  await until(async () => /关注激光焊接/.test(await phone1.getByTestId('x-leads').innerText()), 'note in the list')
  await phone1.screenshot({ path: join(artifacts, 'e2e-exhibitor-phone.png') })

  // A second exhibitor keeps its own visitor.
  const phone2 = await exhibitorPhone(await pairingLinkFor(ex2))
  await scanAtBooth(phone2, await call('CheckinService/BadgeCode', v2.id))
  await phone1.reload()
  await phone1.getByTestId('x-who').waitFor()
  await until(async () => (await phone1.getByTestId('x-lead').count()) === 1, 'one lead on phone 1')
  assert.doesNotMatch(await phone1.getByTestId('x-leads').innerText(), new RegExp(v2.name))
  assert.equal((await call('NetworkService/Leads')).length, 2)

  const download = phone1.waitForEvent('download')
  await phone1.getByTestId('x-download').click()
  const file = await download
  assert.equal(file.suggestedFilename(), '展位线索.xlsx')
  const bytes = readFileSync(await file.path())
  assert.equal(bytes.subarray(0, 2).toString(), 'PK')
  // The times in the sheet are the venue's clock, not raw RFC 3339.
  const strings = zipEntry(bytes, 'xl/sharedStrings.xml')
  assert.match(strings, /<t>\d{4}-\d\d-\d\d \d\d:\d\d<\/t>/)
  assert.doesNotMatch(strings, /T\d\d:\d\d:\d\d/)

  // The network page shows when each phone was last heard from.
  await page.goto(server.url + '/#/network')
  await until(async () => {
    const rows = await page.getByTestId('peers').locator('tbody tr').allInnerTexts()
    return rows.length === 2 && rows.every((r) => /\d\d:\d\d:\d\d/.test(r))
  }, 'both phones shown as seen')
  await page.screenshot({ path: join(artifacts, 'e2e-network-phones-seen.png') })

  // The organizer removes phone 1: its next request is refused and it asks to pair again.
  await page.goto(server.url + '/#/network')
  await until(async () => (await page.getByTestId('revoke').count()) === 2, 'two paired exhibitors')
  await page.getByTestId('revoke').first().click()
  await until(async () => (await call('NetworkService/Status')).peers.filter((p) => p.revoked).length === 1, 'revoked')
  const revoked = (await call('NetworkService/Status')).peers.find((p) => p.revoked)
  const target = revoked.participant === ex1.id ? phone1 : phone2
  await target.reload()
  await target.getByTestId('x-code').waitFor()
  assert.match(await target.getByTestId('x-error').innerText(), /已被主控机移除/)
})
