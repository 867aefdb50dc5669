import type { Agenda, Job } from 'agenda'

import type { DatabaseSettings } from '../../../src/env.js'
import type { JobRuntime } from '../../../src/jobs/runtime.js'
import type { TestDatabase } from '../../helpers/testDb.js'

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { constant } from 'agenda'

import { createAgenda, getAgendaInternals } from '../../../src/jobs/createAgenda.js'
import { retryBackoff } from '../../../src/jobs/defineJobs.js'
import { PermanentJobError } from '../../../src/jobs/permanentJobError.js'
import { getQueueHealth } from '../../../src/jobs/queueHealth.js'
import { databaseSettingsFor, sleep, startTestRuntime, waitFor } from '../../helpers/jobsTestUtils.js'
import { createTestDatabase, currentTestDb } from '../../helpers/testDb.js'

/**
 * The same behavioural contract for every backend we ship (our SQLite backend and the upstream
 * PostgreSQL one): this file runs once per jest project, TEST_DB=sqlite and TEST_DB=postgres.
 */
describe(`job backend conformance (${currentTestDb()})`, () => {
  let db: TestDatabase
  let database: DatabaseSettings
  const open: JobRuntime[] = []
  const clients: Agenda[] = []

  /** An Agenda that only enqueues and inspects (never processes), like the API server's. */
  const client = async (name = 'client'): Promise<Agenda> => {
    const agenda = createAgenda({ database, name })
    await getAgendaInternals(agenda).connected
    clients.push(agenda)
    return agenda
  }

  const runtime = async (args: Omit<Parameters<typeof startTestRuntime>[0], 'database'>): Promise<JobRuntime> => {
    const started = await startTestRuntime({ ...args, database })
    open.push(started)
    return started
  }

  beforeAll(async () => {
    db = await createTestDatabase('jobs_conformance')
    database = databaseSettingsFor(db)
  })

  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.stop({ timeoutMs: 2000 })))
    const admin = await client('cleanup')
    await admin.cancelAll()
  })

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((agenda) => getAgendaInternals(agenda).disconnect()))
    await db.cleanup()
  })

  describe('scheduling', () => {
    it('should run a job queued with now() exactly once with its data', async () => {
      const seen: unknown[] = []
      const { agenda } = await runtime({ define: (a) => a.define('t.now', async (job: Job) => void seen.push(job.attrs.data)), workerName: 'w1' })
      await agenda.now('t.now', { customerId: 7 })
      await waitFor('job ran', () => seen.length === 1)
      await sleep(300)
      expect(seen).toEqual([{ customerId: 7 }])
      const { jobs } = await agenda.queryJobs({ name: 't.now' })
      expect(jobs[0]?.state).toBe('completed')
      expect(jobs[0]?.lastFinishedAt).toBeInstanceOf(Date)
    })

    it('should not run a scheduled job before its time', async () => {
      let ranAt = 0
      const { agenda } = await runtime({ define: (a) => a.define('t.later', async () => void (ranAt = Date.now())), workerName: 'w1' })
      const runAt = new Date(Date.now() + 600)
      await agenda.schedule(runAt, 't.later', {})
      const { jobs } = await agenda.queryJobs({ name: 't.later' })
      expect(jobs[0]?.state).toBe('scheduled')
      await waitFor('scheduled job ran', () => ranAt > 0)
      expect(ranAt).toBeGreaterThanOrEqual(runAt.getTime())
    })

    it('should repeat an every() job and keep a single row when re-declared', async () => {
      let runs = 0
      const { agenda } = await runtime({ define: (a) => a.define('t.every', async () => void runs++), workerName: 'w1' })
      await agenda.every(250, 't.every')
      await agenda.every(250, 't.every')
      await waitFor('three repeats', () => runs >= 3)
      const { jobs, total } = await agenda.queryJobs({ name: 't.every' })
      expect(total).toBe(1)
      // PostgreSQL stores the interval as text, SQLite keeps the number: both mean 250 ms to Agenda.
      expect(String(jobs[0]?.repeatInterval)).toBe('250')
      expect(jobs[0]?.nextRunAt).toBeInstanceOf(Date)
    })
  })

  describe('locking', () => {
    it('should never hand the same job to two workers claiming at once', async () => {
      const a = await client('claimer-a')
      const b = await client('claimer-b')
      a.define('t.claim', async () => undefined)
      await Promise.all(Array.from({ length: 120 }, (_, i) => a.now('t.claim', { i })))
      const claimAll = async (agenda: Agenda): Promise<string[]> => {
        const ids: string[] = []
        for (;;) {
          const job = await agenda.db.getNextJobToRun('t.claim', new Date(), new Date(Date.now() - 60_000), undefined, {
            lastModifiedBy: agenda.attrs.name,
          })
          if (!job) return ids
          ids.push(String(job._id))
        }
      }
      const [fromA, fromB] = await Promise.all([claimAll(a), claimAll(b)])
      const all = [...fromA, ...fromB]
      expect(all).toHaveLength(120)
      expect(new Set(all).size).toBe(120)
      // lockJob refuses a job that is already locked.
      const { jobs } = await a.queryJobs({ name: 't.claim', limit: 1 })
      const first = jobs[0]
      expect(first?.lockedAt).toBeInstanceOf(Date)
      if (first) expect(await b.db.lockJob(first, { lastModifiedBy: 'claimer-b' })).toBeUndefined()
    })

    it('should let another worker re-claim a job only after its lock expired', async () => {
      const a = await client('claimer-a')
      await a.now('t.expire', {})
      const first = await a.db.getNextJobToRun('t.expire', new Date(), new Date(Date.now() - 60_000), undefined, { lastModifiedBy: 'a' })
      expect(first).toBeDefined()
      // Lock still fresh (deadline before the lock time): nothing to claim.
      const none = await a.db.getNextJobToRun('t.expire', new Date(), new Date(Date.now() - 60_000), undefined, { lastModifiedBy: 'b' })
      expect(none).toBeUndefined()
      // Lock older than the deadline: the job is claimable again, and recorded as b's.
      await sleep(20)
      const again = await a.db.getNextJobToRun('t.expire', new Date(), new Date(), undefined, { lastModifiedBy: 'b' })
      expect(String(again?._id)).toBe(String(first?._id))
      expect(again?.lastModifiedBy).toBe('b')
    })

    it('should keep a long job that calls touch() from being taken over', async () => {
      let runs = 0
      const define = (agenda: Agenda): void =>
        agenda.define(
          't.long',
          async (job: Job) => {
            runs++
            for (let step = 1; step <= 6; step++) {
              await sleep(150)
              await job.touch(step * 16)
            }
          },
          { lockLifetime: 400 },
        )
      const w1 = await runtime({ define, workerName: 'w1' })
      await runtime({ define, workerName: 'w2' })
      await w1.agenda.now('t.long', {})
      await waitFor('long job finished', async () => (await w1.agenda.queryJobs({ name: 't.long' })).jobs[0]?.state === 'completed')
      expect(runs).toBe(1)
      expect((await w1.agenda.queryJobs({ name: 't.long' })).jobs[0]?.progress).toBe(96)
    })
  })

  describe('limits and order', () => {
    it('should respect per-job concurrency', async () => {
      let running = 0
      let peak = 0
      let done = 0
      const { agenda } = await runtime({
        define: (a) =>
          a.define(
            't.conc',
            async () => {
              running++
              peak = Math.max(peak, running)
              await sleep(100)
              running--
              done++
            },
            { concurrency: 2 },
          ),
        workerName: 'w1',
      })
      await Promise.all(Array.from({ length: 8 }, (_, i) => agenda.now('t.conc', { i })))
      await waitFor('all ran', () => done === 8)
      expect(peak).toBe(2)
    })

    it('should never hold more jobs locked than the lock limit', async () => {
      let release: () => void = () => undefined
      const gate = new Promise<void>((resolve) => (release = resolve))
      const { agenda } = await runtime({
        agenda: { lockLimit: 3 },
        define: (a) => a.define('t.limit', () => gate, { concurrency: 10 }),
        workerName: 'w1',
      })
      const enqueuer = await client()
      await Promise.all(Array.from({ length: 10 }, (_, i) => enqueuer.now('t.limit', { i })))
      await waitFor('three locked', async () => (await agenda.getRunningStats()).lockedJobs === 3)
      await sleep(500)
      const stats = await agenda.getRunningStats()
      expect(stats.lockedJobs).toBe(3)
      const health = await getQueueHealth(agenda)
      expect(health.locked).toBe(3)
      expect(health.due).toBe(7)
      release()
    })

    it('should run higher-priority jobs first among jobs due at the same time', async () => {
      const order: string[] = []
      const enqueuer = await client()
      const due = new Date(Date.now() - 1000)
      for (const [label, priority] of [
        ['low', -10],
        ['high', 10],
        ['normal', 0],
        ['highest', 20],
      ] as const) {
        await enqueuer.create('t.prio', { label }).schedule(due).priority(priority).save()
      }
      await runtime({
        define: (a) => a.define('t.prio', async (job: Job<{ label: string }>) => void order.push(job.attrs.data.label), { concurrency: 1 }),
        workerName: 'w1',
      })
      await waitFor('all ran', () => order.length === 4)
      expect(order).toEqual(['highest', 'high', 'normal', 'low'])
    })
  })

  describe('failures', () => {
    it('should retry a failing job with backoff and record the reason', async () => {
      let attempts = 0
      const { agenda } = await runtime({
        define: (a) =>
          a.define(
            't.flaky',
            async () => {
              attempts++
              if (attempts < 3) throw new Error(`vendor timeout #${attempts}`)
            },
            { backoff: retryBackoff({ attempts: 5, initialDelayMs: 50 }) },
          ),
        workerName: 'w1',
      })
      const retries: number[] = []
      agenda.on('retry', (_job: unknown, details: { attempt: number }) => void retries.push(details.attempt))
      await agenda.now('t.flaky', {})
      await waitFor('succeeded', async () => (await agenda.queryJobs({ name: 't.flaky' })).jobs[0]?.state === 'completed')
      expect(attempts).toBe(3)
      expect(retries).toEqual([1, 2])
      const job = (await agenda.queryJobs({ name: 't.flaky' })).jobs[0]
      expect(job?.failReason).toBe('vendor timeout #2')
      expect(job?.failCount ?? 0).toBe(0)
    })

    it('should not retry a permanent error and keep it as failed with its code', async () => {
      let attempts = 0
      const { agenda } = await runtime({
        define: (a) =>
          a.define(
            't.bad',
            async () => {
              attempts++
              throw new PermanentJobError('invalid-data', 'customer 42 does not exist')
            },
            { backoff: retryBackoff({ attempts: 5, initialDelayMs: 10 }) },
          ),
        workerName: 'w1',
      })
      await agenda.now('t.bad', {})
      await waitFor('failed', async () => (await agenda.queryJobs({ name: 't.bad' })).jobs[0]?.state === 'failed')
      await sleep(300)
      expect(attempts).toBe(1)
      const job = (await agenda.queryJobs({ name: 't.bad' })).jobs[0]
      expect(job?.failReason).toBe('invalid-data: customer 42 does not exist')
      expect(job?.failCount).toBe(1)
      expect((await getQueueHealth(agenda)).failed).toBe(1)
    })

    it('should give up after the last backoff attempt', async () => {
      let attempts = 0
      const { agenda } = await runtime({
        define: (a) =>
          a.define(
            't.down',
            async () => {
              attempts++
              throw new Error('always down')
            },
            { backoff: constant({ delay: 30, maxRetries: 2 }) },
          ),
        workerName: 'w1',
      })
      let exhausted = false
      agenda.on('retry exhausted', () => void (exhausted = true))
      await agenda.now('t.down', {})
      await waitFor('exhausted', () => exhausted)
      await sleep(200)
      expect(attempts).toBe(3)
      expect((await agenda.queryJobs({ name: 't.down' })).jobs[0]?.state).toBe('failed')
    })
  })

  describe('managing jobs', () => {
    it('should keep one job per unique key and not overwrite it when insertOnly', async () => {
      const agenda = await client()
      await agenda.create('t.unique', { campaignId: 5, version: 1 }).unique({ 'data.campaignId': 5 }, { insertOnly: true }).save()
      await agenda.create('t.unique', { campaignId: 5, version: 2 }).unique({ 'data.campaignId': 5 }, { insertOnly: true }).save()
      await agenda.create('t.unique', { campaignId: 6, version: 1 }).unique({ 'data.campaignId': 6 }, { insertOnly: true }).save()
      const { jobs, total } = await agenda.queryJobs({ name: 't.unique', sort: { name: 'asc' } })
      expect(total).toBe(2)
      const five = jobs.find((job) => (job.data as { campaignId: number }).campaignId === 5)
      expect(five?.data).toEqual({ campaignId: 5, version: 1 })
      // Without insertOnly the existing row is updated in place.
      await agenda.create('t.unique', { campaignId: 5, version: 3 }).unique({ 'data.campaignId': 5 }).save()
      const after = await agenda.queryJobs({ data: { campaignId: 5 }, name: 't.unique' })
      expect(after.total).toBe(1)
      expect(after.jobs[0]?.data).toEqual({ campaignId: 5, version: 3 })
    })

    it('should cancel jobs so they never run', async () => {
      const agenda = await client()
      await agenda.schedule(new Date(Date.now() + 400), 't.cancel', { n: 1 })
      await agenda.schedule(new Date(Date.now() + 400), 't.keep', { n: 2 })
      expect(await agenda.cancel({ name: 't.cancel' })).toBe(1)
      const ran: string[] = []
      await runtime({
        define: (a) => {
          a.define('t.cancel', async () => void ran.push('cancel'))
          a.define('t.keep', async () => void ran.push('keep'))
        },
        workerName: 'w1',
      })
      await waitFor('kept job ran', () => ran.includes('keep'))
      await sleep(300)
      expect(ran).toEqual(['keep'])
    })

    it('should not run disabled jobs until they are enabled', async () => {
      const agenda = await client()
      const job = await agenda.now('t.disabled', {})
      expect(await agenda.disable({ id: job.attrs._id })).toBe(1)
      let runs = 0
      const worker = await runtime({ define: (a) => a.define('t.disabled', async () => void runs++), workerName: 'w1' })
      await sleep(600)
      expect(runs).toBe(0)
      expect((await worker.agenda.queryJobs({ name: 't.disabled', state: 'paused' })).total).toBe(1)
      expect(await agenda.enable({ name: 't.disabled' })).toBe(1)
      await waitFor('enabled job ran', () => runs === 1)
    })

    it('should purge only jobs that have no definition', async () => {
      const agenda = await client()
      agenda.define('t.known', async () => undefined)
      await agenda.schedule(new Date(Date.now() + 60_000), 't.known', {})
      await agenda.schedule(new Date(Date.now() + 60_000), 't.orphan', {})
      await agenda.schedule(new Date(Date.now() + 60_000), 't.orphan', {})
      expect(await agenda.purge()).toBe(2)
      expect(await agenda.getJobsOverview()).toEqual([expect.objectContaining({ name: 't.known', scheduled: 1, total: 1 })])
    })
  })

  describe('stopping', () => {
    it('should finish running jobs and release claimed ones on graceful stop', async () => {
      const finished: number[] = []
      const started: number[] = []
      const define = (a: Agenda): void =>
        a.define(
          't.stop',
          async (job: Job<{ i: number }>) => {
            started.push(job.attrs.data.i)
            await sleep(400)
            finished.push(job.attrs.data.i)
          },
          { concurrency: 1 },
        )
      const enqueuer = await client()
      await Promise.all(Array.from({ length: 4 }, (_, i) => enqueuer.now('t.stop', { i })))
      const w1 = await startTestRuntime({ agenda: { lockLimit: 4 }, database, define, workerName: 'w1' })
      await waitFor('first job started', () => started.length === 1)
      await waitFor('all four claimed', async () => (await getQueueHealth(enqueuer)).locked === 4)
      const result = await w1.stop({ timeoutMs: 5000 })
      expect(result.timedOut).toBe(false)
      expect(finished).toEqual(started)
      // The jobs it had claimed but not started are free again at once (not after the lock lifetime).
      const health = await getQueueHealth(enqueuer)
      expect(health.locked).toBe(0)
      expect(health.due).toBe(4 - started.length)
      expect(health.workerNames).not.toContain('w1')
      // …and another worker runs them, each exactly once overall.
      await runtime({ define, workerName: 'w2' })
      await waitFor('rest ran', () => finished.length === 4)
      expect([...finished].sort()).toEqual([0, 1, 2, 3])
    })
  })

  describe('health', () => {
    it('should count live workers by heartbeat', async () => {
      await runtime({ workerName: 'w1' })
      const w2 = await runtime({ workerName: 'w2' })
      const health = await getQueueHealth(w2.agenda)
      expect(health.workers).toBe(2)
      expect(health.workerNames).toEqual(['w1', 'w2'])
    })
  })
})
