import { describe, expect, it, vi } from 'vitest'
import { ApiError, base64ToBytes, bytesToBase64, connection, createApi, httpTransport, onReconnect, pickTransport, wailsTransport } from '../src/api'
import { i18n } from '../src/i18n'

describe('transport choice', () => {
  it('calls the bound Go method inside the Wails window', async () => {
    const List = vi.fn().mockResolvedValue({ total: 1, items: [] })
    const t = pickTransport({ go: { app: { RosterService: { List } } } })
    const page = await createApi(t).roster.list({ text: 'zs' })
    expect(List).toHaveBeenCalledWith({ text: 'zs' })
    expect(page.total).toBe(1)
  })

  it('posts to /api/<Service>/<Method> in a browser', async () => {
    const fetchFn = vi.fn().mockResolvedValue(new Response(JSON.stringify({ imported: 3 }), { status: 200 }))
    const a = createApi(httpTransport('', fetchFn as unknown as typeof fetch))
    const sum = await a.roster.import('报名.csv', 'AAAA')
    const [url, init] = fetchFn.mock.calls[0]
    expect(url).toBe('/api/RosterService/Import')
    expect(JSON.parse(init.body)).toEqual([{ fileName: '报名.csv', data: 'AAAA' }])
    expect(sum.imported).toBe(3)
  })
})

describe('errors reach the user as sentences', () => {
  it('shows the Go error text from an HTTP refusal', async () => {
    const fetchFn = vi.fn().mockImplementation(async () => new Response(JSON.stringify({ error: '尚未打开活动：请先新建或打开一个活动' }), { status: 422 }))
    const a = createApi(httpTransport('', fetchFn as unknown as typeof fetch))
    await expect(a.roster.list({})).rejects.toThrow('尚未打开活动')
    await expect(a.roster.list({})).rejects.toBeInstanceOf(ApiError)
  })

  it('says a refusal with a code in the page’s language, from HTTP and from the window alike', async () => {
    const body = { error: '开始日期“2026-13-40”不是有效日期', code: 'event.startInvalid', params: { value: '2026-13-40' } }
    const fetchFn = vi.fn().mockImplementation(async () => new Response(JSON.stringify(body), { status: 422 }))
    const overHttp = createApi(httpTransport('', fetchFn as unknown as typeof fetch))
    const inWindow = createApi(wailsTransport({ EventService: { Current: () => Promise.reject(body) } }))
    await expect(overHttp.event.current()).rejects.toThrow('开始日期“2026-13-40”不是有效日期')
    i18n.global.locale.value = 'en'
    try {
      await expect(overHttp.event.current()).rejects.toThrow('The start date “2026-13-40” is not a valid date')
      await expect(inWindow.event.current()).rejects.toThrow('The start date “2026-13-40” is not a valid date')
    } finally {
      i18n.global.locale.value = 'zh-CN'
    }
  })

  it('says the service is unreachable when the network drops', async () => {
    const a = createApi(httpTransport('', (() => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch))
    await expect(a.event.current()).rejects.toThrow('无法连接')
  })

  it('does not crash on a non-JSON answer (a proxy error page)', async () => {
    const fetchFn = vi.fn().mockResolvedValue(new Response('<html>502</html>', { status: 502 }))
    const a = createApi(httpTransport('', fetchFn as unknown as typeof fetch))
    await expect(a.event.current()).rejects.toThrow('HTTP 502')
  })

  it('turns a Wails string rejection into an ApiError', async () => {
    const t = wailsTransport({ EventService: { Open: () => Promise.reject('活动文件正被另一个窗口或程序使用') } })
    await expect(createApi(t).event.open('/x')).rejects.toThrow('另一个窗口')
    await expect(createApi(wailsTransport({})).event.open('/x')).rejects.toThrow('没有这个接口')
  })
})

describe('bytes travel as base64 like Go []byte', () => {
  it('round-trips binary and large buffers', () => {
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 31) % 256)
    const b64 = bytesToBase64(bytes)
    // Compared in one pass: toEqual walks 200,000 elements through its
    // deep equality, which on a loaded machine ran past the time limit.
    const back = base64ToBytes(b64)
    expect(back.length).toBe(bytes.length)
    expect(back.findIndex((v, i) => v !== bytes[i])).toBe(-1)
    expect(bytesToBase64(new Uint8Array([0xb9, 0xf9]))).toBe('ufk=')
  })
})

describe('connection to fuzhi serve', () => {
  it('goes down when a call cannot connect and comes back, once, when one gets through', async () => {
    let up = false
    const fetchFn = vi.fn(async () => {
      if (!up) throw new TypeError('Failed to fetch')
      return new Response('{"total":0,"items":[]}', { status: 200 })
    })
    const back = vi.fn()
    const off = onReconnect(back)
    const a = createApi(httpTransport('', fetchFn as unknown as typeof fetch))
    await expect(a.roster.list({})).rejects.toThrow(/没有保存/)
    expect(connection.reachable).toBe(false)
    await expect(a.roster.list({})).rejects.toThrow()
    expect(back).not.toHaveBeenCalled()
    up = true
    await a.roster.list({})
    await a.roster.list({})
    expect(connection.reachable).toBe(true)
    expect(back).toHaveBeenCalledTimes(1)
    off()
  })
})
