import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { appPage, artifacts, launch, startServer, callApi, openPractice } from './helpers.mjs'

let server, browser, page, code

const call = (path, ...args) => callApi(server, path, ...args)

before(async () => {
  server = await startServer()
  browser = await launch()
  page = await appPage(browser, server, { viewport: { width: 1360, height: 900 }, acceptDownloads: true })
  await openPractice(page, server)
  const p = await call('RosterService/Save', { name: '张三', org: '青岛大学', mobile: '13912345678', role: 'university' })
  code = await call('CheckinService/BadgeCode', p.id)
})
after(async () => {
  await browser?.close()
  server?.stop()
})

// Registers a walk-in in the dialog and returns the badge download.
async function walkIn(name, org, mobile) {
  await page.getByTestId('walkin-open').click()
  await page.getByTestId('wi-name').locator('input').fill(name)
  await page.getByTestId('wi-org').locator('input').fill(org)
  await page.getByTestId('wi-mobile').locator('input').fill(mobile)
  const download = page.waitForEvent('download')
  await page.getByTestId('wi-submit').click()
  return download
}

test('a scanner burst checks in: green, then amber with the first time, forged is red', async () => {
  await page.goto(server.url + '/#/desk')
  const field = page.getByTestId('scan-field').locator('input')
  await field.waitFor()
  assert.ok(await field.evaluate((el) => el === document.activeElement), 'the scan field has focus on arrival')

  // Exactly what a USB scanner does: keys a few ms apart, then Enter.
  await page.keyboard.type(code, { delay: 4 })
  await page.keyboard.press('Enter')
  await page.locator('[data-result="ok"]').waitFor()
  assert.match(await page.getByTestId('answer-name').innerText(), /张三/)
  await page.screenshot({ path: join(artifacts, 'e2e-desk-green.png') })

  await page.keyboard.type(code, { delay: 4 })
  await page.keyboard.press('Enter')
  await page.locator('[data-result="duplicate"]').waitFor()
  assert.match(await page.getByTestId('answer-msg').innerText(), /已于 \d\d:\d\d 在 1 号签到台签到/)
  await page.screenshot({ path: join(artifacts, 'e2e-desk-amber.png') })

  const forged = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A')
  await page.keyboard.type(forged, { delay: 4 })
  await page.keyboard.press('Enter')
  await page.locator('[data-result="forged"]').waitFor()
  assert.match(await page.getByTestId('answer-msg').innerText(), /无效胸卡/)
  await page.screenshot({ path: join(artifacts, 'e2e-desk-red.png') })

  // Undo the last check-in at this desk: the desk asks, naming 张三 (the
  // red answer on screen is someone else's badge); a scanner burst while it
  // asks answers nothing; 撤销签到 takes 张三 out.
  await page.getByTestId('undo-last').click()
  const ask = page.locator('.n-dialog').filter({ hasText: '撤销 张三（青岛大学）' })
  await ask.waitFor()
  await page.keyboard.type(code, { delay: 4 })
  await page.keyboard.press('Enter')
  assert.ok(await ask.isVisible(), 'the burst answered the question')
  assert.equal((await call('CheckinService/Search', '张三', 1))[0].checkedIn, true)
  await page.screenshot({ path: join(artifacts, 'e2e-desk-undo-confirm.png') })
  await ask.getByRole('button', { name: '撤销签到' }).click()
  await page.getByText('已撤销 张三 的签到').waitFor()
  await ask.waitFor({ state: 'hidden' })
})

test('search "zs" finds 张三 and checks him in from the result', async () => {
  await page.goto(server.url + '/#/desk')
  await page.getByTestId('scan-field').locator('input').waitFor()
  await page.keyboard.type('zs', { delay: 150 })
  const hit = page.getByTestId('hit').filter({ hasText: '张三' })
  await hit.waitFor()
  await hit.getByTestId('hit-checkin').click()
  await page.locator('[data-result="ok"]').waitFor()
})

test('a name typed and Enter checks in the one person it finds; several are listed', async () => {
  await call('RosterService/Save', { name: '欧阳娜娜', org: '烟台大学', mobile: '13700001234', role: 'university' })
  await page.goto(server.url + '/#/desk')
  const field = page.getByTestId('scan-field').locator('input')
  await field.waitFor()
  await page.keyboard.type('欧阳娜娜', { delay: 120 })
  await page.keyboard.press('Enter')
  await page.getByTestId('answer-name').filter({ hasText: '欧阳娜娜' }).waitFor()
  assert.equal(await page.locator('[data-result="ok"]').count(), 1)
  const hits = await call('CheckinService/Search', '欧阳娜娜', 5)
  assert.equal(hits[0].checkedIn, true)
  // A surname shared by many: a list to choose from, nobody checked in.
  const arrived = (await call('CheckinService/Dashboard')).arrived
  await field.fill('')
  await page.keyboard.type('王', { delay: 120 })
  await page.keyboard.press('Enter')
  await page.getByTestId('hit').nth(1).waitFor()
  assert.equal((await call('CheckinService/Dashboard')).arrived, arrived)
  await field.fill('')
})

test('a walk-in who is registered already is offered 签到 instead of a refusal', async () => {
  await page.goto(server.url + '/#/desk')
  await page.getByTestId('scan-field').locator('input').waitFor()
  await page.getByTestId('walkin-open').click()
  await page.getByTestId('wi-name').locator('input').fill('欧阳娜娜')
  await page.getByTestId('wi-mobile').locator('input').fill('137 0000 1234')
  await page.getByTestId('wi-submit').click()
  await page.getByTestId('wi-existing').filter({ hasText: '欧阳娜娜（烟台大学）已经报名' }).waitFor()
  const total = (await call('RosterService/List', { text: '欧阳娜娜' })).total
  await page.getByTestId('wi-existing-checkin').click()
  await page.getByTestId('answer-name').filter({ hasText: '欧阳娜娜' }).waitFor()
  assert.equal((await call('RosterService/List', { text: '欧阳娜娜' })).total, total, 'registered twice')
})

test('a walk-in is registered, checked in and gets a badge PDF in one go', async () => {
  await page.goto(server.url + '/#/desk')
  const file = await walkIn('现场嘉宾王五', '济南某某机器人有限公司', '13600001111')
  await page.locator('[data-result="ok"]').waitFor()
  assert.match(await page.getByTestId('answer-name').innerText(), /现场嘉宾王五/)
  const path = join(artifacts, 'e2e-walkin-badge.pdf')
  await file.saveAs(path)
  assert.equal(readFileSync(path).subarray(0, 4).toString(), '%PDF')
  assert.match(file.suggestedFilename(), /胸卡-现场嘉宾王五\.pdf/)
})

test('the dashboard counts the arrivals', async () => {
  await page.goto(server.url + '/#/dashboard')
  const arrived = page.getByTestId('dash-arrived')
  await arrived.waitFor()
  // 张三 (scanned, then found by pinyin), 欧阳娜娜 (name + Enter) and the walk-in 王五.
  await page.waitForFunction(() => document.querySelector('[data-testid="dash-arrived"]')?.textContent?.trim() === '3')
  await page.screenshot({ path: join(artifacts, 'e2e-dashboard.png') })
})

// A scanner types wherever the focus is: after a walk-in (focus left on a
// button), in the desk number, on the undo button, on nothing. Every burst
// must check its badge in, change nothing where it landed, and never press
// the focused button.
test('a scanner burst reaches the scan field wherever the focus is', async () => {
  const people = (await call('RosterService/List', { role: 'sme', limit: 6 })).items
  const codes = await Promise.all(people.map((p) => call('CheckinService/BadgeCode', p.id)))
  await page.goto(server.url + '/#/desk')
  await page.getByTestId('scan-field').locator('input').waitFor()
  const burst = async (i) => {
    await page.keyboard.type(codes[i], { delay: 4 })
    await page.keyboard.press('Enter')
    await page.getByTestId('answer-name').filter({ hasText: people[i].name }).waitFor()
  }
  // After a walk-in.
  await walkIn('现场嘉宾赵六', '烟台某某科技有限公司', '13600002222')
  await page.getByTestId('answer-name').filter({ hasText: '现场嘉宾赵六' }).waitFor()
  await burst(0)
  assert.equal(await page.getByTestId('wi-name').count(), 0, 'the burst re-opened the walk-in dialog')

  // In the desk number: the desk keeps its number.
  const deskNo = page.getByTestId('desk-no').locator('input')
  const before = await deskNo.inputValue()
  await deskNo.focus()
  await burst(1)
  assert.equal(await deskNo.inputValue(), before)
  assert.equal(await page.evaluate(() => localStorage.getItem('fuzhi.desk')), before)

  // On the undo button: the burst's Enter does not undo anyone.
  const arrived = (await call('CheckinService/Dashboard')).arrived
  await page.getByTestId('undo-last').focus()
  await burst(2)
  assert.equal((await call('CheckinService/Dashboard')).arrived >= arrived, true)
  assert.equal(await page.getByText(/已撤销/).count(), 0, 'the undo button was pressed')

  // With nothing focused.
  await page.evaluate(() => (document.activeElement instanceof HTMLElement) && document.activeElement.blur())
  await burst(3)

  // The next guest: a keystroke brings the panel back to waiting.
  await page.getByTestId('scan-field').locator('input').focus()
  await page.keyboard.type('w', { delay: 50 })
  await page.getByText('等待扫码').waitFor()
  await page.getByTestId('scan-field').locator('input').fill('')
})

test('the answer undoes this one check-in, and the person is out again', async () => {
  const p = await call('RosterService/Save', { name: '李四', org: '山东大学', mobile: '13912340000', role: 'university' })
  const badge = await call('CheckinService/BadgeCode', p.id)
  await page.goto(server.url + '/#/desk')
  await page.getByTestId('scan-field').locator('input').waitFor()
  const arrived = (await call('CheckinService/Dashboard')).arrived
  await page.keyboard.type(badge, { delay: 4 })
  await page.keyboard.press('Enter')
  await page.locator('[data-result="ok"]').waitFor()
  assert.equal((await call('CheckinService/Dashboard')).arrived, arrived + 1)
  await page.getByTestId('answer-undo').click()
  await page.getByText('已撤销这次签到').waitFor()
  assert.equal((await call('CheckinService/Dashboard')).arrived, arrived)
  const hit = (await call('CheckinService/Search', '李四', 5)).find((h) => h.participant.id === p.id)
  assert.equal(hit.checkedIn, false)
  // The desk is ready for the next badge at once.
  assert.ok(await page.getByTestId('scan-field').locator('input').evaluate((el) => el === document.activeElement))
})

test('the organizer corrects the event name on the overview, and the header follows', async () => {
  await page.goto(server.url + '/#/')
  await page.getByTestId('edit-event').click()
  const name = page.getByTestId('ev-name').locator('input')
  await name.fill('深度行·青岛站（更正）')
  await page.getByTestId('edit-save').click()
  await page.getByText('活动信息已保存').waitFor()
  assert.equal((await call('EventService/Current')).event.name, '深度行·青岛站（更正）')
  await page.getByTestId('event-name').getByText('深度行·青岛站（更正）').waitFor()
  await page.screenshot({ path: join(artifacts, 'e2e-event-edit.png') })
})
