/**
 * The measured process of `bench/send.bench.ts` (argv[2] = JSON `SendServerArgs`): the real CRM
 * server (Express, no admin) with its job worker on one database, plus the driver that starts the
 * campaign and polls the database (the parent seeded the customers before starting this process). The vendor simulator and the receipt replay
 * client run in other processes; this one talks to its parent over IPC (`process.send`): it reports
 * the phases (so the parent samples this process's RSS) and hands the replay's references over.
 * Results are JSON lines on stdout (inherited from the parent).
 */
import Database from 'better-sqlite3'
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { sql } from 'drizzle-orm'

import type { BenchDb } from './lib/report.js'
import type { SendBenchMessage, SendBenchReply } from './lib/sendBenchIpc.js'

import { analyzeAfterBulkLoad, BULK_CACHE_KIB, runSql, setCampaignStatus } from '../src/bulk/index.js'
import { queueCampaignSend } from '../src/campaigns/campaignActions.js'
import { jobQueueOf } from '../src/campaigns/jobQueueRegistry.js'
import { setCampaignVendor } from '../src/campaigns/vendorLink.js'
import { parseDatabaseUrl } from '../src/env.js'
import { createCrmServer } from '../src/server/createServer.js'
import { benchConfig, closeBenchPayload } from './lib/bootBenchPayload.js'
import { progress, report } from './lib/report.js'
import { RECEIPT_BATCH, RECEIPT_CONCURRENCY } from './lib/sendBenchIpc.js'

export type SendServerArgs = {
  /** Set: CPU profiles of the live campaign and of the replay are written there (`send-<db>-<phase>.cpuprofile`). */
  cpuProfileDir?: string
  db: 'postgres' | 'sqlite'
  port: number
  secret: string
  url: string
  vendorUrl: string
}

const args = JSON.parse(process.argv[2] ?? '{}') as SendServerArgs
const { db } = args
const BENCH = 'send'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const emit = (caseName: string, metric: string, value: number, unit: string) => report({ bench: BENCH, case: caseName, db: db as BenchDb, metric, unit, value })

const toParent = (message: SendBenchMessage) => new Promise<void>((resolve, reject) => process.send!(message, (err: Error | null) => (err ? reject(err) : resolve())))
/** Resolves with the parent's next message of `type` (listen before asking, so no reply is missed). */
const fromParent = <T extends SendBenchReply['type']>(type: T) =>
  new Promise<Extract<SendBenchReply, { type: T }>>((resolve) => {
    const onMessage = (message: SendBenchReply) => {
      if (message.type !== type) return
      process.off('message', onMessage)
      resolve(message as Extract<SendBenchReply, { type: T }>)
    }
    process.on('message', onMessage)
  })

/** Profiles this process's CPU from now until the returned function is called (nothing without `cpuProfileDir`). */
const profile = async (phase: string): Promise<() => Promise<void>> => {
  if (!args.cpuProfileDir) return async () => undefined
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return async () => {
    const { profile: result } = await session.post('Profiler.stop')
    const file = path.join(args.cpuProfileDir!, `send-${db}-${phase}.cpuprofile`)
    writeFileSync(file, JSON.stringify(result))
    session.disconnect()
    progress(`${db}: CPU profile of the ${phase} in ${file}`)
  }
}

type Bare = {
  close: () => Promise<void>
  exec: (text: string, params?: unknown[]) => Promise<void>
  /** The first column of every row. */
  column: (text: string, params?: unknown[]) => Promise<unknown[]>
}

const bareDriver = async (url: string): Promise<Bare> => {
  if (db === 'postgres') {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    return {
      close: () => client.end(),
      column: async (text, params) => (await client.query({ rowMode: 'array', text, values: params })).rows.map((row: unknown[]) => row[0]),
      exec: async (text, params) => void (await client.query(text, params)),
    }
  }
  const handle = new Database(url.replace(/^file:/, ''))
  handle.pragma('busy_timeout = 10000')
  // As the bulk connection runs (src/bulk/sqlite/driver.ts), so the ceiling is the fastest bare method.
  handle.pragma('synchronous = NORMAL')
  handle.pragma(`cache_size = -${BULK_CACHE_KIB}`)
  return {
    close: async () => void handle.close(),
    column: async (text, params = []) => handle.prepare(text).pluck().all(...params),
    exec: async (text, params = []) => void handle.prepare(text).run(...params),
  }
}

const server = await createCrmServer({
  config: benchConfig(args.url),
  database: parseDatabaseUrl({ dataDir: os.tmpdir(), url: args.url }),
  host: '127.0.0.1',
  port: args.port,
  withAdmin: false,
  workerName: 'bench-send',
})
const { payload } = server
setCampaignVendor(payload, { url: args.vendorUrl, webhookSecret: args.secret })
const bare = await bareDriver(args.url)
const nowText = db === 'postgres' ? 'now()' : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`

try {
  const segment = await payload.create({
    collection: 'segments',
    data: { name: 'everyone', rules: { combinator: 'and', rules: [{ field: 'email', operator: 'notNull' }] } } as never,
    overrideAccess: true,
  })
  const newCampaign = async (name: string, message = 'x') =>
    Number((await payload.create({ collection: 'campaigns', data: { message, name, segment: segment.id } as never, overrideAccess: true })).id)
  const id = await newCampaign('bench', 'Hi {{firstName | "there"}}, new arrivals in {{city | "your city"}}!')
  const read = async (campaignId: number) =>
    (await runSql<{ audience: number; delivered: number; failed: number; snapshot_at: null | string; status: string }>({
      payload,
      query: sql`SELECT status, snapshot_at, stats_audience AS audience, stats_delivered AS delivered, stats_failed AS failed FROM campaigns WHERE id = ${campaignId}`,
    }))[0]!
  type VendorStats = { outcomes: Record<'delivered' | 'failed' | 'sent' | 'unsubscribed', number>; receipts: { delivered: number; pending: number } }
  const vendorStats = async () => (await (await fetch(`${args.vendorUrl}/stats`)).json()) as VendorStats

  // 1. The live campaign: snapshot, dispatch to the simulator (its own process), receipts back over HTTP.
  progress(`${db}: sending to everyone`)
  await toParent({ type: 'live-start' })
  const stopLiveProfile = await profile('live')
  const t0 = performance.now()
  await setCampaignStatus({ audienceAt: new Date(), campaignId: id, from: 'draft', payload, to: 'sending' })
  await queueCampaignSend({ agenda: jobQueueOf(payload)!, campaignId: id })
  let tSnapshot = 0
  for (;;) {
    const row = await read(id)
    if (!tSnapshot && row.snapshot_at) tSnapshot = performance.now()
    if (row.status === 'completed') break
    if (row.status !== 'sending') throw new Error(`campaign ended ${row.status}`)
    await sleep(50)
  }
  const tDispatched = performance.now()
  const audience = Number((await read(id)).audience)
  progress(`${db}: dispatched ${audience} in ${((tDispatched - tSnapshot) / 1000).toFixed(1)} s; waiting for receipts`)
  // Converged: the simulator has nothing left to report and the stats count every final outcome.
  const finals = async () => {
    const rows = await runSql<{ n: number }>({ payload, query: sql`SELECT COUNT(*) AS n FROM communication_logs WHERE campaign_id = ${id} AND status IN ('delivered', 'failed')` })
    return Number(rows[0]?.n ?? 0)
  }
  for (;;) {
    const stats = await vendorStats()
    const expected = stats.outcomes.delivered + stats.outcomes.failed + stats.outcomes.unsubscribed
    const c = await read(id)
    if (stats.receipts.pending === 0 && Number(c.delivered) + Number(c.failed) === expected && (await finals()) === expected) break
    await sleep(100)
  }
  const tConverged = performance.now()
  await toParent({ type: 'live-end' })
  await stopLiveProfile()
  const liveReceipts = (await vendorStats()).receipts.delivered
  const snapshotS = (tSnapshot - t0) / 1000
  emit('campaign-1m', 'snapshot_s', snapshotS, 's')
  emit('campaign-1m', 'dispatch_messages_per_s', audience / ((tDispatched - tSnapshot) / 1000), 'msg/s')
  emit('campaign-1m', 'live_receipts_per_s', liveReceipts / ((tConverged - tSnapshot) / 1000), 'receipts/s')
  emit('campaign-1m', 'live_receipts', liveReceipts, 'receipts')
  emit('campaign-1m', 'end_to_end_recipients_per_s', audience / ((tConverged - t0) / 1000), 'recipients/s')
  emit('campaign-1m', 'audience', audience, 'recipients')

  // 2. Two fresh, identical sets of pending logs (one per customer, like a snapshot): the first is
  // written by the timed bare INSERT … SELECT (the snapshot ceiling), the second the same way untimed.
  const optOut = db === 'postgres' ? 'COALESCE(marketing_opt_out, false)' : 'COALESCE(marketing_opt_out, 0) = 1'
  const insertLogs = (campaignId: number) =>
    bare.exec(
      `INSERT INTO communication_logs (campaign_id, customer_id, recipient, status, reference, attempts, updated_at, created_at)
       SELECT ${db === 'postgres' ? '$1::integer' : '?'}, id, email, 'pending', 'c' || ${campaignId} || '-' || id, 0, ${nowText}, ${nowText}
       FROM customers WHERE email IS NOT NULL AND NOT ${optOut}`,
      [campaignId],
    )
  const ceilingId = await newCampaign('ceiling')
  let started = performance.now()
  await insertLogs(ceilingId)
  const ceilingSnapshotS = (performance.now() - started) / 1000
  emit('ceiling-snapshot', 'snapshot_s', ceilingSnapshotS, 's')
  emit('campaign-1m', 'snapshot_fraction_of_ceiling', ceilingSnapshotS / snapshotS, 'ratio')
  const replayId = await newCampaign('replay')
  await insertLogs(replayId)
  await analyzeAfterBulkLoad({ payload })
  // Read on the harness's own connection: through the server's, a million rows would be copied
  // between its threads and counted in the measured process's peak memory.
  const refsOf = async (campaignId: number) =>
    (await bare.column(`SELECT reference FROM communication_logs WHERE campaign_id = ${db === 'postgres' ? '$1' : '?'} ORDER BY id`, [campaignId])) as string[]

  // 3. The receipts ceiling on the first set: a bare driver, one UPDATE per 1,000 receipts in id order,
  // writing what a `delivered` receipt writes (status, delivered_at, sent_at, vendor_message_id, updated_at).
  // PostgreSQL: RECEIPT_CONCURRENCY connections, like the callbacks in flight; SQLite: one (a single writer, synchronous driver).
  const ceilingRefs = await refsOf(ceilingId)
  const at = new Date().toISOString()
  const batches: string[] = []
  for (let i = 0; i < ceilingRefs.length; i += RECEIPT_BATCH) {
    batches.push(JSON.stringify(ceilingRefs.slice(i, i + RECEIPT_BATCH).map((reference) => ({ a: at, m: `m-${reference}`, r: reference }))))
  }
  const lanes = db === 'postgres' ? [bare, ...(await Promise.all(Array.from({ length: RECEIPT_CONCURRENCY - 1 }, () => bareDriver(args.url))))] : [bare]
  const ceilingUpdate =
    db === 'postgres'
      ? `UPDATE communication_logs l SET status = 'delivered', delivered_at = k.a, sent_at = COALESCE(l.sent_at, k.a), vendor_message_id = COALESCE(l.vendor_message_id, k.m), updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS k(r text, m text, a timestamptz) WHERE l.reference = k.r AND l.status IN ('pending', 'sent')`
      : `WITH k AS MATERIALIZED (SELECT json_extract(value, '$.r') AS r, json_extract(value, '$.m') AS m, json_extract(value, '$.a') AS a FROM json_each(?))
         UPDATE communication_logs SET status = 'delivered', delivered_at = k.a, sent_at = COALESCE(sent_at, k.a), vendor_message_id = COALESCE(vendor_message_id, k.m), updated_at = ${nowText}
         FROM k WHERE communication_logs.reference = k.r AND communication_logs.status IN ('pending', 'sent')`
  let nextBatch = 0
  started = performance.now()
  await Promise.all(
    lanes.map(async (lane) => {
      while (nextBatch < batches.length) await lane.exec(ceilingUpdate, [batches[nextBatch++]!])
    }),
  )
  await Promise.all(lanes.slice(1).map((lane) => lane.close()))
  const ceilingReceipts = ceilingRefs.length / ((performance.now() - started) / 1000)
  emit('ceiling-receipts', 'receipts_per_s', ceilingReceipts, 'receipts/s')

  // 4. The receipts path alone on the second set: the parent fires signed batches of 1,000 `delivered`
  // receipts (4 in flight) at the endpoint as fast as it answers; done when the stats count them all.
  const replayRefs = await refsOf(replayId)
  const stopReplayProfile = await profile('replay')
  const go = fromParent('replay-go')
  let answered: Extract<SendBenchReply, { type: 'replay-fired' }> | undefined
  void fromParent('replay-fired').then((message) => (answered = message))
  await toParent({ references: replayRefs, type: 'replay-ready', url: `${server.url}/api/communication-logs/receipts` })
  await go
  const tReplay = performance.now()
  for (;;) {
    if (answered && (answered.failures > 0 || Number((await read(replayId)).delivered) === replayRefs.length)) break
    await sleep(50)
  }
  const tReplayConverged = performance.now()
  await toParent({ type: 'replay-end' })
  await stopReplayProfile()
  if (answered.failures > 0) throw new Error(`${answered.failures} receipt batch(es) were refused`)
  const replayRate = replayRefs.length / ((tReplayConverged - tReplay) / 1000)
  emit('receipts', 'receipts_per_s', replayRate, 'receipts/s')
  emit('receipts', 'receipts_answered_per_s', replayRefs.length / (answered.elapsedMs / 1000), 'receipts/s')
  emit('receipts', 'fraction_of_ceiling', replayRate / ceilingReceipts, 'ratio')
  emit('receipts', 'receipts', replayRefs.length, 'receipts')
} finally {
  await bare.close()
  await server.close()
  await closeBenchPayload(payload)
}
process.exit(0)
