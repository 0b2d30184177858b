import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api'
import type { Participant, ParticipantQuery } from '../api/types'

/**
 * One page of the participant list. The server filters and pages, so the
 * list stays smooth at 50,000 people; a newer query cancels an older answer
 * arriving late (typing fast must not show stale results).
 */
export const useRosterStore = defineStore('roster', () => {
  const items = ref<Participant[]>([])
  const total = ref(0)
  const query = ref<Required<ParticipantQuery>>({ text: '', role: '', offset: 0, limit: 100 })
  const loading = ref(false)
  const error = ref('')
  let generation = 0

  async function load(patch: Partial<ParticipantQuery> = {}) {
    query.value = { ...query.value, ...patch }
    const mine = ++generation
    loading.value = true
    try {
      const page = await api().roster.list(query.value)
      if (mine !== generation) return
      items.value = page.items
      total.value = page.total
      error.value = ''
    } catch (e) {
      if (mine === generation) error.value = e instanceof Error ? e.message : String(e)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  async function save(p: Partial<Participant>) {
    const saved = await api().roster.save(p)
    await load()
    return saved
  }

  async function remove(id: string) {
    await api().roster.remove(id)
    await load()
  }

  return { items, total, query, loading, error, load, save, remove }
})
