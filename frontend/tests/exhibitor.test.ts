import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ExhibitorApi, Unreachable, successorLinks } from '../src/exhibitor/api'

const token = 'EPRACTICE2026.ABCDE.SECRETSECRET'

describe('an exhibitor phone after the hub laptop is lost', () => {
  beforeEach(() => {
    localStorage.clear()
    history.replaceState(null, '', '/x/')
  })

  it('offers the listed desks as links that carry its token in the fragment', () => {
    const links = successorLinks(token, ['https://192.168.1.20:8443', 'https://10.0.0.5:8443'])
    expect(links).toEqual([
      `https://192.168.1.20:8443/x/#t=${encodeURIComponent(token)}`,
      `https://10.0.0.5:8443/x/#t=${encodeURIComponent(token)}`,
    ])
  })

  it('offers nothing a hub could use to send the phone elsewhere or read the token', () => {
    const hostile = ['javascript:alert(1)', 'http://192.168.1.20:8443', 'https://evil.example:8443', 'https://192.168.1.20:8443/x/', 'https://evil.example/steal?x=', 'https://a.b/c#', location.origin]
    expect(successorLinks(token, hostile)).toEqual([])
    expect(successorLinks(null, ['https://192.168.1.20:8443'])).toEqual([])
  })

  it('keeps a token handed over in the fragment, and takes it out of the address bar', () => {
    history.replaceState(null, '', `/x/#t=${encodeURIComponent(token)}`)
    const api = new ExhibitorApi()
    expect(api.token).toBe(token)
    expect(location.hash).toBe('')
    expect(localStorage.getItem('fuzhi-exhibitor-token')).toBe(token)
  })

  it('ignores a fragment that is not a token', () => {
    localStorage.setItem('fuzhi-exhibitor-token', token)
    history.replaceState(null, '', '/x/#t=' + encodeURIComponent('<script>x</script>'))
    expect(new ExhibitorApi().token).toBe(token)
  })

  it('tells an unreachable hub from a refusal, and remembers the successors from /me', async () => {
    localStorage.setItem('fuzhi-exhibitor-token', token)
    const api = new ExhibitorApi()
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response(JSON.stringify({ name: '展商', event: '活动', successors: ['https://192.168.1.20:8443'] }), { status: 200 })))
    await api.me()
    expect(successorLinks(api.token)).toHaveLength(1)
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')))
    await expect(api.leads()).rejects.toBeInstanceOf(Unreachable)
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response(JSON.stringify({ error: '令牌无效' }), { status: 401 })))
    await expect(api.leads()).rejects.not.toBeInstanceOf(Unreachable)
    vi.unstubAllGlobals()
  })
})
