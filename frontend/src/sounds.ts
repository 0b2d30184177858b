// Distinct sounds for the three answers, so the person at the desk hears the
// result without looking: one high beep (green), two mid beeps (amber), a
// low buzz (red). WebAudio only; silently does nothing where unavailable.
import type { ScanResult } from './api/types'

let ctx: AudioContext | null = null

function tone(freq: number, start: number, dur: number, type: OscillatorType = 'sine') {
  if (!ctx) return
  const o = ctx.createOscillator()
  const g = ctx.createGain()
  o.type = type
  o.frequency.value = freq
  g.gain.setValueAtTime(0.25, ctx.currentTime + start)
  g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + start + dur)
  o.connect(g).connect(ctx.destination)
  o.start(ctx.currentTime + start)
  o.stop(ctx.currentTime + start + dur + 0.02)
}

export function colourOf(result: ScanResult): 'green' | 'amber' | 'red' {
  if (result === 'ok') return 'green'
  if (result === 'duplicate') return 'amber'
  return 'red'
}

export function playFor(result: ScanResult) {
  try {
    ctx ??= new AudioContext()
  } catch {
    return
  }
  switch (colourOf(result)) {
    case 'green':
      tone(1320, 0, 0.15)
      break
    case 'amber':
      tone(880, 0, 0.12)
      tone(880, 0.18, 0.12)
      break
    default:
      tone(220, 0, 0.5, 'square')
  }
}
