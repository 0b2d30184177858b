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
