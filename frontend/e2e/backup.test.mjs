import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appPage, artifacts, callApi, freshEventWithPeople, launch, startServer, until } from './helpers.mjs'

let hub, spare, browser

after(async () => {
  await browser?.close()
  hub?.stop()
  spare?.stop()
})

// The organizer points automatic backups at a USB stick; the header shows
// the last good one; a check-in is backed up with 立即备份; the stick is
// pulled and the header turns red; on a spare laptop the stick's backups are
// listed with what each holds and a copy is opened, holding the check-in.
test('backups go to the stick, a pulled stick turns the header red, and a spare laptop restores a copy', async () => {
  hub = await startServer()
  browser = await launch()
  const page = await appPage(browser, hub, { viewport: { width: 1360, height: 900 } })
  await freshEventWithPeople(page, hub, '深度行·烟台站', '2026-07-09')
  const stick = join(mkdtempSync(join(tmpdir(), 'fuzhi-e2e-stick-')), 'U盘 E', '会务备份')

  await page.goto(hub.url + '/#/events')
  const badge = page.getByTestId('backup-badge')
  await badge.filter({ hasText: '未设备份' }).waitFor()
  await page.getByTestId('backup-folder').locator('input').fill(stick)
  await page.getByTestId('backup-save').click()
  await page.locator('[data-testid="backup-state"][data-state="ok"]').waitFor()
  await page.locator('[data-testid="backup-badge"][data-state="ok"]').filter({ hasText: /备份 \d\d:\d\d/ }).waitFor()
  let files = readdirSync(stick).filter((f) => f.endsWith('.fzevent'))
  assert.equal(files.length, 1, `one backup on the stick, found ${files}`)
  assert.match(files[0], /^深度行·烟台站-.+-自动备份-\d{8}-\d{6}\.fzevent$/)

  // A guest is checked in at the desk with the scanner, then 立即备份.
  const person = (await callApi(hub, 'RosterService/List', { limit: 1 })).items[0]
  const code = await callApi(hub, 'CheckinService/BadgeCode', person.id)
  await page.goto(hub.url + '/#/desk')
  const field = page.getByTestId('scan-field').locator('input')
  await field.waitFor()
  await page.keyboard.type(code, { delay: 4 })
  await page.keyboard.press('Enter')
  await page.locator('[data-result="ok"]').waitFor()
  await page.goto(hub.url + '/#/events')
  await page.getByTestId('backup-now').click()
  await until(async () => (await callApi(hub, 'BackupService/List', stick)).some((e) => e.counts.scan === 1), 'a backup holding the check-in')
  await page.screenshot({ path: join(artifacts, 'e2e-backup-ok.png') })

  // The stick is pulled (its drive letter now names a file): the next backup fails, loudly.
  const kept = join(stick, '..', '..', 'kept')
  files = readdirSync(stick).filter((f) => f.endsWith('.fzevent'))
  const copies = files.map((f) => [f, readFileSync(join(stick, f))])
  rmSync(stick, { recursive: true })
  writeFileSync(stick, 'not a folder any more')
  await page.getByTestId('backup-now').click()
  await page.locator('[data-testid="backup-badge"][data-state="failing"]').filter({ hasText: '备份失败' }).waitFor()
  await page.locator('[data-testid="backup-state"][data-state="failing"]').filter({ hasText: /备份到 .+ 失败/ }).waitFor()
  await page.screenshot({ path: join(artifacts, 'e2e-backup-failing.png') })
  // …and the stick is read on the spare laptop.
  rmSync(stick)
  const restoredStick = join(kept, '会务备份')
  mkdirSync(restoredStick, { recursive: true })
  for (const [f, raw] of copies) writeFileSync(join(restoredStick, f), raw)
  writeFileSync(join(restoredStick, '照片.fzevent'), 'a photo renamed')

  spare = await startServer()
  const page2 = await appPage(browser, spare, { viewport: { width: 1360, height: 900 } })
  await page2.goto(spare.url + '/#/events')
  await page2.getByTestId('restore-start').click()
  await page2.getByTestId('restore-folder').locator('input').fill(restoredStick)
  await page2.getByTestId('restore-list').click()
  const table = page2.getByTestId('restore-table')
  await table.getByText('深度行·烟台站').first().waitFor()
  await table.getByText('不是赋智会务台的活动文件').waitFor()
  await page2.screenshot({ path: join(artifacts, 'e2e-restore-list.png') })
  // The newest backup (with the check-in) is first; open a copy of it.
  await table.getByTestId('restore-open').first().click()
  await page2.getByTestId('event-name').filter({ hasText: '深度行·烟台站' }).waitFor()

  const current = await callApi(spare, 'EventService/Current')
  assert.ok(current.path.startsWith(spare.data), `the copy is in the spare laptop's data folder: ${current.path}`)
  assert.match(current.path, /恢复/)
  const hubEvent = await callApi(hub, 'EventService/Current')
  assert.equal(current.participants, hubEvent.participants)
  const dash = await callApi(spare, 'CheckinService/Dashboard')
  assert.equal(dash.arrived, 1, 'the copy holds the check-in')
  for (const [f, raw] of copies) assert.ok(readFileSync(join(restoredStick, f)).equals(raw), `${f} on the stick unchanged`)
  await page2.screenshot({ path: join(artifacts, 'e2e-restore-opened.png') })
})
