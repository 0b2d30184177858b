import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { appPage, artifacts, launch, repo, startServer, callApi, openPractice } from './helpers.mjs'

let server, browser, page, platform

const call = (path, ...args) => callApi(server, path, ...args)

before(async () => {
  server = await startServer()
  browser = await launch()
  page = await appPage(browser, server, { viewport: { width: 1400, height: 1000 }, acceptDownloads: true })
  await openPractice(page, server)
  // A small day: people checked in, meetings held, one signed licence.
  const smes = (await call('RosterService/List', { role: 'sme', limit: 6 })).items
  const unis = (await call('RosterService/List', { role: 'university', limit: 6 })).items
  await call('MatchService/SetupSession', { start: '2026-05-20 14:00', slotMinutes: 20, slots: 2, tables: 6, maxMeetings: 2 })
  for (const [i, s] of smes.entries()) {
    await call('CheckinService/CheckIn', s.id, '1')
    await call('TableService/AddSpontaneous', s.id, unis[i].id, 'S01', `T00${i + 1}`)
  }
  const ms = await call('MatchService/Meetings')
  await call('TableService/Mark', ms[0].id, 'held')
  await call('TableService/SaveOutcome', { meeting: ms[0].id, result: 'agreement', intended: true, mode: 'license', signed: true, amount: 120 })
})
after(async () => {
  await browser?.close()
  server?.stop()
  platform?.kill('SIGTERM')
})

test('the summary shows the figures and prints the report; the upload reaches the platform', async () => {
  await page.goto(server.url + '/#/summary')
  await page.getByTestId('sum-signed').waitFor()
  assert.match(await page.getByTestId('sum-signed').innerText(), /1/)
  assert.match(await page.getByTestId('sum-amount').innerText(), /120/)
  assert.match(await page.getByTestId('summary').innerText(), /许可[\s\S]*1 项 · 120 万元/)
  await page.screenshot({ path: join(artifacts, 'e2e-summary.png') })
  const download = page.waitForEvent('download')
  await page.getByTestId('summary-pdf').click()
  assert.equal((await download).suggestedFilename(), '活动总结.pdf')

  const admin = process.env.FUZHI_TEST_PG
  if (!admin) return // scripts/test.sh always sets it; a bare `node --test` may not
  // A platform database of its own: the demo event's id is fixed, and the
  // platform rightly refuses an event already reported by another organizer.
  const name = `fz_e2e_${Date.now()}`
  execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`])
  const db = admin.replace('/fuzhi_test', '/' + name)
  const bin = join(repo, 'bin', 'fuzhi-platform')
  const token = execFileSync(bin, ['token', '--db', db, '--name', '山东省工信厅', '--province', '山东省']).toString().trim()
  const port = 20000 + Math.floor(Math.random() * 20000)
  platform = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' })
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100))
  }
  await page.getByTestId('platform-url').locator('input').fill(`http://127.0.0.1:${port}`)
  await page.getByTestId('platform-token').locator('input').fill(token)
  await page.getByText('保存', { exact: true }).click()
  await page.getByTestId('upload').and(page.locator(':not([disabled])')).waitFor()
  await page.getByTestId('upload').click()
  await page.getByTestId('upload-result').waitFor({ timeout: 30000 })
  assert.match(await page.getByTestId('upload-result').innerText(), /已上传 \d+ 条/)
  const stats = await (await fetch(`http://127.0.0.1:${port}/v1/stats`)).json()
  const mine = stats.byMode.find((m) => m.key === 'license')
  assert.ok(mine && mine.signed >= 1 && mine.amount >= 120)
})
