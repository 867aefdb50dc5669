/**
 * `npm run worker`: a job worker without the HTTP server. Run as many as needed against one database,
 * each with its own WORKER_NAME. SIGTERM/SIGINT stop it gracefully (running jobs finish, up to 30 s).
 */
import os from 'node:os'

import { readEnv } from './src/env.js'
import { startJobRuntime } from './src/jobs/runtime.js'
import { applyHeapPolicy } from './src/server/heapPolicy.js'

const env = readEnv()
// A campaign's batches and an import's rows are garbage within seconds: keep the heap near what is live (docs/limits.md#memory).
applyHeapPolicy()
const workerName = env.workerName ?? `${os.hostname()}-${process.pid}`

const { getPayload } = await import('payload')
const config = (await import('./payload.config.js')).default
const payload = await getPayload({ config })

const runtime = await startJobRuntime({
  database: env.database,
  payload,
  purgeFinishedJobs: { retentionDays: env.jobsRetentionDays },
  workerName,
})
payload.logger.info(`Job worker ${workerName} started (${env.database.kind})`)

let stopping = false
const shutdown = (signal: NodeJS.Signals): void => {
  if (stopping) return
  stopping = true
  payload.logger.info(`Job worker ${workerName} stopping on ${signal}`)
  runtime
    .stop()
    .then(({ timedOut }) => {
      if (timedOut) payload.logger.warn('Some jobs were still running at the stop timeout; their locks will expire')
      // Agenda leaves a watchdog timer per finished job (lock lifetime / 2): exit explicitly.
      process.exit(0)
    })
    .catch((err: unknown) => {
      payload.logger.error({ err, msg: 'Job worker did not stop cleanly' })
      process.exit(1)
    })
}
process.once('SIGTERM', shutdown)
process.once('SIGINT', shutdown)
