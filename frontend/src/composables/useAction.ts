import { ref } from 'vue'
import { useMessage } from 'naive-ui'
import { useI18n } from 'vue-i18n'
import { deliverBadges as deliverBadgeFile, deliverFile } from '../api'
import type { PrintedBadges } from '../api/generated'

/**
 * The one error path of the screens: run an action, show the Go side's
 * sentence when it fails (it is already the message for the user), and
 * tell the caller it did not happen (undefined). `busy` is true while an
 * action runs, for buttons that must not be pressed twice.
 */
export function useAction() {
  const message = useMessage()
  const { t } = useI18n()
  const busy = ref(false)

  async function run<T>(fn: () => Promise<T>, success?: string | ((r: T) => string)): Promise<T | undefined> {
    busy.value = true
    try {
      const r = await fn()
      if (success) message.success(typeof success === 'string' ? success : success(r))
      return r
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e))
      return undefined
    } finally {
      busy.value = false
    }
  }

  /** Produces a file (PDF, XLSX) and hands it to the user. */
  function deliver(fileName: string, produce: () => Promise<string>, mime: string) {
    return run(async () => deliverFile(fileName, await produce(), mime), (path) => (path ? t('desk.saved', { path }) : t('common.fileReady')))
  }

  /**
   * Produces badges and hands the PDF over; they count as printed only
   * once the file is saved (the window) or handed to the browser, so a
   * failed save leaves them "not yet printed".
   */
  function deliverBadges(fileName: string, produce: () => Promise<PrintedBadges>) {
    return run(async () => deliverBadgeFile(fileName, await produce()), (path) => (path ? t('desk.saved', { path }) : t('common.fileReady')))
  }

  return { run, deliver, deliverBadges, busy, message }
}
