import { tableName } from '../i18n/tables'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, subscribe } from '../api'
import { UIEvent } from '../api/generated'
import type { MatchSession, MeetingView, Proposal, RequestView, ScheduleDraft } from '../api/types'
import { venueClock } from '../composables/usePeoplePicker'

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
  /** The schedule computed by 一键排程 and not yet published. */
  const draft = ref<ScheduleDraft | null>(null)
  /** Whose day 个人日程 shows; kept while staff move between the tabs. */
  const agendaFor = ref<{ id: string; label: string } | null>(null)
  const error = ref('')
  let off: (() => void) | null = null

  async function load() {
    try {
      ;[session.value, requests.value, meetings.value, proposals.value, draft.value] = await Promise.all([
        api().match.session(), api().match.requests(), api().match.meetings(), api().network.proposals(), api().match.draft(),
      ])
      error.value = ''
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
    }
  }

  /** A slot as people say it: its start on the venue's clock (14:20). */
  const slotLabel = (id: string) => {
    const start = session.value?.slots.find((s) => s.id === id)?.start
    return start ? venueClock(start) : id
  }
  /** A table as printed on its tent: "3 号桌". */
  const tableLabel = (id: string) => tableName(session.value?.tables.find((tb) => tb.id === id)?.label ?? id)

  /** Starts following changes; screens call it on mount, it subscribes once. */
  function follow() {
    if (!off) off = subscribe(UIEvent.MatchChanged, () => void load())
    return load()
  }

  return { session, requests, meetings, proposals, draft, agendaFor, error, load, follow, slotLabel, tableLabel }
})
