import type { Agenda } from 'agenda'

import type { QueueCounts } from './queueStore.js'

import { getAgendaInternals } from './createAgenda.js'

export type QueueHealth = QueueCounts & {
  /** Distinct workers whose heartbeat is fresher than `workerStaleAfterMs`. */
  workers: number
  workerNames: string[]
}

/**
 * Queue state for `/api/health`: live workers from the heartbeat table (each runtime upserts its row
 * every 10 s and deletes it on graceful stop) and job counts, each from an index. A handful of
 * small queries, cheap enough for a load balancer probe.
 */
export const getQueueHealth = async (agenda: Agenda, options: { workerStaleAfterMs?: number } = {}): Promise<QueueHealth> => {
  const { lockLifetimeMs, store } = getAgendaInternals(agenda)
  const [workerNames, counts] = await Promise.all([
    store.liveWorkers(options.workerStaleAfterMs ?? 30_000),
    store.counts({ lockLifetimeMs }),
  ])
  return { ...counts, workerNames, workers: workerNames.length }
}
