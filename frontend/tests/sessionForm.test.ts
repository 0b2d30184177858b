import { describe, expect, it } from 'vitest'
import { formFromSession, venueTime } from '../src/components/match/sessionForm'
import type { MatchSession } from '../src/api/generated'

describe('the session form', () => {
  it('starts a new session on the event day, never a date of its own', () => {
    const f = formFromSession(null, '2027-06-18')
    expect(f.start).toBe('2027-06-18 14:00')
    expect(f.requestDeadline).toBeNull()
  })
  it('fills the programme\'s matchmaking session with 20-minute slots', () => {
    const f = formFromSession(null, '2027-06-18', { start: '2027-06-18T10:30:00+08:00', end: '2027-06-18T12:30:00+08:00' })
    expect(f.start).toBe('2027-06-18 10:30')
    expect(f.slots).toBe(6)
    expect(f.breakAfter).toBe(0)
    expect(formFromSession(null, '2027-06-18', { start: '2027-06-18T10:30:00+08:00', end: '2027-06-18T10:40:00+08:00' }).start).toBe('2027-06-18 14:00')
  })
  it('shows a saved session as it was set up, break included', () => {
    const slot = (id: string, hm: string) => ({ id, start: `2027-06-18T${hm}:00+08:00`, minutes: 20 })
    const s: MatchSession = {
      slots: [slot('S01', '14:00'), slot('S02', '14:20'), slot('S03', '15:00'), slot('S04', '15:20')],
      tables: [{ id: 'T001', label: '1' }, { id: 'T002', label: '2' }],
      blocked: {}, maxMeetings: 4, requestCap: 3, requestDeadline: '2027-06-17T18:00:00+08:00',
    } as MatchSession
    expect(formFromSession(s, '2000-01-01')).toEqual({
      start: '2027-06-18 14:00', slotMinutes: 20, slots: 4, breakAfter: 2, tables: 2, maxMeetings: 4, requestCap: 3, requestDeadline: '2027-06-17 18:00',
    })
    expect(venueTime('')).toBe('')
  })
})
