import { describe, expect, it } from 'vitest'
import { serverSentences, type SentenceCode } from '../src/api/generated'
import { serverEn } from '../src/i18n/server-en'
import { fill, say } from '../src/i18n/say'
import { i18n } from '../src/i18n'

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
const chinese = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/

describe('the services’ sentences in English', () => {
  const codes = Object.keys(serverSentences) as SentenceCode[]
  it('take the same placeholders as the Chinese', () => {
    for (const c of codes) expect(placeholders(serverEn[c]), c).toEqual(placeholders(serverSentences[c]))
  })
  it('say nothing in Chinese but what they quote as input', () => {
    for (const c of codes) {
      // The priority words are what a sheet may contain; quoting them helps.
      const text = serverEn[c].replace('必须 / 希望 / 可以', '')
      expect(chinese.test(text), `${c}: ${serverEn[c]}`).toBe(false)
    }
  })
  it('fills parameters and leaves an unknown one showing', () => {
    expect(fill('Welcome, {name}! {x}', { name: '丁雪' })).toBe('Welcome, 丁雪! {x}')
  })
  it('shows the Chinese in Chinese, the English in English, and a sentence without a code as it is', () => {
    const said = { code: 'scan.welcome', params: { name: '丁雪' }, text: '欢迎，丁雪！' }
    i18n.global.locale.value = 'zh-CN'
    expect(say(said)).toBe('欢迎，丁雪！')
    i18n.global.locale.value = 'en'
    expect(say(said)).toBe('Welcome, 丁雪!')
    expect(say({ code: 'no.such.code', text: '旧分站的话' })).toBe('旧分站的话')
    expect(say({ code: '', text: 'plain' })).toBe('plain')
    i18n.global.locale.value = 'zh-CN'
  })
})
