import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appPage, launch, startServer, callApi } from './helpers.mjs'

// A hostile neighbour: pages the organizer happens to open in the same
// browser while the app is open in another tab. Each tries every way a page
// can send a request to `fuzhi serve`; none may change the event.
let server, browser, evil, evilUrl

const call = (path, ...args) => callApi(server, path, ...args)

// The attacks, run inside the hostile page. Each call that would change the
// event is tried as a JSON fetch (needs a preflight), a no-cors text/plain
// fetch, a sendBeacon and a form post; the event stream is opened too.
const attack = async ({ base }) => {
  const calls = [
    ['RosterService/Save', [{ name: '入侵者', org: '恶意网页' }]],
    ['CheckinService/RotateKey', ['x']],
    ['NetworkService/StartHub', [':18443']],
    ['PlatformService/SetConfig', [{ url: 'http://evil.example', token: 'x' }]],
    ['EventService/Create', [{ name: '恶意活动', startDate: '2026-05-20', path: '/tmp/evil.fzevent' }]],
  ]
  const seen = []
  for (const [path, args] of calls) {
    const url = `${base}/api/${path}`
    const body = JSON.stringify(args)
    seen.push(await fetch(url, { method: 'POST', body, credentials: 'include', headers: { 'Content-Type': 'application/json' } }).then((r) => `json:${r.status}`, () => 'json:blocked'))
    seen.push(await fetch(url, { method: 'POST', body, credentials: 'include', mode: 'no-cors' }).then((r) => `no-cors:${r.type}`, () => 'no-cors:blocked'))
    seen.push(`beacon:${navigator.sendBeacon(url, body)}`)
    const frame = document.createElement('iframe')
    frame.name = 'sink' + Math.random()
    document.body.appendChild(frame)
    const form = document.createElement('form')
    form.method = 'POST'
    form.action = url
    form.enctype = 'text/plain'
    form.target = frame.name
    const input = document.createElement('input')
    input.name = body
    input.value = ''
    form.appendChild(input)
    document.body.appendChild(form)
    form.submit()
  }
  const stream = await new Promise((res) => {
    const es = new EventSource(`${base}/api/events`, { withCredentials: true })
    es.onopen = () => res('events:open')
    es.onerror = () => res('events:refused')
    setTimeout(() => res('events:timeout'), 3000)
  })
  seen.push(stream)
  await new Promise((r) => setTimeout(r, 1500)) // let the form posts land
  return seen
}

async function snapshot() {
  const ev = await call('EventService/Current')
  const p = (await call('RosterService/List', { limit: 1 })).items[0]
  return {
    participants: ev.participants,
    path: ev.path,
    role: (await call('NetworkService/Status')).role,
    platform: (await call('PlatformService/Config')).url,
    badge: await call('CheckinService/BadgeCode', p.id),
  }
}

before(async () => {
  server = await startServer()
  browser = await launch()
  evil = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8')
    res.end('<!doctype html><title>优惠活动</title><p>hello</p>')
  })
  await new Promise((r) => evil.listen(0, '127.0.0.1', r))
  evilUrl = `http://127.0.0.1:${evil.address().port}/`
})
after(async () => {
  await browser?.close()
  server?.stop()
  evil?.close()
})

test('pages from another port, another site and a file change nothing', async () => {
  const app = await appPage(browser, server) // the organizer's tab: this browser holds the key
  const ctx = app.context()
  const before = await snapshot()
  const dir = mkdtempSync(join(tmpdir(), 'fuzhi-evil-'))
  writeFileSync(join(dir, 'evil.html'), '<!doctype html><title>附件</title><p>file</p>')
  for (const where of [evilUrl, 'file://' + join(dir, 'evil.html')]) {
    const page = await ctx.newPage()
    await page.goto(where)
    const seen = await page.evaluate(attack, { base: server.url })
    assert.ok(!seen.some((s) => s === 'json:200'), `${where}: ${seen}`)
    assert.ok(seen.includes('events:refused'), `${where}: the event stream opened: ${seen}`)
    await page.close()
  }
  assert.deepEqual(await snapshot(), before)
})

test('a rebinding DNS name reaches nothing', async () => {
  const rebound = await launch([`--host-resolver-rules=MAP evil.test 127.0.0.1`])
  try {
    const page = await rebound.newPage()
    const port = new URL(server.url).port
    const resp = await page.goto(`http://evil.test:${port}/?k=${server.key}`)
    assert.equal(resp.status(), 421)
    const before = await snapshot()
    const seen = await page.evaluate(attack, { base: `http://evil.test:${port}` })
    assert.ok(!seen.some((s) => s === 'json:200'), String(seen))
    assert.deepEqual(await snapshot(), before)
  } finally {
    await rebound.close()
  }
})
