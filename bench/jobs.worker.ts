/**
 * One job worker process for `bench/jobs.bench.ts` (argv[2] = JSON config). Connects, prints
 * "ready", starts processing on the parent's "go" (IPC), and prints progress lines:
 *   done <count>        completed `bench.noop` jobs so far (throttled)
 *   wake <ms>           enqueue → start latency of one `bench.wake` job
 */
import type { Job } from 'agenda'

import type { DatabaseSettings } from '../src/env.js'

import { startJobRuntime } from '../src/jobs/runtime.js'

type Config = { database: DatabaseSettings; workerName: string }
const config = JSON.parse(process.argv[2] ?? '{}') as Config

let done = 0
let reported = 0
const flush = (): void => {
  if (done !== reported) {
    reported = done
    process.stdout.write(`done ${done}\n`)
  }
}

process.stdout.write('ready\n')
await new Promise<void>((resolve) => process.once('message', () => resolve()))

const runtime = await startJobRuntime({
  database: config.database,
  define: (agenda) => {
    agenda.define('bench.noop', async () => {
      done++
    })
    agenda.define('bench.wake', async (job: Job<{ sentAt: number }>) => {
      process.stdout.write(`wake ${Date.now() - job.attrs.data.sentAt}\n`)
    })
  },
  definitions: [],
  workerName: config.workerName,
})
const timer = setInterval(flush, 20)

process.once('SIGTERM', () => {
  clearInterval(timer)
  flush()
  void runtime.stop({ timeoutMs: 5000 }).then(() => process.exit(0))
})
