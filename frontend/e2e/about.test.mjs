import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { appPage, artifacts, callApi, launch, startServer, zipEntry } from './helpers.mjs'

let server, browser

after(async () => {
  await browser?.close()
  server?.stop()
})

// 关于 names the build a support call needs: the version, the commit the
// program was built from (what `fuzhi version` prints too) and the data folder.
test('关于 shows the version and commit of the running build and where its events are kept', async () => {
  server = await startServer()
  browser = await launch()
  const page = await appPage(browser, server, { viewport: { width: 1360, height: 900 } })
  await page.getByTestId('about-open').click()
  const dialog = page.getByTestId('about')
  await dialog.waitFor()
  const line = execFileSync(join(import.meta.dirname, '..', '..', 'bin', 'fuzhi'), ['version']).toString()
  const version = await dialog.getByTestId('about-version').innerText()
  const commit = await dialog.getByTestId('about-commit').innerText()
  assert.ok(line.startsWith(`fuzhi ${version} (commit `), `dialog says ${version}, the program says ${line}`)
  if (commit !== '—') assert.ok(line.includes(`commit ${commit}`), `dialog names commit ${commit}, the program ${line}`)
  assert.match(await dialog.innerText(), new RegExp(server.data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
  // The screenshot once the dialog has finished fading in.
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="about"]')
    return el && getComputedStyle(el).opacity === '1' && getComputedStyle(el).transform === 'none'
  })
  await page.screenshot({ path: join(artifacts, 'e2e-about.png') })
})

// 导出诊断包 in the same dialog: a zip with the file's health and the logs,
// and not one name, phone or e-mail of the event's people in it.
test('导出诊断包 gives support the health of the file and no personal data', async () => {
  const page = await appPage(browser, server, { viewport: { width: 1360, height: 900 } })
  await page.getByTestId('about-open').click()
  const download = page.waitForEvent('download')
  await page.getByTestId('diagnostics').click()
  const file = await download
  assert.match(file.suggestedFilename(), /^赋智会务台-诊断包-\d{12}\.zip$/)
  const path = join(artifacts, 'e2e-diagnostics.zip')
  await file.saveAs(path)
  const zip = readFileSync(path)
  const health = JSON.parse(zipEntry(zip, 'health.json'))
  const current = await callApi(server, 'EventService/Current')
  assert.equal(health.event.summary.counts.participant, current.participants)
  assert.equal(health.event.eventId, current.event.id)
  const text = zipEntry(zip, 'health.json') + zipEntry(zip, 'README.txt') + (health.logs.includes('fuzhi.log') ? zipEntry(zip, 'logs/fuzhi.log') : '')
  const people = (await callApi(server, 'RosterService/List', { limit: 1000 })).items
  assert.ok(people.length > 100)
  for (const p of people) {
    for (const v of [p.name, p.mobile, p.email]) {
      if (v && v.length >= 2) assert.ok(!text.includes(v), `the diagnostics hold ${v}`)
    }
  }
})
