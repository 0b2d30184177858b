import { computed, onMounted, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { api } from '../api'
import type { BadgeLayout } from '../api/types'

const KEY = 'fuzhi.layout'

/**
 * The badge layout this laptop prints in: one setting, chosen at the desk
 * or on the participants page, kept across restarts.
 */
export function useBadgeLayout() {
  const layout = ref(localStorage.getItem(KEY) ?? 'a6')
  const layouts = ref<BadgeLayout[]>([])
  const { t, te } = useI18n()
  // The server's label is Chinese; a layout this page knows is named in the page's language.
  const options = computed(() => layouts.value.map((l) => ({ label: te('badges.layouts.' + l.id) ? t('badges.layouts.' + l.id) : l.label, value: l.id })))
  function saveLayout(v: string) {
    layout.value = v
    localStorage.setItem(KEY, v)
  }
  onMounted(async () => {
    try {
      layouts.value = await api().badge.layouts()
    } catch {
      /* the picker stays empty; printing still uses the saved choice */
    }
  })
  return { layout, options, saveLayout }
}
