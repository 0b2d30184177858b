import { describe, expect, it } from 'vitest'
import { enterAction, isScannerBurst, looksLikeBadgeCode, StrayBurst } from '../src/scanner'
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

describe('StrayBurst: a scan typed while the focus is elsewhere', () => {
  const code = 'FZ1.EDEMO2026.PDEMO0001.1.QBTHESXT7NVIR2DN'
  function typeAt(s: StrayBurst<string>, text: string, start: number, gap: number, target = 'desk-no', before = '1') {
    ;[...text].forEach((ch, i) => s.key(ch, start + i * gap, target, before))
    return start + (text.length - 1) * gap
  }
  it('a burst into the desk number is a badge, with what the field held before', () => {
    const s = new StrayBurst<string>()
    const end = typeAt(s, code, 1000, 4)
    expect(s.enter(end + 5)).toBe(code)
    expect(s.target).toBe('desk-no')
    expect(s.before).toBe('1')
  })
  it('a person typing a desk number is not a scan', () => {
    const s = new StrayBurst<string>()
    const end = typeAt(s, '12', 1000, 180)
    expect(s.enter(end + 300)).toBeNull()
    expect(s.keys).toBe('')
  })
  it('slow keys before the burst do not join it', () => {
    const s = new StrayBurst<string>()
    typeAt(s, 'ab', 0, 400, 'desk-no', '1')
    const end = typeAt(s, code, 5000, 4, 'desk-no', '1ab')
    expect(s.enter(end + 3)).toBe(code)
    expect(s.before).toBe('1ab')
  })
  it('a stall of the page in the middle of a burst does not lose the scan', () => {
    const s = new StrayBurst<string>()
    const mid = typeAt(s, code.slice(0, 20), 1000, 4)
    const end = typeAt(s, code.slice(20), mid + 300, 4)
    expect(s.enter(end + 5)).toBe(code)
  })
  it('a desk number typed just before a burst stays in the field', () => {
    const s = new StrayBurst<string>()
    const t = typeAt(s, '2', 1000, 4, 'desk-no', '1')
    const end = typeAt(s, code, t + 250, 4, 'desk-no', '12')
    const got = s.enter(end + 5)
    expect(got).toBe(code)
    expect(s.restored('12' + code, got!)).toBe('12')
  })
  it('knows a sequence is being typed, so the focus is not moved under it', () => {
    const s = new StrayBurst<string>()
    expect(s.typing(1000)).toBe(false)
    const end = typeAt(s, code.slice(0, 10), 1000, 4)
    expect(s.typing(end + 50)).toBe(true)
    expect(s.typing(end + 1000)).toBe(false)
  })
  it('an Enter long after the keys is not a scan', () => {
    const s = new StrayBurst<string>()
    const end = typeAt(s, code, 0, 4)
    expect(s.enter(end + 2000)).toBeNull()
  })
})
