import type { Agenda } from 'agenda'

import type { DemoPhase } from '../../domain/seed/demoCatalogue.js'

import { demoPhaseOf } from '../../domain/seed/demoCatalogue.js'

export type DemoDataStatus = {
  customers: null | number
  /** Why the last load failed. */
  error: null | string
  finishedAt: null | string
  orders: null | number
  percent: number
  phase: DemoPhase | null
  startedAt: null | string
  state: 'completed' | 'failed' | 'idle' | 'queued' | 'running'
}

const iso = (value: unknown): null | string => (value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : null)
const time = (value: unknown): number => (value ? new Date(value as Date | string).getTime() || 0 : 0)

/** The newest `crm.loadDemoData` job, as the dashboard's progress bar needs it; `idle` when there is none. */
export const readDemoDataStatus = async (agenda: Agenda): Promise<DemoDataStatus> => {
  const { jobs } = await agenda.queryJobs({ limit: 100, name: 'crm.loadDemoData' })
  const newest = [...jobs].sort(
    (a, b) =>
      Math.max(time(b.lastRunAt), time(b.nextRunAt), time(b.lastFinishedAt), time(b.failedAt)) -
      Math.max(time(a.lastRunAt), time(a.nextRunAt), time(a.lastFinishedAt), time(a.failedAt)),
  )[0]
  if (!newest) return { customers: null, error: null, finishedAt: null, orders: null, percent: 0, phase: null, startedAt: null, state: 'idle' }
  const data = (newest.data ?? {}) as { customers?: number; orders?: number }
  const state = newest.state === 'failed' ? 'failed' : newest.state === 'completed' ? 'completed' : newest.state === 'running' ? 'running' : 'queued'
  const percent = state === 'completed' ? 100 : state === 'queued' ? 0 : Math.max(0, Math.min(100, Number(newest.progress ?? 0)))
  return {
    customers: data.customers ?? null,
    error: state === 'failed' ? (newest.failReason ?? 'failed') : null,
    finishedAt: state === 'completed' || state === 'failed' ? iso(newest.lastFinishedAt ?? newest.failedAt) : null,
    orders: data.orders ?? null,
    percent,
    phase: state === 'running' || state === 'completed' ? demoPhaseOf(percent) : null,
    startedAt: iso(newest.lastRunAt),
    state,
  }
}
