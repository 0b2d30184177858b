// Types mirror the Go services' JSON (app/*.go, model/model.go).

export type Role = 'sme' | 'university' | 'institute' | 'enterprise' | 'investor' | 'service' | 'government' | 'media'
export const ROLES: Role[] = ['sme', 'university', 'institute', 'enterprise', 'investor', 'service', 'government', 'media']

export interface EventData {
  id: string
  name: string
  startDate: string
  endDate: string
  venue: string
  province: string
  city: string
  organizer: string
  chains: string[]
  formats: string[]
  demo?: boolean
  createdAt: string
}

export interface EventInfo {
  event: EventData
  path: string
  station: string
  participants: number
  orgs: number
  achievements: number
  demands: number
  byRole: Record<string, number>
}

export interface EventInput {
  name: string
  startDate: string
  endDate?: string
  venue?: string
  province?: string
  city?: string
  organizer?: string
  chains?: string[]
  formats?: string[]
  path?: string
}

export interface RecentEvent {
  path: string
  name: string
  date: string
  city: string
  openedAt: string
  missing?: boolean
}

export interface Participant {
  id: string
  name: string
  org: string
  orgId?: string
  title?: string
  mobile?: string
  email?: string
  role?: Role | ''
  tier?: string
  creditCode?: string
  chain?: string
  note?: string
  consent?: boolean
  source?: string
  updated?: string
  badgeVersion?: number
  badgePrinted?: number
}

export interface ParticipantQuery {
  text?: string
  role?: string
  offset?: number
  limit?: number
}

export interface ParticipantPage {
  total: number
  items: Participant[]
}

export type ImportField = '' | 'name' | 'org' | 'title' | 'mobile' | 'email' | 'role' | 'creditCode' | 'chain' | 'note' | 'consent'

export interface ImportPreview {
  format: string
  encoding: string
  headerRow: number
  headers: string[]
  mapping: ImportField[]
  fields: ImportField[]
  sample: string[][]
  rows: number
}

export interface RowIssue {
  row: number
  reason: string
  message: string
  firstRow?: number
}

export interface ImportSummary {
  format: string
  encoding: string
  rows: number
  imported: number
  updated: number
  unchanged: number
  rejected: RowIssue[]
  duplicates: RowIssue[]
  unknownRoles: { row: number; value: string }[]
}

export interface Achievement {
  id: string
  title: string
  owner: string
  chain: string
  keywords: string[]
  trl: number
  patents: number
  transferModes: string[]
  askingPrice: number
  summary?: string
  ownerId?: string
}

export interface Demand {
  id: string
  title: string
  sme: string
  description: string
  chain: string
  budget: number
  challenge?: boolean
  smeId?: string
}

export type ScanResult = 'ok' | 'duplicate' | 'revoked' | 'forged' | 'foreign' | 'unknown' | 'malformed'

export interface Holder {
  id: string
  name: string
  org: string
  title?: string
  role?: string
  roleLabel?: string
}

export interface ScanAnswer {
  result: ScanResult
  reason?: string
  message: string
  participant?: Holder
  scanId?: string
  at?: string
  desk?: string
  firstAt?: string
  firstDesk?: string
}

export interface SearchHit {
  participant: Participant
  checkedIn: boolean
  at?: string
  desk?: string
}

export interface WalkInResult {
  participant: Participant
  answer: ScanAnswer
  badgePdf: string
}

export interface BucketCount {
  label: string
  count: number
}

export interface Dashboard {
  expected: number
  arrived: number
  walkIns: number
  scans: number
  repeats: number
  byRole: { role: string; label: string; expected: number; arrived: number }[]
  byQuarter: BucketCount[]
  byDesk: BucketCount[]
  recent: { name: string; org: string; at: string; desk: string }[]
  updated: string
}

export interface BadgeLayout {
  id: string
  label: string
  w: number
  h: number
  mono: boolean
}

export interface BadgeRequest {
  layout: string
  ids?: string[]
  role?: string
  unprinted?: boolean
}

export interface MatchSlot { id: string; start: string; minutes: number }
export interface MatchTable { id: string; label: string; fixed?: string }
export interface MatchSession { slots: MatchSlot[]; tables: MatchTable[]; blocked: Record<string, string[]>; maxMeetings: number; requestCap: number; requestDeadline?: string; published?: string }
export interface SessionInput {
  start: string; slotMinutes: number; slots: number; breakAfter?: number[]; tables: number; fixed?: string[]; maxMeetings: number
  requestCap?: number; requestDeadline?: string
}
export interface RequestImportSummary { rows: number; imported: number; skipped: number; rejected: RowIssue[] }
export interface TableScanAnswer { result: string; message: string; name?: string; meeting?: { id: string; status: string; slot: string } }
export interface InvestorMatch { investor: Holder; score: number; reason: AchievementMatch['reason'] }
export interface RequestView {
  id: string; from: string; to: string; priority: 'must' | 'want' | 'could'; status: string; topic?: string; created: string
  fromName: string; fromOrg: string; toName: string; toOrg: string; mutual: boolean
}
export interface Outcome {
  meeting: string; result: string; intended: boolean; mode?: string; signed: boolean; amount: number
  followUp?: string; nextStep?: string; notes?: string; updated?: string
}
export interface MeetingView {
  id: string; request: string; from: string; to: string; slot: string; table: string; status: string; locked?: boolean
  fromName: string; fromOrg: string; toName: string; toOrg: string; topic?: string; outcome?: Outcome; conflicts: string[]
}
export interface ScheduleDraft {
  meetings: { request: string; slot: string; table: string }[]
  weight: number
  requests: number
  stats: { greedy_weight: number; weight: number; covered: number; wanting: number; idle_gaps: number; seconds: number }
}

export interface AchievementMatch {
  achievement: Achievement
  score: number
  reason: { keywords: string[] | null; terms: string[] | null; sameChain: boolean; trl?: number }
}

export interface CatalogImportSummary {
  rows: number
  imported: number
  updated: number
  linked: number
  rejected: RowIssue[]
}

export interface PeerStatus { id: string; name: string; kind: string; participant?: string; lastSeen?: string; waiting: number; pending: number; revoked: boolean }
export interface PairingCode { code: string; kind: string; participant?: string; name?: string; expires: string; link: string }
export interface NetworkStatus {
  role: 'standalone' | 'hub' | 'station'; station: string; address?: string; fingerprint?: string; online: boolean
  lastSync?: string; lastError?: string; pending: number; peers: PeerStatus[]; codes: PairingCode[]
}
export interface Lead { exhibitor: string; participant: string; name: string; org: string; title?: string; rating: number; note?: string; updated: string }

export interface Bucket { label: string; count: number }
export interface RoleArrivalRow { role: string; label: string; expected: number; arrived: number }
export interface ModeFigure { mode: string; label: string; intended: number; signed: number; amount: number }
export interface ChainFigure { chain: string; meetings: number; held: number; intended: number; signed: number; amount: number }
export interface RoadshowRow { title: string; owner: string; chain: string; trl: number; modes: string; presenter?: string; meetings: number }
export interface Summary {
  expected: number; arrived: number; walkIns: number; byRole: RoleArrivalRow[]; byHour: Bucket[]
  scheduled: number; held: number; noShow: number; spontaneous: number; funnel: Bucket[]
  intended: number; signed: number; amount: number; byMode: ModeFigure[]; topChains: ChainFigure[]; roadshows: RoadshowRow[]
  leads: number; exhibitors: number; generated: string
}
export interface PlatformConfig { url: string; token: string }
export interface UploadResult { sent: number; accepted: number; duplicates: number; batches: number; checkpoint: Record<string, number> }
