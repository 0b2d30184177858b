import { reactive } from 'vue'
// One typed API for both shells: inside the Wails window it calls the bound
// Go methods (window.go.app.<Service>.<Method>); in a browser it POSTs the
// same call to `fuzhi serve` at /api/<Service>/<Method>.
import type { MeetingStatus, RequestStatus, Achievement, Demand, EventInput, ImportField, Participant, ParticipantQuery, SessionInput, PlatformConfig, Outcome, BadgeRequest, ScheduleDraft } from './types'

import type { BackupSettings, Bound, FollowUpInput, PrintedBadge, PrintedBadges, PanelInput, ProgrammeInput, ResponseInput, ScoreInput, TalkInput } from './generated'
import { say, type Said } from '../i18n/say'
import { i18n } from '../i18n'

type Args<F> = F extends (...a: infer A) => unknown ? A : never
type Result<F> = F extends (...a: never[]) => infer R ? R : never

export type Transport = (service: string, method: string, args: unknown[]) => Promise<unknown>

/**
 * An error the Go side reported; message is already the sentence to show,
 * in the page's language when the service gave its code (model/msg).
 */
export class ApiError extends Error {
  constructor(message: string | Said, readonly status = 0) {
    super(say(message))
    this.name = 'ApiError'
  }
}

/** The error body of the API and of the window's ErrorFormatter (app/web.ErrorBody). */
function refusal(body: unknown): Said | null {
  const b = body as { error?: unknown; code?: unknown; params?: unknown } | null
  if (!b || typeof b !== 'object' || typeof b.error !== 'string') return null
  return { text: b.error, code: typeof b.code === 'string' ? b.code : undefined, params: (b.params as Record<string, unknown>) ?? null }
}

type WailsBound = Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>

export interface WailsWindow {
  go?: { app?: WailsBound }
  runtime?: {
    EventsOn: (name: string, cb: (data: unknown) => void) => () => void
    BrowserOpenURL?: (url: string) => void
  }
}

export function wailsTransport(bound: WailsBound): Transport {
  return async (service, method, args) => {
    const fn = bound[service]?.[method]
    if (!fn) throw new ApiError(i18n.global.t('api.noMethod', { name: `${service}/${method}` }))
    try {
      return await fn(...args)
    } catch (e) {
      // Wails rejects with the Go error's text as a plain string.
      throw new ApiError(refusal(e) ?? (typeof e === 'string' ? e : e instanceof Error ? e.message : String(e)))
    }
  }
}

/**
 * Whether the page reaches `fuzhi serve`. It goes false when a call cannot
 * connect or the event stream drops, and true again when either gets
 * through; the page shows a banner meanwhile (App.vue) and re-reads the
 * open event when it comes back (onReconnect).
 */
export const connection = reactive({ reachable: true })
const reconnectListeners = new Set<() => void>()
/** Runs cb each time the service is reachable again after it was not. */
export function onReconnect(cb: () => void): () => void {
  reconnectListeners.add(cb)
  return () => reconnectListeners.delete(cb)
}
function setReachable(ok: boolean) {
  if (ok === connection.reachable) return
  connection.reachable = ok
  if (ok) reconnectListeners.forEach((cb) => cb())
}

export function httpTransport(base = '', fetchFn: typeof fetch = (...a) => fetch(...a)): Transport {
  return async (service, method, args) => {
    let resp: Response
    try {
      resp = await fetchFn(`${base}/api/${service}/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(args),
      })
    } catch {
      setReachable(false)
      throw new ApiError(i18n.global.t('api.unreachable'))
    }
    setReachable(true)
    const text = await resp.text()
    let body: unknown = null
    if (text) {
      try {
        body = JSON.parse(text)
      } catch {
        throw new ApiError(i18n.global.t('api.garbled', { status: resp.status }), resp.status)
      }
    }
    if (!resp.ok) {
      throw new ApiError(refusal(body) ?? i18n.global.t('api.failed', { status: resp.status }), resp.status)
    }
    return body
  }
}

export function pickTransport(win: WailsWindow = window as unknown as WailsWindow): Transport {
  return win.go?.app ? wailsTransport(win.go.app) : httpTransport()
}

/** Subscribes to service events (roster:changed, event:changed). */
export function subscribe(
  name: string,
  cb: (data: unknown) => void,
  win: WailsWindow = window as unknown as WailsWindow,
): () => void {
  if (win.runtime?.EventsOn) return win.runtime.EventsOn(name, cb)
  return sharedEventSource().add(name, cb)
}

let source: { add: (n: string, cb: (d: unknown) => void) => () => void } | null = null
function sharedEventSource() {
  if (source) return source
  const listeners = new Map<string, Set<(d: unknown) => void>>()
  if (typeof EventSource !== 'undefined') {
    const es = new EventSource('/api/events')
    // The browser reconnects the stream by itself every few seconds, so
    // the stream is also what notices the service is back.
    es.onerror = () => setReachable(false)
    es.onopen = () => setReachable(true)
    es.onmessage = (ev) => {
      try {
        const msg = JSON.parse(ev.data) as { name: string; data: unknown }
        listeners.get(msg.name)?.forEach((cb) => cb(msg.data))
      } catch {
        /* a malformed event is ignored; the next refresh catches up */
      }
    }
  }
  source = {
    add(n, cb) {
      if (!listeners.has(n)) listeners.set(n, new Set())
      listeners.get(n)!.add(cb)
      return () => listeners.get(n)!.delete(cb)
    },
  }
  return source
}

export function createApi(t: Transport) {
  // Every call is checked against the Go signature (generated.ts): a
  // method that does not exist, or arguments of the wrong shape, fail the
  // type-check, and the result type is Go's.
  const call = <S extends keyof Bound, M extends keyof Bound[S] & string>(s: S, m: M, ...args: Args<Bound[S][M]>) =>
    t(s, m, args) as Result<Bound[S][M]>
  return {
    event: {
      current: () => call('EventService', 'Current'),
      create: (input: EventInput) => call('EventService', 'Create', input),
      update: (input: EventInput) => call('EventService', 'Update', input),
      open: (path: string) => call('EventService', 'Open', path),
      openDemo: () => call('EventService', 'OpenDemo'),
      openPractice: () => call('EventService', 'OpenPractice'),
      setLogo: (dataBase64: string) => call('EventService', 'SetLogo', dataBase64),
      close: () => call('EventService', 'Close'),
      recent: () => call('EventService', 'Recent'),
      backup: () => call('EventService', 'Backup'),
      fileUsage: () => call('EventService', 'FileUsage'),
      compact: () => call('EventService', 'Compact'),
      saveExport: (fileName: string, dataBase64: string) => call('EventService', 'SaveExport', fileName, dataBase64),
      startPage: () => call('EventService', 'StartPage'),
      about: () => call('EventService', 'About'),
      diagnostics: () => call('EventService', 'Diagnostics'),
      formats: () => call('EventService', 'Formats'),
    },
    roster: {
      list: (q: ParticipantQuery) => call('RosterService', 'List', q),
      get: (id: string) => call('RosterService', 'Get', id),
      save: (p: Partial<Participant>) => call('RosterService', 'Save', p as Participant),
      remove: (id: string) => call('RosterService', 'Delete', id),
      previewImport: (fileName: string, dataBase64: string) =>
        call('RosterService', 'PreviewImport', fileName, dataBase64),
      import: (fileName: string, dataBase64: string, mapping?: ImportField[]) =>
        call('RosterService', 'Import', { fileName, data: dataBase64, mapping }),
      exportXlsx: (unmasked = false) => call('RosterService', 'Export', { unmasked }),
      roles: () => call('RosterService', 'Roles'),
    },
    checkin: {
      scan: (code: string, desk: string) => call('CheckinService', 'Scan', code, desk),
      checkIn: (participantId: string, desk: string) => call('CheckinService', 'CheckIn', participantId, desk),
      undo: (scanId: string) => call('CheckinService', 'Undo', scanId),
      lastAtDesk: (desk: string) => call('CheckinService', 'LastAtDesk', desk),
      undoLast: (desk: string, expected: string) => call('CheckinService', 'UndoLast', desk, expected),
      search: (q: string, limit = 12) => call('CheckinService', 'Search', q, limit),
      walkIn: (p: Partial<Participant>, desk: string, layout: string) => call('CheckinService', 'WalkIn', p as Participant, desk, layout),
      dashboard: () => call('CheckinService', 'Dashboard'),
      badgeCode: (participantId: string) => call('CheckinService', 'BadgeCode', participantId),
      rotateKey: (confirmName: string) => call('CheckinService', 'RotateKey', confirmName),
    },
    badge: {
      layouts: () => call('BadgeService', 'Layouts'),
      print: (req: BadgeRequest) => call('BadgeService', 'Print', req),
      reprint: (participantId: string, layout: string) => call('BadgeService', 'Reprint', participantId, layout),
      markPrinted: (badges: PrintedBadge[]) => call('BadgeService', 'MarkPrinted', badges),
    },
    match: {
      session: () => call('MatchService', 'Session'),
      setup: (input: SessionInput) => call('MatchService', 'SetupSession', input),
      previewSession: (input: SessionInput) => call('MatchService', 'PreviewSession', input),
      requests: () => call('RequestService', 'List'),
      createRequest: (from: string, to: string, priority: string, topic: string, accepted: boolean) =>
        call('RequestService', 'Create', from, to, priority, topic, accepted),
      setRequestStatus: (id: string, status: RequestStatus) => call('RequestService', 'SetStatus', id, status),
      scheduleAll: (seconds: number) => call('MatchService', 'ScheduleAll', seconds),
      publish: () => call('MatchService', 'Publish'),
      /** The pending draft, or null when there is none. */
      draft: (): Promise<ScheduleDraft | null> => call('MatchService', 'Draft'),
      discardDraft: () => call('MatchService', 'DiscardDraft'),
      meetings: () => call('MatchService', 'Meetings'),
      move: (id: string, slot: string, table: string) => call('MatchService', 'MoveMeeting', id, slot, table),
      lock: (id: string, locked: boolean) => call('MatchService', 'LockMeeting', id, locked),
      mark: (id: string, status: MeetingStatus) => call('TableService', 'Mark', id, status),
      replace: (id: string) => call('TableService', 'Replace', id),
      saveOutcome: (o: Outcome) => call('TableService', 'SaveOutcome', o),
      outcomeHistory: (meetingId: string) => call('TableService', 'OutcomeHistory', meetingId),
      /** Follow-up calls not yet made, due within days (every one when days < 0). */
      followUps: (days: number) => call('TableService', 'FollowUps', days),
      recordFollowUp: (f: FollowUpInput) => call('TableService', 'RecordFollowUp', f),
      agendas: (ids: string[] = []) => call('TableService', 'Agendas', { ids }),
      fillGap: (meetingId: string, presentId: string) => call('TableService', 'FillGap', meetingId, presentId),
      addSpontaneous: (from: string, to: string, slot: string, table: string) => call('TableService', 'AddSpontaneous', from, to, slot, table),
      tableTents: () => call('TableService', 'TableTents'),
      setBlocked: (participantId: string, slots: string[]) => call('MatchService', 'SetBlocked', participantId, slots),
      importRequests: (fileName: string, dataBase64: string) => call('RequestService', 'Import', { fileName, data: dataBase64 }),
      scanAtTable: (table: string, code: string) => call('TableService', 'Scan', table, code),
    },
    programme: {
      list: () => call('ProgrammeService', 'List'),
      get: (id: string) => call('ProgrammeService', 'Get', id),
      save: (p: ProgrammeInput) => call('ProgrammeService', 'Save', p),
      remove: (id: string) => call('ProgrammeService', 'Delete', id),
      setTalks: (sessionId: string, talks: TalkInput[]) => call('ProgrammeService', 'SetTalks', sessionId, talks),
      /** The stage key: the next talk begins. */
      advance: (sessionId: string) => call('ProgrammeService', 'Advance', sessionId),
      back: (sessionId: string) => call('ProgrammeService', 'Back', sessionId),
      /** 想约谈: a meeting request from the participant to the talk's presenter. */
      mark: (talkId: string, participantId: string) => call('ProgrammeService', 'Mark', talkId, participantId),
      setPanel: (p: PanelInput) => call('ProgrammeService', 'SetPanel', p),
      /** One judge's marks (0–10 per criterion) for one talk. */
      score: (s: ScoreInput) => call('ProgrammeService', 'Score', s),
      ranking: (sessionId: string) => call('ProgrammeService', 'Ranking', sessionId),
      rankingXlsx: (sessionId: string) => call('ProgrammeService', 'RankingXLSX', sessionId),
    },
    dictionary: {
      get: () => call('DictionaryService', 'Dictionary'),
      /** Every chain as typed in the event and where it maps, those to review first. */
      chainReview: () => call('DictionaryService', 'ChainReview'),
      /** The organizer's mapping of a chain as typed ('' = none of the dictionary's). */
      mapChain: (text: string, code: string) => call('DictionaryService', 'MapChain', text, code),
    },
    backup: {
      settings: () => call('BackupService', 'Settings'),
      status: () => call('BackupService', 'Status'),
      configure: (s: BackupSettings) => call('BackupService', 'Configure', s),
      now: () => call('BackupService', 'BackupNow'),
      list: (folder: string) => call('BackupService', 'List', folder),
      restore: (path: string) => call('BackupService', 'Restore', path),
    },
    summary: {
      get: () => call('SummaryService', 'Summary'),
      pdf: () => call('SummaryService', 'SummaryPDF'),
      xlsx: () => call('SummaryService', 'SummaryXLSX'),
      /** 典型案例: a page per signed deal (every one when ids is empty). */
      cases: (ids: string[] = []) => call('SummaryService', 'CaseStudies', ids),
    },
    platform: {
      config: () => call('PlatformService', 'Config'),
      setConfig: (c: PlatformConfig) => call('PlatformService', 'SetConfig', c),
      upload: () => call('PlatformService', 'Upload'),
      exportPackage: () => call('PlatformService', 'ExportPackage'),
      pullCatalog: () => call('PlatformService', 'PullCatalog'),
    },
    network: {
      status: () => call('NetworkService', 'Status'),
      startHub: (addr: string) => call('NetworkService', 'StartHub', addr),
      stopHub: () => call('NetworkService', 'StopHub'),
      newCode: (kind: 'station' | 'exhibitor', participantId = '') => call('NetworkService', 'NewPairingCode', kind, participantId),
      revoke: (id: string) => call('NetworkService', 'Revoke', id),
      join: (pairing: string, name: string) => call('NetworkService', 'Join', pairing, name),
      syncNow: () => call('NetworkService', 'SyncNow'),
      promote: (addr: string) => call('NetworkService', 'Promote', addr),
      qr: (text: string) => call('NetworkService', 'QR', text),
      leads: () => call('NetworkService', 'Leads'),
      proposals: () => call('NetworkService', 'Proposals'),
    },
    catalog: {
      achievements: () => call('CatalogService', 'Achievements'),
      demands: () => call('CatalogService', 'Demands'),
      importAchievements: (fileName: string, dataBase64: string) => call('CatalogService', 'ImportAchievements', { fileName, data: dataBase64 }),
      importDemands: (fileName: string, dataBase64: string) => call('CatalogService', 'ImportDemands', { fileName, data: dataBase64 }),
      recommendAchievements: (demandId: string, limit = 8) => call('CatalogService', 'RecommendAchievements', demandId, limit),
      recommendDemands: (achievementId: string, limit = 8) => call('CatalogService', 'RecommendDemands', achievementId, limit),
      requestFromRecommendation: (demandId: string, achievementId: string) => call('CatalogService', 'RequestFromRecommendation', demandId, achievementId),
      recommendInvestors: (demandId: string, limit = 6) => call('CatalogService', 'RecommendInvestors', demandId, limit),
      requestWithInvestor: (demandId: string, investorId: string) => call('CatalogService', 'RequestWithInvestor', demandId, investorId),
      saveAchievement: (a: Achievement) => call('CatalogService', 'SaveAchievement', a),
      saveDemand: (d: Demand) => call('CatalogService', 'SaveDemand', d),
      /** 揭榜: a response to an SME's challenge, which also asks the SME for a meeting. */
      respond: (r: ResponseInput) => call('CatalogService', 'Respond', r),
      responses: (demandId = '') => call('CatalogService', 'Responses', demandId),
    },
  }
}

export type Api = ReturnType<typeof createApi>

let current: Api | null = null
/** The app-wide API; tests replace it with setApi. */
export function api(): Api {
  if (!current) current = createApi(pickTransport())
  return current
}
export function setApi(a: Api) {
  current = a
}

/** Go's []byte travels as base64, in both shells. */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = ''
  const chunk = 0x8000
  for (let i = 0; i < bytes.length; i += chunk) {
    bin += String.fromCharCode(...bytes.subarray(i, i + chunk))
  }
  return btoa(bin)
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

/**
 * Hands a produced file (PDF, XLSX) to the user: in a browser as a
 * download; in the desktop window it is saved in the event's exports folder
 * and opened with the system viewer, since a download has nowhere to go there.
 * Returns the saved path in the window, '' in a browser.
 */
export async function deliverFile(
  fileName: string,
  b64: string,
  mime: string,
  win: WailsWindow = window as unknown as WailsWindow,
): Promise<string> {
  if (win.go?.app) {
    const path = await api().event.saveExport(fileName, b64)
    win.runtime?.BrowserOpenURL?.('file://' + path)
    return path
  }
  const blob = new Blob([base64ToBytes(b64) as BlobPart], { type: mime })
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 10000)
  return ''
}

/**
 * Hands badges over as deliverFile does; they count as printed only once
 * that succeeded, so a failed save leaves them "not yet printed".
 */
export async function deliverBadges(fileName: string, printed: PrintedBadges): Promise<string> {
  const path = await deliverFile(fileName, printed.pdf, PDF)
  await api().badge.markPrinted(printed.badges)
  return path
}

export const PDF = 'application/pdf'
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
