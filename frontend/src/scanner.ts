// Telling a USB badge scanner from a person at the keyboard. A scanner is
// a keyboard that types a whole code in a few milliseconds per key and ends
// with Enter; a person types slower and unevenly. The desk uses this to
// decide whether Enter means "check this badge in" or "search for this".

export interface KeyTiming {
  /** time of each character key, in ms */
  stamps: number[]
}

export const BURST_MIN_CHARS = 6
export const BURST_MAX_AVG_GAP_MS = 35

export function isScannerBurst(stamps: number[]): boolean {
  if (stamps.length < BURST_MIN_CHARS) return false
  const gaps: number[] = []
  for (let i = 1; i < stamps.length; i++) gaps.push(stamps[i] - stamps[i - 1])
  const avg = gaps.reduce((a, b) => a + b, 0) / gaps.length
  return avg <= BURST_MAX_AVG_GAP_MS
}

/** A badge code, whatever the case a scanner's Caps Lock typed it in. */
export function looksLikeBadgeCode(text: string): boolean {
  return /^fz1\./i.test(text.trim())
}

export type EnterAction = 'scan' | 'search'

/** What Enter in the desk's one field should do. */
export function enterAction(text: string, stamps: number[]): EnterAction {
  if (looksLikeBadgeCode(text) || isScannerBurst(stamps)) return 'scan'
  return 'search'
}

/**
 * Keys further apart than this start a new sequence. A scanner's are a few
 * ms apart, but a busy laptop can stall the page for a few hundred ms in
 * the middle of a burst; the code is still found by its "fz1." start.
 */
export const STRAY_GAP_MS = 400

/**
 * Catches a scanner's burst typed while the focus is somewhere other than
 * the scan field (a button, the desk number, nothing at all): it keeps the
 * keys of the current fast sequence, where they started and what that
 * field held before, and at Enter says whether they were a badge.
 */
export class StrayBurst<T = unknown> {
  keys = ''
  stamps: number[] = []
  /** Where the sequence was typed, and that field's value before it. */
  target: T | null = null
  before: string | null = null

  key(ch: string, now: number, target: T | null, valueBefore: string | null) {
    const last = this.stamps[this.stamps.length - 1]
    if (last !== undefined && now - last > STRAY_GAP_MS) this.reset()
    if (!this.stamps.length) {
      this.target = target
      this.before = valueBefore
    }
    this.keys += ch
    this.stamps.push(now)
  }

  /** At Enter: the code if the sequence was a scanner's, else null. Starts over either way. */
  enter(now: number): string | null {
    const last = this.stamps[this.stamps.length - 1]
    const fresh = last !== undefined && now - last <= STRAY_GAP_MS
    let code: string | null = null
    if (fresh) {
      // A person's key just before the burst (a desk number) is not part of the code.
      const at = this.keys.toLowerCase().lastIndexOf('fz1.')
      if (at >= 0) code = this.keys.slice(at).trim()
      else if (isScannerBurst(this.stamps)) code = this.keys.trim()
    }
    if (code === null) this.reset()
    return code
  }

  /** Whether a sequence is being typed right now. */
  typing(now: number): boolean {
    const last = this.stamps[this.stamps.length - 1]
    return last !== undefined && now - last <= STRAY_GAP_MS
  }

  /** What a field that now holds current held before code was typed into it. */
  restored(current: string, code: string): string {
    if (code && current.endsWith(code)) return current.slice(0, -code.length)
    return this.before ?? current
  }

  reset() {
    this.keys = ''
    this.stamps = []
    this.target = null
    this.before = null
  }
}
