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

/** Slot times are the venue's clock as written (…T14:00:00+08:00), whatever the viewer's time zone. */
export const venueClock = (s: string) => s.slice(11, 16)
