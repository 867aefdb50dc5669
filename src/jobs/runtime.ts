import type { Agenda } from 'agenda'
import type { Payload } from 'payload'

import type { DatabaseSettings } from '../env.js'
import type { CreateAgendaOptions } from './createAgenda.js'
import type { AnyCrmJobDefinition } from './defineJobs.js'
import type { JobPayloads } from './jobTypes.js'
import type { WorkerInfo } from './queueStore.js'

import os from 'node:os'

import { setJobQueue } from '../campaigns/jobQueueRegistry.js'
import { createAgenda, getAgendaInternals } from './createAgenda.js'
import { crmJobDefinitions, defineJobs } from './defineJobs.js'

export type JobRuntime = {
  agenda: Agenda
  /**
   * Graceful stop: claims nothing new, lets running jobs finish (up to `timeoutMs`), releases jobs it
   * had claimed but not started, drops this worker from the heartbeat table, closes connections.
   * A job still running at the timeout keeps its lock until the lock expires, then another worker
   * retries it — so it never runs twice at the same time.
   */
  stop: (options?: { timeoutMs?: number }) => Promise<{ timedOut: boolean }>
}

export type StartJobRuntimeOptions = {
  database: DatabaseSettings
  /** Distinct per process (several workers may share a database). */
  workerName: string
  /** Handed to job handlers through `ctx.payload`; absent in tests that run without Payload. */
  payload?: Payload
  /** @default crmJobDefinitions */
  definitions?: readonly AnyCrmJobDefinition[]
  /** Extra raw Agenda definitions (tests, tools), registered before the processor starts. */
  define?: (agenda: Agenda) => void
  /** Tuning passed to `createAgenda` (lock limit, scan interval, …). */
  agenda?: Omit<CreateAgendaOptions, 'database' | 'name'>
  /** @default 10000 */
  heartbeatIntervalMs?: number
  /** Default for `stop()`. @default 30000 */
  stopTimeoutMs?: number
  /**
   * Schedules the housekeeping job that deletes finished jobs older than `retentionDays`, every
   * `interval` (Agenda's human interval; first run one interval after it is declared). One job per
   * cluster: every process declares the same single job (a process started with other settings
   * updates it); a restart keeps its schedule. Omitted = not scheduled.
   */
  purgeFinishedJobs?: { interval?: string; retentionDays: number }
}

/** How often finished jobs are purged. */
export const PURGE_INTERVAL = '1 hour'

/** Agenda keeps its processor private; graceful stop needs its lists to release claimed-but-idle jobs. */
const readClaimedIds = (processor: unknown): { locked: string[]; running: Set<string> } | null => {
  if (!processor || typeof processor !== 'object') return null
  const idsOf = (list: unknown): string[] =>
    Array.isArray(list)
      ? list.flatMap((job: unknown) => {
          const attrs: unknown = job && typeof job === 'object' ? Reflect.get(job, 'attrs') : undefined
          const id: unknown = attrs && typeof attrs === 'object' ? Reflect.get(attrs, '_id') : undefined
          return id ? [String(id)] : []
        })
      : []
  return {
    locked: idsOf(Reflect.get(processor, 'lockedJobs')),
    running: new Set(idsOf(Reflect.get(processor, 'runningJobs'))),
  }
}

/**
 * Declares the repeating purge job unless it already exists with these settings. Not `every()` on each
 * boot: that would reschedule it one interval ahead at every restart (or, declared as due now, run it
 * at every boot), so servers restarting more often than the interval would never purge.
 */
const schedulePurge = async ({ agenda, interval = PURGE_INTERVAL, retentionDays }: { agenda: Agenda; interval?: string; retentionDays: number }) => {
  const data: JobPayloads['crm.purgeFinishedJobs'] = { retentionDays }
  const { jobs } = await agenda.queryJobs({ limit: 1, name: 'crm.purgeFinishedJobs' })
  const existing = jobs[0]
  const current = existing?.data as Partial<JobPayloads['crm.purgeFinishedJobs']> | undefined
  if (existing && existing.repeatInterval === interval && current?.retentionDays === retentionDays) return
  await agenda.every(interval, 'crm.purgeFinishedJobs', data, { skipImmediate: true })
}

/**
 * Starts this process's job worker: connects (creating the schema once), registers the CRM jobs,
 * starts a heartbeat for `/api/health`, and begins processing. Used by the server and `npm run worker`.
 */
export const startJobRuntime = async (options: StartJobRuntimeOptions): Promise<JobRuntime> => {
  const { payload, workerName } = options
  const agenda = createAgenda({ ...options.agenda, database: options.database, name: workerName })
  const internals = getAgendaInternals(agenda)
  await internals.connected

  defineJobs({ agenda, ctx: { payload, workerName }, definitions: options.definitions ?? crmJobDefinitions })
  options.define?.(agenda)
  // Agenda reports claim/query failures only as 'error' events; unobserved they would vanish.
  agenda.on('error', (err: Error) => {
    if (payload) payload.logger.error({ err, msg: 'Job queue error' })
    else process.stderr.write(`[jobs ${workerName}] ${err.stack ?? err.message}\n`)
  })
  if (payload) {
    agenda.on('fail', (err: unknown, job: unknown) => {
      const attrs: unknown = job && typeof job === 'object' ? Reflect.get(job, 'attrs') : undefined
      const name: unknown = attrs && typeof attrs === 'object' ? Reflect.get(attrs, 'name') : undefined
      payload.logger.error({ err, msg: `Job ${String(name)} failed` })
    })
  }

  const worker: WorkerInfo = { host: os.hostname(), name: workerName, pid: process.pid, startedAt: new Date() }
  await internals.store.heartbeat(worker)
  const heartbeat = setInterval(() => {
    internals.store.heartbeat(worker).catch((err: unknown) => payload?.logger.error({ err, msg: 'Job worker heartbeat failed' }))
  }, options.heartbeatIntervalMs ?? 10_000)
  heartbeat.unref()

  await agenda.start()
  // Endpoints in this process (campaign send/resume) queue their work on this Agenda.
  if (payload) setJobQueue(payload, agenda)
  if (options.purgeFinishedJobs) await schedulePurge({ agenda, ...options.purgeFinishedJobs })

  let stopping: Promise<{ timedOut: boolean }> | undefined
  const stop: JobRuntime['stop'] = (stopOptions) => {
    stopping ??= (async () => {
      clearInterval(heartbeat)
      if (payload) setJobQueue(payload, null)
      // Taken before draining: Agenda forgets its processor once drained (its lists stay current).
      const processor: unknown = Reflect.get(agenda, 'jobProcessor')
      const result = await agenda.drain({ closeConnection: false, timeout: stopOptions?.timeoutMs ?? options.stopTimeoutMs ?? 30_000 })
      // Jobs still waiting in the local queue when drain returned: release them for other workers now
      // rather than after the lock lifetime.
      const claimed = readClaimedIds(processor)
      if (claimed) {
        const idle = claimed.locked.filter((id) => !claimed.running.has(id))
        if (idle.length > 0) await agenda.db.unlockJobs(idle)
      }
      await internals.store.removeWorker(workerName).catch(() => undefined)
      await internals.disconnect()
      return { timedOut: result.timedOut }
    })()
    return stopping
  }
  return { agenda, stop }
}
