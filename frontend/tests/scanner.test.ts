import { describe, expect, it } from 'vitest'
import { enterAction, isScannerBurst, looksLikeBadgeCode } from '../src/scanner'
import { colourOf } from '../src/sounds'

const typed = (n: number, gap: number) => Array.from({ length: n }, (_, i) => 1000 + i * gap)

describe('scanner or person', () => {
  it('a USB scanner types a whole code in a burst', () => {
    expect(isScannerBurst(typed(42, 4))).toBe(true)
    expect(enterAction('ABC123XYZ', typed(9, 8))).toBe('scan')
  })
  it('a person typing a name is a search', () => {
    expect(isScannerBurst(typed(8, 140))).toBe(false)
    expect(enterAction('zhangsan', typed(8, 140))).toBe('search')
    expect(enterAction('zs', typed(2, 5))).toBe('search') // too short to be a scanner
  })
  it('a badge code typed by hand is still a scan, whatever the case', () => {
    expect(looksLikeBadgeCode('fz1.edemo.p1.1.abc')).toBe(true)
    expect(enterAction('FZ1.E.P.1.X', typed(11, 200))).toBe('scan')
    expect(looksLikeBadgeCode('张三')).toBe(false)
  })
  it('answers map to three colours', () => {
    expect(colourOf('ok')).toBe('green')
    expect(colourOf('duplicate')).toBe('amber')
    for (const r of ['revoked', 'forged', 'foreign', 'unknown', 'malformed'] as const) expect(colourOf(r)).toBe('red')
  })
})
