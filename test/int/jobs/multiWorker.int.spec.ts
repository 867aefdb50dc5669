import type { Agenda } from 'agenda'
import type { ChildProcess } from 'node:child_process'

import type { DatabaseSettings } from '../../../src/env.js'
import type { JobSideEffects } from '../../helpers/jobSideEffects.js'
import type { TestDatabase } from '../../helpers/testDb.js'

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import path from 'node:path'

import { createAgenda, getAgendaInternals } from '../../../src/jobs/createAgenda.js'
import { openJobSideEffects } from '../../helpers/jobSideEffects.js'
import { databaseSettingsFor, waitFor } from '../../helpers/jobsTestUtils.js'
import { createTestDatabase, currentTestDb } from '../../helpers/testDb.js'

const WORKER_SCRIPT = path.resolve('test/helpers/jobsWorkerProcess.ts')

/** Several worker processes on one database (the deployment shape), counted through side effects. */
describe(`job workers in separate processes (${currentTestDb()})`, () => {
  let db: TestDatabase
  let database: DatabaseSettings
  let effects: JobSideEffects
  let enqueuer: Agenda
  const children: ChildProcess[] = []

  const spawnWorker = async (config: { hang?: boolean; lockLifetimeMs?: number; workerName: string }): Promise<ChildProcess> => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER_SCRIPT, JSON.stringify({ ...config, database })], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    children.push(child)
    await new Promise<void>((resolve, reject) => {
      let out = ''
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('ready')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`worker ${config.workerName} exited early with ${code}`)))
    })
    return child
  }

  const exited = (child: ChildProcess): Promise<void> =>
    child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()))

  beforeAll(async () => {
    db = await createTestDatabase('jobs_multi_worker')
    database = databaseSettingsFor(db)
    enqueuer = createAgenda({ database, name: 'enqueuer' })
    await getAgendaInternals(enqueuer).connected
    effects = openJobSideEffects(database)
    await effects.init()
  })

  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGTERM')
      await exited(child)
    }
  })

  afterAll(async () => {
    await getAgendaInternals(enqueuer).disconnect()
    await effects.close()
    await db.cleanup()
  })

  it('should run each of 5,000 jobs exactly once across two worker processes', async () => {
    await Promise.all([spawnWorker({ workerName: 'worker-a' }), spawnWorker({ workerName: 'worker-b' })])
    const keys = Array.from({ length: 5000 }, (_, i) => `job-${i}`)
    for (let start = 0; start < keys.length; start += 250) {
      await Promise.all(keys.slice(start, start + 250).map((key) => enqueuer.now('t.count', { key })))
    }
    await waitFor('5,000 runs', async () => (await effects.countRuns()).total >= 5000, 90_000)
    // Let any duplicate claim surface before counting.
    await new Promise((resolve) => setTimeout(resolve, 750))
    const runs = await effects.countRuns()
    expect(runs).toEqual({ distinct: 5000, total: 5000, workers: 2 })
    const { total } = await enqueuer.queryJobs({ name: 't.count', state: 'completed' })
    expect(total).toBe(5000)
  })

  it('should re-run the job of a SIGKILLed worker after its lock expires and apply its effect once', async () => {
    const lockLifetimeMs = 1500
    const doomed = await spawnWorker({ hang: true, lockLifetimeMs, workerName: 'doomed' })
    const job = await enqueuer.now('t.crash', { key: 'invoice-42' })
    await waitFor('effect applied by the doomed worker', async () => (await effects.countEffects()) === 1)
    doomed.kill('SIGKILL')
    await exited(doomed)
    const locked = await enqueuer.db.getJobById(String(job.attrs._id))
    expect(locked?.lockedAt).toBeInstanceOf(Date)
    expect(locked?.lastModifiedBy).toBe('doomed')

    await spawnWorker({ lockLifetimeMs, workerName: 'rescuer' })
    await waitFor(
      'job completed by the rescuer',
      async () => {
        const current = await enqueuer.db.getJobById(String(job.attrs._id))
        return Boolean(current?.lastFinishedAt) && !current?.lockedAt
      },
      30_000,
    )
    expect(await effects.runsOf('invoice-42')).toEqual(['doomed', 'rescuer'])
    expect(await effects.countEffects()).toBe(1)
    const finished = await enqueuer.db.getJobById(String(job.attrs._id))
    expect(finished?.lastModifiedBy).toBe('rescuer')
    expect(finished?.failReason).toBeUndefined()
  })
})
