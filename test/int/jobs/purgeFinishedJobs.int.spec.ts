import type { Agenda } from 'agenda'

import type { DatabaseSettings } from '../../../src/env.js'
import type { JobRuntime } from '../../../src/jobs/runtime.js'
import type { TestDatabase } from '../../helpers/testDb.js'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'

import { createAgenda, getAgendaInternals } from '../../../src/jobs/createAgenda.js'
import { purgeFinishedJobsJob } from '../../../src/jobs/definitions/purgeFinishedJobs.js'
import { startJobRuntime } from '../../../src/jobs/runtime.js'
import { databaseSettingsFor, waitFor } from '../../helpers/jobsTestUtils.js'
import { createTestDatabase, currentTestDb } from '../../helpers/testDb.js'

const DAY = 24 * 60 * 60 * 1000

/** Housekeeping: finished jobs past the retention are deleted; anything with work left is kept. */
describe(`purging finished jobs (${currentTestDb()})`, () => {
  let db: TestDatabase
  let database: DatabaseSettings
  let seeder: Agenda
  const runtimes: JobRuntime[] = []

  const start = async (workerName: string, retentionDays: number): Promise<JobRuntime> => {
    const runtime = await startJobRuntime({
      agenda: { lockLifetimeMs: 5000, processEveryMs: 200 },
      database,
      definitions: [purgeFinishedJobsJob],
      heartbeatIntervalMs: 1000,
      purgeFinishedJobs: { retentionDays },
      workerName,
    })
    runtimes.push(runtime)
    return runtime
  }

  /** A job row in a given state, written through the backend's own save methods. */
  const seed = async (label: string, state: { failedAt?: Date; lastFinishedAt?: Date; lockedAt?: Date; nextRunAt?: Date | null }) => {
    const job = await seeder.create('crm.purgeProbe', { label }).schedule(new Date(Date.now() + DAY)).save()
    Object.assign(job.attrs, { lastRunAt: state.lastFinishedAt, nextRunAt: null, ...state })
    await seeder.db.saveJobState(job.attrs, undefined)
  }

  const labels = async (): Promise<string[]> => {
    const { jobs } = await seeder.queryJobs({ name: 'crm.purgeProbe' })
    return jobs.map((job) => String((job.data as { label: string }).label)).sort()
  }

  beforeAll(async () => {
    db = await createTestDatabase('jobs_purge')
    database = databaseSettingsFor(db)
    seeder = createAgenda({ database, name: 'seeder' })
    await getAgendaInternals(seeder).connected
    const old = new Date(Date.now() - 10 * DAY)
    await seed('completed-old', { lastFinishedAt: old })
    await seed('failed-old', { failedAt: old, lastFinishedAt: old })
    await seed('completed-recent', { lastFinishedAt: new Date(Date.now() - 60 * 60_000) })
    await seed('rescheduled-old', { lastFinishedAt: old, nextRunAt: new Date(Date.now() + DAY) })
    await seed('running-old', { lastFinishedAt: old, lockedAt: new Date() })
    await seeder.every('1 day', 'crm.purgeProbeRepeating', {}, { skipImmediate: true })
  })

  afterAll(async () => {
    for (const runtime of runtimes) await runtime.stop()
    await getAgendaInternals(seeder).disconnect()
    await db.cleanup()
  })

  it('should schedule one repeating purge per cluster, updated by a process started with another retention', async () => {
    await start('purge-a', 3)
    const [first] = (await seeder.queryJobs({ name: 'crm.purgeFinishedJobs' })).jobs
    expect(first).toMatchObject({ data: { retentionDays: 3 }, repeatInterval: '1 hour' })
    // Not run at boot: the first run is one interval away.
    expect(first!.nextRunAt!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000)
    await start('purge-b', 2)
    const { jobs } = await seeder.queryJobs({ name: 'crm.purgeFinishedJobs' })
    expect(jobs).toHaveLength(1)
    expect(jobs[0]).toMatchObject({ data: { retentionDays: 2 }, repeatInterval: '1 hour' })
  })

  it('should keep the schedule when a process restarts with the same settings', async () => {
    const [before] = (await seeder.queryJobs({ name: 'crm.purgeFinishedJobs' })).jobs
    await start('purge-c', 2)
    const [after] = (await seeder.queryJobs({ name: 'crm.purgeFinishedJobs' })).jobs
    expect(after!.nextRunAt).toEqual(before!.nextRunAt)
  })

  it('should delete finished jobs past the retention and keep recent, rescheduled, running and repeating ones', async () => {
    const [scheduled] = (await seeder.queryJobs({ name: 'crm.purgeFinishedJobs' })).jobs
    // Make the scheduled purge due now, then wait until that run has finished.
    await seeder.db.saveJobState({ ...scheduled!, nextRunAt: new Date() }, undefined)
    await waitFor('the purge run', async () => {
      const { jobs } = await seeder.queryJobs({ name: 'crm.purgeFinishedJobs' })
      return Boolean(jobs[0]?.lastFinishedAt)
    })
    const [purge] = (await seeder.queryJobs({ name: 'crm.purgeFinishedJobs' })).jobs
    expect(purge).toMatchObject({ failReason: undefined, repeatInterval: '1 hour' })
    expect(purge!.nextRunAt!.getTime()).toBeGreaterThan(Date.now())
    expect(await labels()).toEqual(['completed-recent', 'rescheduled-old', 'running-old'])
    expect((await seeder.queryJobs({ name: 'crm.purgeProbeRepeating' })).total).toBe(1)
  })

  it('should purge in batches, oldest first', async () => {
    const { store } = getAgendaInternals(seeder)
    for (const daysAgo of [30, 20, 15]) await seed(`batch-${daysAgo}`, { lastFinishedAt: new Date(Date.now() - daysAgo * DAY) })
    expect(await store.purgeFinished({ before: new Date(Date.now() - 5 * DAY), limit: 2 })).toBe(2)
    expect(await labels()).toEqual(['batch-15', 'completed-recent', 'rescheduled-old', 'running-old'])
    expect(await store.purgeFinished({ before: new Date(Date.now() - 5 * DAY), limit: 2 })).toBe(1)
    expect(await store.purgeFinished({ before: new Date(Date.now() - 5 * DAY), limit: 2 })).toBe(0)
  })

  it('should refuse a purge job without a positive retention, permanently', () => {
    expect(() => purgeFinishedJobsJob.parse({ retentionDays: 0 })).toThrow(/invalid-data|greater than 0/)
    expect(() => purgeFinishedJobsJob.parse({})).toThrow()
  })
})
