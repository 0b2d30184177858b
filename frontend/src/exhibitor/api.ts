// The exhibitor page talks to the hub's /x/api with its own token: it sees
// only its own leads and nothing else of the event.
import type { ExhibitorMe, Lead, LeadAnswer, LeadRequest, MarkAnswer, MarkRequest, PairRequest, PairResponse, RoadshowTalk } from '../api/generated'

export type { Lead, LeadAnswer, MarkAnswer, RoadshowTalk }

const KEY = 'fuzhi-exhibitor-token'
const SUCCESSORS = 'fuzhi-exhibitor-successors'

/** The hub could not be reached at all (no answer, not a refusal). */
export class Unreachable extends Error {}

/**
 * Where this phone's hub said a desk would serve if the hub laptop were
 * lost, kept from the last /me, each as a link that carries the token in
 * the fragment (never sent to a server) to the new hub's page. Only
 * https://<IP>:<port>: a desk is offered by its LAN address, never a name.
 */
export function successorLinks(token: string | null, list: string[] = JSON.parse(localStorage.getItem(SUCCESSORS) ?? '[]') as string[]): string[] {
  if (!token) return []
  return list.filter((u) => /^https:\/\/(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):\d{1,5}$/.test(u) && u !== location.origin).map((u) => `${u}/x/#t=${encodeURIComponent(token)}`)
}

export class ExhibitorApi {
  token: string | null
  constructor(private base = '') {
    // Arriving from the old hub's page after a desk took over: the token
    // comes in the fragment and is kept for this (new) hub.
    const hash = new URLSearchParams(location.hash.replace(/^#/, ''))
    const handed = hash.get('t')
    if (handed && /^[A-Za-z0-9_-]+\.[A-Za-z0-9]+\.[A-Za-z0-9]+$/.test(handed)) {
      localStorage.setItem(KEY, handed)
      history.replaceState(null, '', location.pathname)
    }
    this.token = localStorage.getItem(KEY)
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (this.token) headers.Authorization = 'Bearer ' + this.token
    let r: Response
    try {
      r = await fetch(this.base + path, { method: 'POST', headers, body: JSON.stringify(body) })
    } catch (e) {
      throw new Unreachable((e as Error).message)
    }
    const data = await r.json().catch(() => ({ error: `HTTP ${r.status}` }))
    if (r.status === 401) {
      this.forget()
    }
    if (!r.ok) throw new Error((data as { error?: string }).error ?? `HTTP ${r.status}`)
    return data as T
  }

  async pair(code: string): Promise<string> {
    const req: Partial<PairRequest> = { code }
    const r = await this.post<PairResponse>('/x/api/pair', req)
    this.token = r.token
    localStorage.setItem(KEY, r.token)
    return r.name ?? ''
  }

  forget() {
    this.token = null
    localStorage.removeItem(KEY)
  }

  async me() {
    const me = await this.post<ExhibitorMe>('/x/api/me', {})
    localStorage.setItem(SUCCESSORS, JSON.stringify(me.successors ?? []))
    return me
  }
  lead(code: string, note = '', rating = 0) {
    const req: LeadRequest = { code, note, rating }
    return this.post<LeadAnswer>('/x/api/lead', req)
  }
  leads() { return this.post<Lead[]>('/x/api/leads', {}) }
  roadshows() { return this.post<RoadshowTalk[]>('/x/api/roadshows', {}) }
  mark(talk: string) {
    const req: MarkRequest = { talk }
    return this.post<MarkAnswer>('/x/api/mark', req)
  }

  async workbook(): Promise<Blob> {
    const r = await fetch(this.base + '/x/api/leads.xlsx', { headers: { Authorization: 'Bearer ' + (this.token ?? '') } })
    if (!r.ok) throw new Error((await r.json().catch(() => ({ error: `HTTP ${r.status}` }))).error)
    return r.blob()
  }
}
