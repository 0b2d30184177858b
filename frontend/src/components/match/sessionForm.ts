import type { MatchSession } from '../../api/generated'

/** The session setup form: venue times as "2026-05-20 14:00". */
export interface SessionForm {
  start: string
  slotMinutes: number
  slots: number
  breakAfter: number
  tables: number
  maxMeetings: number
  requestCap: number
  /** null: none (Naive's date picker takes null, not '', for no date) */
  requestDeadline: string | null
}

/** A venue time as the form shows it ("2026-05-20T14:00:00+08:00" → "2026-05-20 14:00"). */
export const venueTime = (rfc3339: string) => (rfc3339 ? rfc3339.slice(0, 10) + ' ' + rfc3339.slice(11, 16) : '')

/** The programme's matchmaking session, when there is one: its start and end (RFC 3339). */
export interface PlannedSession {
  start: string
  end: string
}

/**
 * The form for a saved session, so the organizer sees and edits what is
 * there; for a new one, the programme's matchmaking session (filled with
 * 20-minute slots) or else the defaults on the event's first day.
 */
export function formFromSession(s: MatchSession | null, eventDate: string, planned?: PlannedSession | null): SessionForm {
  const slots = s?.slots ?? []
  if (!s || !slots.length) {
    const blank: SessionForm = { start: `${eventDate || new Date().toISOString().slice(0, 10)} 14:00`, slotMinutes: 20, slots: 12, breakAfter: 6, tables: 30, maxMeetings: 6, requestCap: 0, requestDeadline: null }
    const minutes = planned ? (Date.parse(planned.end) - Date.parse(planned.start)) / 60000 : 0
    if (planned && minutes >= 20) {
      const n = Math.floor(minutes / 20)
      return { ...blank, start: venueTime(planned.start), slots: n, breakAfter: n > 6 ? Math.floor(n / 2) : 0 }
    }
    return blank
  }
  const minutes = slots[0].minutes || 20
  let breakAfter = 0
  for (let i = 1; i < slots.length; i++) {
    const gap = (Date.parse(slots[i].start) - Date.parse(slots[i - 1].start)) / 60000
    if (gap > minutes) {
      breakAfter = i
      break
    }
  }
  return {
    start: venueTime(slots[0].start),
    slotMinutes: minutes,
    slots: slots.length,
    breakAfter,
    tables: s.tables.length,
    maxMeetings: s.maxMeetings,
    requestCap: s.requestCap,
    requestDeadline: s.requestDeadline ? venueTime(s.requestDeadline) : null,
  }
}
