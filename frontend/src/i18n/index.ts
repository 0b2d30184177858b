import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'

export type Locale = 'zh-CN' | 'en'

/** The messages' shape: zh-CN is the source, en is typed against it (en.ts). */
export type MessageSchema = typeof zhCN

// Typed keys: t('a.b') completes and is checked against the zh-CN messages.
declare module 'vue-i18n' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}

function savedLocale(): Locale {
  try {
    return localStorage.getItem('fuzhi.locale') === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

export function setLocale(l: Locale) {
  i18n.global.locale.value = l
  try {
    localStorage.setItem('fuzhi.locale', l)
  } catch {
    /* private mode: the choice lasts for this session only */
  }
  document.documentElement.lang = l
}
