import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, subscribe } from '../api'
import { UIEvent } from '../api/generated'
import type { BackupStatus } from '../api/generated'

/**
 * This laptop's automatic backup: when the open event was last backed up,
 * and whether the last try failed. Read once and again whenever a backup is
 * written or fails, or another event opens (one subscription for the header
 * and the events screen).
 */
export const useBackupStore = defineStore('backup', () => {
  const status = ref<BackupStatus | null>(null)
  let started = false

  async function load() {
    status.value = await api().backup.status().catch(() => null)
  }

  function follow() {
    if (started) return
    started = true
    subscribe(UIEvent.BackupChanged, (s) => { status.value = s as BackupStatus })
    subscribe(UIEvent.EventChanged, () => void load())
    void load()
  }

  return { status, load, follow }
})
