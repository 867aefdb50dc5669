import type { ChildProcess } from 'node:child_process'

import type { DatabaseSettings } from '../src/env.js'
import type { BenchDb } from './lib/report.js'

import { createClient } from '@libsql/client'
import { spawn } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { parseDatabaseUrl } from '../src/env.js'
import { createAgenda, getAgendaInternals } from '../src/jobs/createAgenda.js'
import { openSqliteDatabase, SqliteBackend } from '../src/jobs/sqlite-backend/index.js'
import { claimSql } from '../src/jobs/sqlite-backend/schema.js'
import { createScratchDatabase } from '../scripts/lib/scratchDatabase.js'
import { parseBenchOptions } from './lib/options.js'
import { percentile, progress, report } from './lib/report.js'

/**
 * `npm run bench -- jobs`: the job runtime end to end, per backend.
 *   throughput-10k   10,000 trivial jobs queued, then drained by 2 worker processes (jobs/s from "go"
 *                    to the last completion; enqueue rate reported beside it).
 *   wake-latency     one job at a time enqueued from another process while 2 workers idle:
 *                    time from just before `now()` to the handler starting (p50/p99).
 *   claim-*          (SQLite) the bare claim statement in a loop, better-sqlite3 vs @libsql/client.
 */
const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'jobs.worker.ts')

type Worker = { child: ChildProcess; done: number; exited: Promise<void> }

const spawnWorker = async (database: DatabaseSettings, workerName: string, onWake: (ms: number) => void): Promise<Worker> => {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify({ database, workerName })], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  })
  const worker: Worker = { child, done: 0, exited: new Promise((resolve) => child.once('exit', () => resolve())) }
  await new Promise<void>((resolve, reject) => {
    let buffer = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop() ?? ''
      for (const line of lines) {
        if (line === 'ready') resolve()
        else if (line.startsWith('done ')) worker.done = Number(line.slice(5))
        else if (line.startsWith('wake ')) onWake(Number(line.slice(5)))
      }
    })
    child.once('exit', (code) => reject(new Error(`bench worker ${workerName} exited with ${code}`)))
  })
  return worker
}

const until = async (check: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('bench timed out')
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

const runRuntimeCases = async ({ database, db, scale }: { database: DatabaseSettings; db: BenchDb; scale: number }): Promise<void> => {
  const jobs = Math.max(100, Math.round(10_000 * scale))
  const samples = Math.max(20, Math.round(300 * scale))
  // The enqueuer is started (no definitions): that connects its notification channel, as the API
  // server's would, so PostgreSQL sends NOTIFY on every save.
  const enqueuer = createAgenda({ database, name: 'bench-enqueuer' })
  await getAgendaInternals(enqueuer).connected
  await enqueuer.start()

  const wakes: number[] = []
  const workers = await Promise.all(['bench-a', 'bench-b'].map((name) => spawnWorker(database, name, (ms) => wakes.push(ms))))

  progress(`${db}: enqueueing ${jobs} jobs`)
  const enqueueStart = performance.now()
  for (let start = 0; start < jobs; start += 200) {
    await Promise.all(Array.from({ length: Math.min(200, jobs - start) }, (_, i) => enqueuer.now('bench.noop', { i: start + i })))
  }
  const enqueueSeconds = (performance.now() - enqueueStart) / 1000
  report({ bench: 'jobs', case: 'throughput-10k', db, metric: 'enqueue_per_s', unit: 'jobs/s', value: jobs / enqueueSeconds })

  progress(`${db}: draining with 2 workers`)
  const drainStart = performance.now()
  for (const worker of workers) worker.child.send('go')
  await until(() => workers.reduce((sum, w) => sum + w.done, 0) >= jobs, 600_000)
  const drainSeconds = (performance.now() - drainStart) / 1000
  report({ bench: 'jobs', case: 'throughput-10k', db, metric: 'jobs_per_s', unit: 'jobs/s', value: jobs / drainSeconds })
  report({
    bench: 'jobs',
    case: 'throughput-10k',
    db,
    metric: 'share_of_busier_worker',
    unit: 'fraction',
    value: Math.max(...workers.map((w) => w.done)) / jobs,
  })

  progress(`${db}: wake latency, ${samples} samples`)
  await new Promise((resolve) => setTimeout(resolve, 300))
  for (let i = 0; i < samples; i++) {
    const before = wakes.length
    await enqueuer.now('bench.wake', { sentAt: Date.now() })
    await until(() => wakes.length > before, 30_000)
    // Spread the samples so each one meets idle workers (not a batch already being filled).
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20))
  }
  const sorted = [...wakes].sort((a, b) => a - b)
  report({ bench: 'jobs', case: 'wake-latency', db, metric: 'p50_ms', unit: 'ms', value: percentile(sorted, 50) })
  report({ bench: 'jobs', case: 'wake-latency', db, metric: 'p99_ms', unit: 'ms', value: percentile(sorted, 99) })

  for (const worker of workers) worker.child.kill('SIGTERM')
  await Promise.all(workers.map((worker) => worker.exited))
  await enqueuer.stop()
}

/**
 * The claim statement alone, same SQL and rows through both drivers (this is what picked
 * better-sqlite3 for the backend; see src/jobs/sqlite-backend/README.md).
 */
const runClaimComparison = async ({ filePath, scale }: { filePath: string; scale: number }): Promise<void> => {
  const rows = Math.max(500, Math.round(10_000 * scale))
  const backend = new SqliteBackend({ filePath, notifications: 'off', tableName: 'claim_bench' })
  await backend.connect()
  await backend.disconnect()
  const db = openSqliteDatabase(filePath, 10_000)
  const insert = db.prepare(
    `INSERT INTO claim_bench (id, name, priority, next_run_at, type, data, created_at, updated_at)
     VALUES (?, 'bench.claim', 0, ?, 'normal', '{}', ?, ?)`,
  )
  const now = Date.now()
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`job-${i}`, now - rows + i, now, now)
  })()
  const reset = (): void => void db.prepare('UPDATE claim_bench SET locked_at = NULL, last_modified_by = NULL').run()
  const args = () => ({ by: 'bench', deadline: Date.now() - 600_000, limit: 1, lockTime: Date.now(), name: 'bench.claim', scan: Date.now() })

  const sql = claimSql('claim_bench')
  const claim = db.prepare(sql)
  let started = performance.now()
  let claimed = 0
  while (claim.all(args()).length > 0) claimed++
  const betterPerS = claimed / ((performance.now() - started) / 1000)
  report({ bench: 'jobs', case: 'claim-better-sqlite3', db: 'sqlite', metric: 'claims_per_s', unit: 'claims/s', value: betterPerS })
  reset()
  db.close()

  const client = createClient({ url: `file:${filePath}` })
  await client.execute('PRAGMA busy_timeout = 10000')
  started = performance.now()
  claimed = 0
  while ((await client.execute({ args: args(), sql })).rows.length > 0) claimed++
  const libsqlPerS = claimed / ((performance.now() - started) / 1000)
  client.close()
  report({ bench: 'jobs', case: 'claim-libsql', db: 'sqlite', metric: 'claims_per_s', unit: 'claims/s', value: libsqlPerS })
  report({ bench: 'jobs', case: 'claim-better-sqlite3', db: 'sqlite', metric: 'speedup_vs_libsql', unit: 'x', value: betterPerS / libsqlPerS })
}

export async function run(argv: string[]): Promise<void> {
  const options = await parseBenchOptions(argv)
  for (const kind of options.dbs) {
    const fresh = await createScratchDatabase({ adminUrl: options.postgresUrl, kind, label: 'bench_jobs' })
    try {
      const database = parseDatabaseUrl({ dataDir: os.tmpdir(), url: fresh.url })
      await runRuntimeCases({ database, db: kind, scale: options.scale })
      if (database.kind === 'sqlite') {
        await runClaimComparison({ filePath: path.join(path.dirname(database.filePath), 'claim.db'), scale: options.scale })
      }
    } finally {
      await fresh.cleanup()
    }
  }
}

