import { i18n } from '.'
import { serverEn } from './server-en'
import { serverSentences, type SentenceCode } from '../api/generated'

/** A sentence of the services (model/msg): Chinese text, and its code and parameters when it has them. */
export interface Said {
  code?: string
  params?: Record<string, unknown> | null
  text: string
}

function isCode(code: string): code is SentenceCode {
  return Object.prototype.hasOwnProperty.call(serverSentences, code)
}

/** Puts each {name} parameter into a template; an unknown name stays as written. */
export function fill(template: string, params?: Record<string, unknown> | null): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => {
    if (!params || !(name in params)) return all
    const v = params[name]
    // A cause is a sentence of its own ({code, params, text}).
    return v && typeof v === 'object' && 'text' in v ? say(v as Said) : String(v)
  })
}

/**
 * What the page shows for a sentence of the services: the Chinese as the
 * service wrote it, or, on a page in English, the code's English. A text
 * without a code (an old station, a plain error) shows as it is.
 */
export function say(s: Said | string | null | undefined): string {
  if (!s) return ''
  if (typeof s === 'string') return s
  if (i18n.global.locale.value === 'en' && s.code && isCode(s.code)) return fill(serverEn[s.code], s.params)
  return s.text
}
