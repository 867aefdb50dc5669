/**
 * A job worker in its own process for the multi-worker tests (`node --import tsx <this file> <json>`).
 * Prints "ready" once processing; on SIGTERM stops gracefully and exits 0.
 *   count: `t.count` records one run per execution.
 *   crash: `t.crash` records the run, applies its effect (idempotency key), then hangs if `hang` is set
 *          so the parent can SIGKILL it mid-job.
 */
import type { Job } from 'agenda'

import type { DatabaseSettings } from '../../src/env.js'

import { startJobRuntime } from '../../src/jobs/runtime.js'
import { openJobSideEffects } from './jobSideEffects.js'

type WorkerConfig = { database: DatabaseSettings; hang?: boolean; lockLifetimeMs?: number; workerName: string }

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig
const effects = openJobSideEffects(config.database)

const runtime = await startJobRuntime({
  agenda: { lockLifetimeMs: config.lockLifetimeMs ?? 60_000, processEveryMs: 250 },
  database: config.database,
  define: (agenda) => {
    agenda.define('t.count', async (job: Job<{ key: string }>) => {
      await effects.recordRun(job.attrs.data.key, config.workerName)
    })
    agenda.define('t.crash', async (job: Job<{ key: string }>) => {
      await effects.recordRun(job.attrs.data.key, config.workerName)
      await effects.applyEffect(job.attrs.data.key)
      if (config.hang) await new Promise<never>(() => setInterval(() => undefined, 1000))
    })
  },
  definitions: [],
  workerName: config.workerName,
})
process.stdout.write('ready\n')

process.once('SIGTERM', () => {
  void runtime
    .stop({ timeoutMs: 5000 })
    .then(() => effects.close())
    .then(() => process.exit(0))
})
