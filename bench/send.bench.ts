import type { ChildProcess } from 'node:child_process'

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

import type { BenchDb } from './lib/report.js'
import type { SendBenchMessage, SendBenchReply } from './lib/sendBenchIpc.js'
import type { SendServerArgs } from './send.server.js'

import { getPayload } from 'payload'

import { analyzeAfterBulkLoad, upsertCustomers } from '../src/bulk/index.js'
import { signReceiptBody } from '../src/domain/campaigns/receiptSignature.js'
import { generateCustomers } from '../src/domain/seed/generateSeedData.js'
import { createScratchDatabase } from '../scripts/lib/scratchDatabase.js'
import { benchConfig, closeBenchPayload } from './lib/bootBenchPayload.js'
import { parseBenchOptions } from './lib/options.js'
import { progress, report, trackPeakRssOf } from './lib/report.js'
import { RECEIPT_BATCH, RECEIPT_CONCURRENCY } from './lib/sendBenchIpc.js'

/**
 * `npm run bench -- send [--db …] [--scale f] [--cpu-prof [dir]]`: seeds 1,000,000 × scale customers and sends one
 * campaign to all of them (a segment matching everyone) through the server's job worker and the
 * vendor simulator (no artificial latency; receipts come back over HTTP to the receipts endpoint).
 * Three processes per database: this one (it seeds, then orchestrates and is the receipt replay
 * client), the measured server (`bench/send.server.ts`: the CRM server, its job worker and the driver
 * that starts the campaign and polls) and the simulator (`scripts/vendor.ts`, as `npm run vendor` runs it). RSS is sampled
 * from outside, per process. Reports the snapshot time, dispatch rate, live receipt rate, end to end
 * recipients/s until the stats converge, both processes' peak RSS, the receipts path alone (signed
 * batches replayed at the endpoint as fast as it answers, until the stats converge) and two
 * bare-driver ceilings: the `INSERT … SELECT` snapshot and the batched receipt `UPDATE`.
 */
const BENCH = 'send'
const SECRET = 'bench-send-secret'
const here = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(here, '..')

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))))
    })
  })

const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000).unref())])
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
}

/** `npm run vendor` on a free port, calling receipts back to `callbackUrl`; resolves with its URL. */
const startVendor = async (callbackUrl: string): Promise<{ child: ChildProcess; url: string }> => {
  const behaviour = { callbackBatchSize: RECEIPT_BATCH, callbackConcurrency: RECEIPT_CONCURRENCY, receiptDelayMs: [0, 0] }
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'scripts/vendor.ts'), '--port', '0', '--seed', '1', '--callback-url', callbackUrl, '--behaviour', JSON.stringify(behaviour)],
    { cwd: ROOT, env: { ...process.env, VENDOR_URL: '', VENDOR_WEBHOOK_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const exited = once(child, 'exit').then(() => {
    throw new Error('the vendor simulator exited before it was ready')
  })
  const ready = (async () => {
    for await (const line of createInterface({ input: child.stdout! })) {
      const match = /Vendor simulator on (http:\/\/\S+)/.exec(line)
      if (match) return match[1]!
    }
    throw new Error('the vendor simulator printed no URL')
  })()
  try {
    return { child, url: await Promise.race([ready, exited]) }
  } catch (err) {
    await stop(child)
    throw err
  }
}

/**
 * Fires the references as `delivered` receipts at `url`: batches of RECEIPT_BATCH, RECEIPT_CONCURRENCY
 * in flight, each signed like the simulator's (`X-Signature: sha256=<HMAC of the raw body>`). The
 * bodies are built and signed before the clock starts; `onStart` is called as the first one leaves.
 */
const replayReceipts = async (url: string, references: string[], onStart: () => void): Promise<{ elapsedMs: number; failures: number }> => {
  const at = new Date().toISOString()
  const bodies: { body: string; signature: string }[] = []
  for (let i = 0; i < references.length; i += RECEIPT_BATCH) {
    const receipts = references.slice(i, i + RECEIPT_BATCH).map((reference) => ({ at, messageId: `m-${reference}`, reference, status: 'delivered' }))
    const body = JSON.stringify({ receipts })
    bodies.push({ body, signature: signReceiptBody({ body, secret: SECRET }) })
  }
  let next = 0
  let failures = 0
  onStart()
  const started = performance.now()
  await Promise.all(
    Array.from({ length: RECEIPT_CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const { body, signature } = bodies[next++]!
        const response = await fetch(url, { body, headers: { 'content-type': 'application/json', 'x-signature': signature }, method: 'POST' })
        await response.arrayBuffer()
        if (!response.ok) failures++
      }
    }),
  )
  return { elapsedMs: performance.now() - started, failures }
}

const runOne = async ({ cpuProfileDir, customers, db, postgresUrl }: { cpuProfileDir?: string; customers: number; db: 'postgres' | 'sqlite'; postgresUrl: string }) => {
  const emit = (caseName: string, metric: string, value: number, unit: string) => report({ bench: BENCH, case: caseName, db: db as BenchDb, metric, unit, value })
  const database = await createScratchDatabase({ adminUrl: postgresUrl, kind: db, label: 'bench_send' })
  // Seeded here, with a Payload of this process's own: the server process's RSS is then the send's alone.
  progress(`${db}: seeding ${customers} customers`)
  const seeder = await getPayload({ config: benchConfig(database.url), key: `bench-send-seed-${db}` })
  try {
    const now = new Date()
    for (const batch of generateCustomers({ batchSize: 50_000, count: customers, now, seed: 1 })) await upsertCustomers({ now, payload: seeder, returnIds: false, rows: batch })
    await analyzeAfterBulkLoad({ payload: seeder })
  } finally {
    await closeBenchPayload(seeder)
  }
  const port = await freePort()
  let vendor: { child: ChildProcess; url: string } | undefined
  let server: ChildProcess | undefined
  try {
    vendor = await startVendor(`http://127.0.0.1:${port}/api/communication-logs/receipts`)
    const args: SendServerArgs = { cpuProfileDir, db, port, secret: SECRET, url: database.url, vendorUrl: vendor.url }
    server = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'send.server.ts'), JSON.stringify(args)], {
      cwd: ROOT,
      env: { ...process.env, CRM_SEND_BATCH_SIZE: '1000', CRM_SEND_RATE_PER_S: '1000000', VENDOR_URL: '' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const child = server
    const vendorPid = vendor.child.pid!
    let serverRss: ReturnType<typeof trackPeakRssOf> | undefined
    let vendorRss: ReturnType<typeof trackPeakRssOf> | undefined
    // A reply to a server process that already died: its exit code below reports the failure.
    child.on('error', (err) => progress(`${db}: server process: ${err.message}`))
    child.on('message', (message: SendBenchMessage) => {
      const tell = (reply: SendBenchReply) => child.connected && child.send(reply)
      if (message.type === 'live-start') {
        serverRss = trackPeakRssOf(child.pid!)
        vendorRss = trackPeakRssOf(vendorPid)
      } else if (message.type === 'live-end') {
        emit('campaign-1m', 'peak_rss_mb', serverRss!.stop(), 'MB')
        emit('campaign-1m', 'simulator_peak_rss_mb', vendorRss!.stop(), 'MB')
      } else if (message.type === 'replay-ready') {
        progress(`${db}: replaying ${message.references.length} receipts at the endpoint`)
        void replayReceipts(message.url, message.references, () => {
          serverRss = trackPeakRssOf(child.pid!)
          tell({ type: 'replay-go' })
        }).then(
          (result) => tell({ ...result, type: 'replay-fired' }),
          (err: unknown) => {
            progress(`${db}: replay failed: ${(err as Error).message}`)
            tell({ elapsedMs: 0, failures: 1, type: 'replay-fired' })
          },
        )
      } else if (message.type === 'replay-end') {
        emit('receipts', 'peak_rss_mb', serverRss!.stop(), 'MB')
      }
    })
    const [code] = (await once(child, 'exit')) as [null | number]
    if (code !== 0) throw new Error(`the send benchmark's server process on ${db} exited with ${code}`)
  } finally {
    if (server) await stop(server)
    if (vendor) await stop(vendor.child)
    await database.cleanup()
  }
}

export const run = async (argv: string[]): Promise<void> => {
  const options = await parseBenchOptions(argv)
  const customers = Math.max(1000, Math.round(1_000_000 * options.scale))
  // `--cpu-prof [dir]`: the server process profiles the live campaign and the replay (default dir: the OS temp dir).
  const at = options.rest.indexOf('--cpu-prof')
  const next = options.rest[at + 1]
  const cpuProfileDir = at < 0 ? undefined : next && !next.startsWith('--') ? path.resolve(next) : os.tmpdir()
  if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true })
  // One database after the other, each in fresh processes (a server and a simulator of its own).
  for (const db of options.dbs) await runOne({ cpuProfileDir, customers, db, postgresUrl: options.postgresUrl })
}
