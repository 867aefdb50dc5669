import Database from 'better-sqlite3'
import os from 'node:os'
import pg from 'pg'
import { sql } from 'drizzle-orm'

import type { BenchDb } from './lib/report.js'

import { analyzeAfterBulkLoad, runSql, setCampaignStatus, upsertCustomers } from '../src/bulk/index.js'
import { queueCampaignSend } from '../src/campaigns/campaignActions.js'
import { jobQueueOf } from '../src/campaigns/jobQueueRegistry.js'
import { setCampaignVendor } from '../src/campaigns/vendorLink.js'
import { generateCustomers } from '../src/domain/seed/generateSeedData.js'
import { parseDatabaseUrl } from '../src/env.js'
import { createCrmServer } from '../src/server/createServer.js'
import { createVendorSimulator } from '../src/vendor/createVendorSimulator.js'
import { createScratchDatabase } from '../scripts/lib/scratchDatabase.js'
import { benchConfig, closeBenchPayload } from './lib/bootBenchPayload.js'
import { parseBenchOptions } from './lib/options.js'
import { progress, report, trackPeakRss } from './lib/report.js'

/**
 * `npm run bench -- send [--db …] [--scale f]`: seeds 1,000,000 × scale customers and sends one
 * campaign to all of them (a segment matching everyone) through the server's job worker and the
 * vendor simulator (no artificial latency; it runs in the same process and its receipts come back
 * over HTTP to the receipts endpoint). Reports the snapshot time, dispatch and receipt rates, end to
 * end recipients/s until the stats converge, peak RSS, and two bare-driver ceilings: the
 * `INSERT … SELECT` snapshot and the batched receipt `UPDATE`.
 */
const BENCH = 'send'
const SECRET = 'bench-send-secret'
const RECEIPT_BATCH = 1000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

type Bare = { close: () => Promise<void>; exec: (text: string, params?: unknown[]) => Promise<void> }

const bareDriver = async (kind: 'postgres' | 'sqlite', url: string): Promise<Bare> => {
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    return { close: () => client.end(), exec: async (text, params) => void (await client.query(text, params)) }
  }
  const db = new Database(url.replace(/^file:/, ''))
  db.pragma('busy_timeout = 10000')
  return {
    close: async () => void db.close(),
    exec: async (text, params = []) => void db.prepare(text).run(...params),
  }
}

export const run = async (argv: string[]): Promise<void> => {
  const options = await parseBenchOptions(argv)
  const customers = Math.max(1000, Math.round(1_000_000 * options.scale))
  Object.assign(process.env, { CRM_SEND_BATCH_SIZE: '1000', CRM_SEND_RATE_PER_S: '1000000' })

  for (const db of options.dbs) {
    const emit = (caseName: string, metric: string, value: number, unit: string) => report({ bench: BENCH, case: caseName, db: db as BenchDb, metric, unit, value })
    const database = await createScratchDatabase({ adminUrl: options.postgresUrl, kind: db, label: 'bench_send' })
    const server = await createCrmServer({
      config: benchConfig(database.url),
      database: parseDatabaseUrl({ dataDir: os.tmpdir(), url: database.url }),
      host: '127.0.0.1',
      port: 0,
      withAdmin: false,
      workerName: 'bench-send',
    })
    const { payload } = server
    const vendor = await createVendorSimulator({
      behaviour: { callbackBatchSize: RECEIPT_BATCH, callbackConcurrency: 4, receiptDelayMs: [0, 0] },
      callbackUrl: `${server.url}/api/communication-logs/receipts`,
      seed: 1,
      webhookSecret: SECRET,
    })
    setCampaignVendor(payload, { url: vendor.url, webhookSecret: SECRET })
    try {
      progress(`${db}: seeding ${customers} customers`)
      const now = new Date()
      for (const batch of generateCustomers({ batchSize: 50_000, count: customers, now, seed: 1 })) await upsertCustomers({ now, payload, returnIds: false, rows: batch })
      await analyzeAfterBulkLoad({ payload })
      const segment = await payload.create({
        collection: 'segments',
        data: { name: 'everyone', rules: { combinator: 'and', rules: [{ field: 'email', operator: 'notNull' }] } } as never,
        overrideAccess: true,
      })
      const campaign = await payload.create({
        collection: 'campaigns',
        data: { message: 'Hi {{firstName | "there"}}, new arrivals in {{city | "your city"}}!', name: 'bench', segment: segment.id } as never,
        overrideAccess: true,
      })
      const id = Number(campaign.id)
      const read = async () =>
        (await runSql<{ pending: number; skipped: number; snapshot_at: null | string; status: string; audience: number }>({
          payload,
          query: sql`SELECT status, snapshot_at, stats_audience AS audience, stats_pending AS pending, stats_skipped AS skipped FROM campaigns WHERE id = ${id}`,
        }))[0]!

      progress(`${db}: sending to everyone`)
      const rss = trackPeakRss()
      const t0 = performance.now()
      await setCampaignStatus({ audienceAt: new Date(), campaignId: id, from: 'draft', payload, to: 'sending' })
      await queueCampaignSend({ agenda: jobQueueOf(payload)!, campaignId: id })
      let tSnapshot = 0
      let tDispatched = 0
      for (;;) {
        const row = await read()
        if (!tSnapshot && row.snapshot_at) tSnapshot = performance.now()
        if (row.status === 'completed') break
        if (row.status !== 'sending') throw new Error(`campaign ended ${row.status}`)
        await sleep(50)
      }
      tDispatched = performance.now()
      const audience = Number((await read()).audience)
      progress(`${db}: dispatched ${audience} in ${((tDispatched - tSnapshot) / 1000).toFixed(1)} s; waiting for receipts`)
      // Converged: the simulator has nothing left to report and the stats count every final outcome.
      const finals = async () => {
        const rows = await runSql<{ n: number }>({ payload, query: sql`SELECT COUNT(*) AS n FROM communication_logs WHERE campaign_id = ${id} AND status IN ('delivered', 'failed')` })
        return Number(rows[0]?.n ?? 0)
      }
      for (;;) {
        const stats = vendor.stats()
        const expected = stats.outcomes.delivered + stats.outcomes.failed + stats.outcomes.unsubscribed
        const c = (await runSql<{ d: number; f: number }>({ payload, query: sql`SELECT stats_delivered AS d, stats_failed AS f FROM campaigns WHERE id = ${id}` }))[0]!
        if (stats.receipts.pending === 0 && Number(c.d) + Number(c.f) === expected && (await finals()) === expected) break
        await sleep(100)
      }
      const tConverged = performance.now()
      const peak = rss.stop()
      const receipts = vendor.stats().receipts.delivered
      const snapshotS = (tSnapshot - t0) / 1000
      emit('campaign-1m', 'snapshot_s', snapshotS, 's')
      emit('campaign-1m', 'dispatch_messages_per_s', audience / ((tDispatched - tSnapshot) / 1000), 'msg/s')
      emit('campaign-1m', 'receipts_per_s', receipts / ((tConverged - tSnapshot) / 1000), 'receipts/s')
      emit('campaign-1m', 'end_to_end_recipients_per_s', audience / ((tConverged - t0) / 1000), 'recipients/s')
      emit('campaign-1m', 'peak_rss_mb', peak, 'MB')
      emit('campaign-1m', 'audience', audience, 'recipients')

      // Ceilings on a bare driver, same tables: the snapshot statement, and receipts as batched UPDATEs.
      const bare = await bareDriver(db, database.url)
      try {
        const other = await payload.create({ collection: 'campaigns', data: { message: 'x', name: 'ceiling', segment: segment.id } as never, overrideAccess: true })
        const cid = Number(other.id)
        const ph = (i: number) => (db === 'postgres' ? `$${i}` : '?')
        const nowText = db === 'postgres' ? 'now()' : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`
        const optOut = db === 'postgres' ? 'COALESCE(marketing_opt_out, false)' : 'COALESCE(marketing_opt_out, 0) = 1'
        let started = performance.now()
        await bare.exec(
          `INSERT INTO communication_logs (campaign_id, customer_id, recipient, status, reference, attempts, updated_at, created_at)
           SELECT ${ph(1)}, id, email, 'pending', 'x' || id, 0, ${nowText}, ${nowText} FROM customers WHERE email IS NOT NULL AND NOT ${optOut}`,
          [cid],
        )
        const ceilingSnapshotS = (performance.now() - started) / 1000
        emit('ceiling-snapshot', 'snapshot_s', ceilingSnapshotS, 's')
        emit('campaign-1m', 'snapshot_fraction_of_ceiling', ceilingSnapshotS / snapshotS, 'ratio')
        const refs = (await runSql<{ reference: string }>({ payload, query: sql`SELECT reference FROM communication_logs WHERE campaign_id = ${cid} ORDER BY id` })).map((r) => r.reference)
        started = performance.now()
        for (let i = 0; i < refs.length; i += RECEIPT_BATCH) {
          const batch = JSON.stringify(refs.slice(i, i + RECEIPT_BATCH))
          await bare.exec(
            db === 'postgres'
              ? `UPDATE communication_logs SET status = 'delivered', delivered_at = now(), updated_at = now() WHERE reference IN (SELECT jsonb_array_elements_text($1::jsonb)) AND status IN ('pending', 'sent')`
              : `UPDATE communication_logs SET status = 'delivered', delivered_at = ${nowText}, updated_at = ${nowText} WHERE reference IN (SELECT value FROM json_each(?)) AND status IN ('pending', 'sent')`,
            [batch],
          )
        }
        const ceilingReceipts = refs.length / ((performance.now() - started) / 1000)
        emit('ceiling-receipts', 'receipts_per_s', ceilingReceipts, 'receipts/s')
        emit('campaign-1m', 'receipts_fraction_of_ceiling', receipts / ((tConverged - tSnapshot) / 1000) / ceilingReceipts, 'ratio')
      } finally {
        await bare.close()
      }
    } finally {
      await vendor.close()
      await server.close()
      await closeBenchPayload(payload)
      ;(globalThis as { _payload?: Map<string, unknown> })._payload?.delete('default')
      await database.cleanup()
    }
  }
}
