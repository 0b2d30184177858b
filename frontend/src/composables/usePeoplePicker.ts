import { ref } from 'vue'
import { api } from '../api'

/** Options for a remote person picker: search by name, pinyin or mobile. */
export function usePeoplePicker() {
  const options = ref<{ label: string; value: string }[]>([])
  const names = ref(new Map<string, string>())
  async function search(q: string) {
    if (!q) return
    const hits = await api().checkin.search(q, 20).catch(() => [])
    options.value = hits.map((h) => ({ label: `${h.participant.name} · ${h.participant.org}`, value: h.participant.id }))
    for (const h of hits) names.value.set(h.participant.id, `${h.participant.name} · ${h.participant.org}`)
  }
  return { options, names, search }
}

const venueZone = { timeZone: 'Asia/Shanghai', hour12: false } as const

/**
 * A time on the venue's clock (China time), whatever the viewer's time
 * zone and however the server wrote it (…T14:00:00+08:00 or …T06:00:00Z).
 */
export const venueClock = (s?: string, seconds = false) => {
  if (!s) return ''
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) return s.slice(11, 16)
  return d.toLocaleTimeString('zh-CN', { ...venueZone, hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) })
}
