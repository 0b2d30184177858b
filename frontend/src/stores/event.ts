import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api'
import type { EventInfo, EventInput, RecentEvent } from '../api/types'

/** The open event and the recent list; every screen reads the event from here. */
export const useEventStore = defineStore('event', () => {
  const info = ref<EventInfo | null>(null)
  const recent = ref<RecentEvent[]>([])
  const loading = ref(false)
  const error = ref('')

  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    loading.value = true
    error.value = ''
    try {
      return await fn()
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
      return undefined
    } finally {
      loading.value = false
    }
  }

  async function refresh() {
    await run(async () => {
      info.value = await api().event.current()
      recent.value = await api().event.recent()
    })
  }
  async function create(input: EventInput) {
    const r = await run(() => api().event.create(input))
    if (r) {
      info.value = r
      recent.value = await api().event.recent()
    }
    return r
  }
  async function update(input: EventInput) {
    const r = await run(() => api().event.update(input))
    if (r) info.value = r
    return r
  }
  async function open(path: string) {
    const r = await run(() => api().event.open(path))
    if (r) info.value = r
    return r
  }
  async function openDemo() {
    const r = await run(() => api().event.openDemo())
    if (r) info.value = r
    return r
  }
  async function openPractice() {
    const r = await run(() => api().event.openPractice())
    if (r) info.value = r
    return r
  }
  async function close() {
    await run(() => api().event.close())
    info.value = null
    recent.value = (await run(() => api().event.recent())) ?? recent.value
  }
  return { info, recent, loading, error, refresh, create, update, open, openDemo, openPractice, close }
})
