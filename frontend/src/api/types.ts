// The frontend's names for the Go contract. Every type here comes from
// generated.ts (internal/contract writes it from the Go services); only
// what Go does not name lives here.
import type { BucketCount, Event, Field, FinanceKind, FollowUpState, Layout, Rejected, Role, RoleArrival, Roadshow, SessionKind, TransferMode } from './generated'

export type {
  Achievement,
  AchievementMatch,
  AgendaRequest,
  BadgeRequest,
  BucketCount,
  CatalogImportSummary,
  ChainFigure,
  Dashboard,
  Demand,
  DemandMatch,
  Duplicate,
  Event,
  EventInfo,
  EventInput,
  ExportRequest,
  Holder,
  ImportPreview,
  ImportRequest,
  ImportSummary,
  InvestorMatch,
  Layout,
  Lead,
  MatchSession,
  MatchSlot,
  MatchTable,
  Meeting,
  MeetingRequest,
  MeetingStatus,
  MeetingView,
  ModeFigure,
  NetworkStatus,
  Finance,
  FinanceFigure,
  FinanceKind,
  FollowUp,
  FollowUpDue,
  FollowUpInput,
  FollowUpState,
  Outcome,
  OutcomeResult,
  PairingCode,
  Participant,
  ParticipantPage,
  ParticipantQuery,
  PeerStatus,
  PlatformConfig,
  Proposal,
  ProposalStatus,
  Reason,
  RecentArrival,
  RecentEvent,
  Rejected,
  Rejection,
  RequestImportSummary,
  RequestStatus,
  RequestView,
  Roadshow,
  Role,
  RoleArrival,
  RoleOption,
  ScanAnswer,
  ScheduleDraft,
  SearchHit,
  SessionInput,
  SessionKind,
  SessionView,
  TalkView,
  ProgrammeInput,
  TalkInput,
  ResponseInput,
  ResponseView,
  ChainUse,
  Dictionary,
  Criterion,
  Ranking,
  Stats,
  Summary,
  TableScanAnswer,
  Tier,
  TransferMode,
  UnknownRole,
  UploadResult,
  WalkInResult,
} from './generated'

// Every transfer mode, in the reports' order; a mode added in Go (the
// generated TransferMode) fails the type check here until it is listed.
const modes: Record<TransferMode, true> = { assignment: true, license: true, equity: true, joint_dev: true, service: true, open_license: true }
export const TRANSFER_MODES = Object.keys(modes) as TransferMode[]

// Likewise the financing kinds and the follow-up states, in Go's order.
const financeKinds: Record<FinanceKind, true> = { loan: true, ip_pledge: true, equity: true, guarantee: true }
export const FINANCE_KINDS = Object.keys(financeKinds) as FinanceKind[]
const followUpStates: Record<FollowUpState, true> = { negotiating: true, signed: true, dropped: true }
export const FOLLOW_UP_STATES = Object.keys(followUpStates) as FollowUpState[]

// The kinds of a programme session, in Go's order.
const sessionKinds: Record<SessionKind, true> = { forum: true, roadshow: true, matchmaking: true, exhibition: true, industry_finance: true, promotion: true, challenge: true }
export const SESSION_KINDS = Object.keys(sessionKinds) as SessionKind[]

export const ROLES: Exclude<Role, ''>[] = ['sme', 'university', 'institute', 'enterprise', 'investor', 'service', 'government', 'media']

export type EventData = Event
export type BadgeLayout = Layout
export type RowIssue = Rejected
export type Bucket = BucketCount
export type RoleArrivalRow = RoleArrival
export type RoadshowRow = Roadshow

/** A column the registration import can map to ('' = ignore). */
export type ImportField = Field

/** What a badge scan at the desk can answer. */
export type ScanResult = 'ok' | 'duplicate' | 'revoked' | 'forged' | 'foreign' | 'unknown' | 'malformed'
