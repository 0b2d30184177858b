import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, subscribe } from '../api'
import { UIEvent } from '../api/generated'
import type { MatchSession, MeetingView, Proposal, RequestView } from '../api/types'

/**
 * The matchmaking session as every screen sees it (setup, requests, the
 * published schedule, stations' proposals), read once and refreshed when
 * the services say the matchmaking changed, here or on another machine.
 */
export const useMatchStore = defineStore('match', () => {
  const session = ref<MatchSession | null>(null)
  const requests = ref<RequestView[]>([])
  const meetings = ref<MeetingView[]>([])
  const proposals = ref<Proposal[]>([])
  const error = ref('')
  let off: (() => void) | null = null

  async function load() {
    try {
      ;[session.value, requests.value, meetings.value, proposals.value] = await Promise.all([
        api().match.session(), api().match.requests(), api().match.meetings(), api().network.proposals(),
      ])
      error.value = ''
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
    }
  }

  /** Starts following changes; screens call it on mount, it subscribes once. */
  function follow() {
    if (!off) off = subscribe(UIEvent.MatchChanged, () => void load())
    return load()
  }

  return { session, requests, meetings, proposals, error, load, follow }
})
