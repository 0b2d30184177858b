import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { api } from '../api'
import type { RoleOption } from '../api/types'

// The roles come from Go (RosterService.Roles), the one list of what
// exists; read once per window.
const list = ref<RoleOption[]>([])
let loading: Promise<void> | null = null

/** Role options for selects, labelled in the current language. */
export function useRoles() {
  const { t, te } = useI18n()
  if (!loading) {
    loading = api().roster.roles().then((r) => {
      list.value = r
    }).catch(() => {
      loading = null
    })
  }
  const options = computed(() => list.value.map((r) => ({ value: r.value, label: te('role.' + r.value) ? t('role.' + r.value) : r.label })))
  /** A role's label; a person without a role is 未分类 (never the raw key). */
  const label = (role?: string | null) => t('role.' + (role || 'none'))
  return { options, label }
}
