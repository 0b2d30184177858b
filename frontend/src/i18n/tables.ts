import { i18n } from '.'

/**
 * A table's name in the page's language. The session stores Chinese
 * labels ("3 号桌", "3 号桌（某单位）" for a fixed seat); a label the
 * organizer wrote otherwise shows as written. short drops the fixed
 * seat's organization (the hall board).
 */
export function tableName(label: string, short = false): string {
  const m = /^(\d+) 号桌(?:（(.*)）)?$/.exec(label)
  if (!m) return short ? label.split('（')[0] : label
  const n = i18n.global.t('match.tableN', { n: m[1] })
  return m[2] && !short ? i18n.global.t('match.tableAt', { table: n, org: m[2] }) : n
}
