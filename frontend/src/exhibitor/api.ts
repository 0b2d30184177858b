// The exhibitor page talks to the hub's /x/api with its own token: it sees
// only its own leads and nothing else of the event.
import type { ExhibitorMe, Lead, LeadAnswer, LeadRequest, PairRequest, PairResponse } from '../api/generated'

export type { Lead, LeadAnswer }

const KEY = 'fuzhi-exhibitor-token'

export class ExhibitorApi {
  token: string | null
  constructor(private base = '') {
    this.token = localStorage.getItem(KEY)
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (this.token) headers.Authorization = 'Bearer ' + this.token
    const r = await fetch(this.base + path, { method: 'POST', headers, body: JSON.stringify(body) })
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

  me() { return this.post<ExhibitorMe>('/x/api/me', {}) }
  lead(code: string, note = '', rating = 0) {
    const req: LeadRequest = { code, note, rating }
    return this.post<LeadAnswer>('/x/api/lead', req)
  }
  leads() { return this.post<Lead[]>('/x/api/leads', {}) }

  async workbook(): Promise<Blob> {
    const r = await fetch(this.base + '/x/api/leads.xlsx', { headers: { Authorization: 'Bearer ' + (this.token ?? '') } })
    if (!r.ok) throw new Error((await r.json().catch(() => ({ error: `HTTP ${r.status}` }))).error)
    return r.blob()
  }
}
