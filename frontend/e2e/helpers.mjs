// Starts a real `fuzhi serve` on a free port with an empty data folder and
// a headless Debian chromium driven by playwright-core.
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import net from 'node:net'
import { inflateRawSync } from 'node:zlib'
import { chromium } from 'playwright-core'

export const repo = resolve(import.meta.dirname, '..', '..')
export const artifacts = join(repo, 'artifacts')
mkdirSync(artifacts, { recursive: true })

function freePort() {
  return new Promise((res) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => res(port))
    })
  })
}

// opts.data and opts.port restart a server on the folder and port of an
// earlier one (a restart mid-shift).
export async function startServer(args = [], opts = {}) {
  const bin = process.env.FUZHI_BIN ?? join(repo, 'bin', 'fuzhi')
  const data = opts.data ?? mkdtempSync(join(tmpdir(), 'fuzhi-e2e-'))
  const port = opts.port ?? (await freePort())
  const proc = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--data', data, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  proc.stdout.on('data', (d) => (log += d))
  proc.stderr.on('data', (d) => (log += d))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    // The launch line carries this launch's key: only a page holding it may call the API.
    const key = /\?k=([0-9a-f]+)/.exec(log)?.[1]
    try {
      if (key && (await fetch(url + '/healthz')).ok) {
        return { url, key, port, cookie: `fuzhi_${port}`, data, proc, stop: () => proc.kill('SIGTERM'), kill: () => proc.kill('SIGKILL') }
      }
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100))
  }
  proc.kill('SIGKILL')
  throw new Error('fuzhi serve did not start:\n' + log)
}

// A browser tab of the organizer: it opened the launch link, so it holds the key.
export async function appPage(browser, server, options = {}) {
  const page = await (await browser.newContext(options)).newPage()
  await page.goto(`${server.url}/?k=${server.key}`)
  return page
}

// The browser runs in a UTF-8 locale whatever the caller's (a bare machine has
// none): Chromium on Linux names a download through the locale's charset, and
// in plain C a Chinese file name becomes "download".
export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', ...extraArgs],
  })
}

// Calls a service of a running `fuzhi serve` the way the UI does: JSON,
// with the launch key's cookie.
export async function callApi(server, path, ...args) {
  const r = await fetch(`${server.url}/api/${path}`, {
    method: 'POST', body: JSON.stringify(args), headers: { 'Content-Type': 'application/json', Cookie: `${server.cookie}=${server.key}` },
  })
  const body = await r.json()
  if (!r.ok) throw new Error(body.error)
  return body
}

// Polls until cond holds (Playwright's waitForFunction does not await an
// async predicate: a Promise is truthy and passes at once).
export async function until(cond, what, ms = 15000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('timed out waiting for ' + what)
}

// A fresh event made in the screens as an organizer does (name, first day),
// with the GBK sample registration file imported there.
export async function freshEventWithPeople(page, server, name, day) {
  await page.goto(server.url + '/#/events')
  await page.getByTestId('ev-name').locator('input').fill(name)
  const start = page.getByTestId('ev-start').locator('input')
  await start.fill(day)
  await start.press('Enter')
  await page.getByTestId('ev-create').click()
  await page.getByTestId('event-name').filter({ hasText: name }).waitFor()
  await page.getByTestId('import-open').click()
  await page.getByTestId('import-file').setInputFiles(join(repo, 'app', 'importer', 'testdata', 'participants-gbk.csv'))
  await page.getByTestId('import-detected').waitFor()
  await page.getByTestId('import-run').click()
  await page.getByTestId('import-summary').waitFor()
  await page.keyboard.press('Escape')
}

// The text of one file inside a zip (an .xlsx), read from the central
// directory: enough to look into a downloaded workbook without a library.
export function zipEntry(buf, name) {
  let eocd = buf.length - 22
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--
  if (eocd < 0) throw new Error('not a zip file')
  let p = buf.readUInt32LE(eocd + 16)
  for (let i = buf.readUInt16LE(eocd + 10); i > 0; i--) {
    const method = buf.readUInt16LE(p + 10)
    const size = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const skip = nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    if (buf.toString('utf8', p + 46, p + 46 + nameLen) === name) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
      const data = buf.subarray(start, start + size)
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8')
    }
    p += 46 + skip
  }
  throw new Error(name + ' not in the zip')
}

// The matchmaking session set up as the organizer does it in the screens:
// slots and tables in the 场次设置 form, then the wishes (already agreed)
// imported as a sheet. wishes: [[from, to, priority word], …] of people.
export async function sessionAndWishesInScreens(page, server, { slots, tables, maxMeetings, breakAfter, wishes }) {
  await page.goto(server.url + '/#/match')
  await page.getByText('场次设置', { exact: true }).click()
  await page.getByTestId('ms-slots').locator('input').fill(String(slots))
  await page.getByTestId('ms-tables').locator('input').fill(String(tables))
  if (maxMeetings) await page.getByTestId('ms-max').locator('input').fill(String(maxMeetings))
  if (breakAfter) await page.getByTestId('ms-break').locator('input').fill(String(breakAfter))
  await page.getByTestId('ms-save').click()
  await page.getByTestId('ms-saved').filter({ hasText: `${slots} × ${tables}` }).waitFor()
  const rows = wishes.map(([a, b, priority]) => `${a.name},${a.org},${b.name},${b.org},${priority},技术合作,已接受`)
  const csv = '发起人,发起单位,对接对象,对象单位,优先级,洽谈主题,状态\n' + rows.join('\n') + '\n'
  await page.getByText(/^洽谈请求 \(\d+\)$/).click()
  await page.getByTestId('import-requests').setInputFiles({ name: '洽谈意向.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByTestId('requests-report').filter({ hasText: `导入 ${wishes.length}` }).waitFor()
  await page.getByText('洽谈桌 × 时段', { exact: true }).click()
}

// Opens the practice event on the 活动 page, as an organizer training the
// desks would: the demo's people and catalogs with nothing done yet (the
// demo itself is a morning already under way).
export async function openPractice(page, server) {
  await page.goto(server.url + '/#/events')
  await page.getByTestId('open-practice').click()
  await until(async () => (await callApi(server, 'EventService/Current'))?.event?.id === 'EPRACTICE2026', 'the practice event open')
  await page.getByText('练习活动·', { exact: false }).first().waitFor()
}

// Picks an option of a Naive select by typing into it, as a person does.
// Menus closed earlier stay in the page, hidden: only the open one counts.
export async function pickOption(page, select, text) {
  await select.click()
  await page.keyboard.type(text)
  await page.locator('.n-base-select-option', { hasText: text }).filter({ visible: true }).first().click()
}
