import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { appPage, artifacts, launch, startServer } from './helpers.mjs'

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
