import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createApi, setApi, type Transport } from '../src/api'
import { useRosterStore } from '../src/stores/roster'
import { useEventStore } from '../src/stores/event'
import type { Participant } from '../src/api/types'

function person(id: string, name: string): Participant {
  return { id, name, org: '青岛大学' }
}

describe('roster store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('keeps the newest query when answers arrive out of order', async () => {
    const pending: Array<(v: unknown) => void> = []
    const t: Transport = () => new Promise((resolve) => pending.push(resolve))
    setApi(createApi(t))
    const roster = useRosterStore()
    const first = roster.load({ text: 'z' })
    const second = roster.load({ text: 'zs' })
    pending[1]({ total: 1, items: [person('P2', '张三')] })
    await second
    pending[0]({ total: 2, items: [person('P1', '赵一'), person('P2', '张三')] })
    await first
    expect(roster.items.map((p) => p.name)).toEqual(['张三'])
    expect(roster.query.text).toBe('zs')
    expect(roster.loading).toBe(false)
  })

  it('shows the error and keeps the old rows when a page fails', async () => {
    let fail = false
    setApi(createApi(async () => {
      if (fail) throw new Error('无法连接到会务台服务')
      return { total: 1, items: [person('P1', '李四')] }
    }))
    const roster = useRosterStore()
    await roster.load()
    fail = true
    await roster.load({ offset: 100 })
    expect(roster.error).toContain('无法连接')
    expect(roster.items).toHaveLength(1)
  })

  it('reloads after saving so the list shows the change', async () => {
    const calls: string[] = []
    setApi(createApi(async (_s, m) => {
      calls.push(m)
      return m === 'Save' ? person('P9', '王五') : { total: 1, items: [person('P9', '王五')] }
    }))
    const roster = useRosterStore()
    await roster.save({ name: '王五' })
    expect(calls).toEqual(['Save', 'List'])
    expect(roster.total).toBe(1)
  })
})

describe('event store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('keeps the Go error for display when creating fails', async () => {
    setApi(createApi(async (_s, m) => {
      if (m === 'Create') throw new Error('请填写活动名称')
      return []
    }))
    const ev = useEventStore()
    const r = await ev.create({ name: '', startDate: '2026-05-20' })
    expect(r).toBeUndefined()
    expect(ev.error).toBe('请填写活动名称')
    expect(ev.loading).toBe(false)
  })
})
