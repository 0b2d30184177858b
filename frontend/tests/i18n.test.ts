import { describe, expect, it } from 'vitest'
import zh from '../src/i18n/zh-CN'
import en from '../src/i18n/en'

// Typed keys, checked: every t('…') in the sources names a message that
// exists, and both languages have the same keys.
type Tree = { [k: string]: string | Tree }

function paths(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : paths(v, prefix + k + '.')))
}
function lookup(tree: Tree, key: string): string | Tree | undefined {
  let node: string | Tree | undefined = tree
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = node[part]
  }
  return node
}
// Every screen and module, as text (Vite's glob import, no file system API).
const sources = import.meta.glob(['../src/**/*.vue', '../src/**/*.ts', '!../src/i18n/**'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>

export function keysUsed(text: string): { exact: string[]; prefixes: string[] } {
  const exact = [...text.matchAll(/\bt\(\s*'([\w.]+)'\s*[,)]/g)].map((m) => m[1])
  const prefixes = [...text.matchAll(/\bt\(\s*'([\w.]+\.)'\s*\+/g)].map((m) => m[1].slice(0, -1))
  return { exact, prefixes }
}

describe('i18n', () => {
  it('zh-CN and en have the same keys', () => {
    expect(paths(en as unknown as Tree).sort()).toEqual(paths(zh as unknown as Tree).sort())
  })

  it('finds the keys a source uses (the checker itself)', () => {
    const u = keysUsed(`t('nav.desk') t('match.results.' + r) t('a.b', { n })`)
    expect(u.exact).toEqual(['nav.desk', 'a.b'])
    expect(u.prefixes).toEqual(['match.results'])
  })

  it('every key the screens use exists', () => {
    const files = Object.keys(sources)
    expect(files.length).toBeGreaterThan(20)
    const missing: string[] = []
    let checked = 0
    for (const f of files) {
      const { exact, prefixes } = keysUsed(sources[f])
      for (const k of exact) {
        checked++
        if (typeof lookup(zh as unknown as Tree, k) !== 'string') missing.push(`${f}: ${k}`)
      }
      for (const p of prefixes) {
        checked++
        if (typeof lookup(zh as unknown as Tree, p) !== 'object') missing.push(`${f}: ${p}.…`)
      }
    }
    expect(checked).toBeGreaterThan(200)
    expect(missing).toEqual([])
  })
})
