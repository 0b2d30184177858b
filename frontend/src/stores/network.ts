import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, subscribe } from '../api'
import { UIEvent } from '../api/generated'
import type { NetworkStatus } from '../api/types'

/**
 * This machine's place in the venue network. Fetched once and again when
 * the services say it changed; a station's online/offline also ages, so it
 * is re-read every few seconds while a station is paired (one timer for the
 * whole window, not one per screen).
 */
export const useNetworkStore = defineStore('network', () => {
  const status = ref<NetworkStatus | null>(null)
  let started = false

  async function load() {
    status.value = await api().network.status().catch(() => null)
  }

  function follow() {
    if (started) return
    started = true
    subscribe(UIEvent.NetworkChanged, () => void load())
    subscribe(UIEvent.EventChanged, () => void load())
    window.setInterval(() => {
      if (status.value?.role === 'station') void load()
    }, 4000)
    void load()
  }

  return { status, load, follow }
})
