import type { Payload } from 'payload'

import type { Id } from '../src/bulk/index.js'
import type { BenchDb } from './lib/report.js'

import { recomputeCustomerAggregates, upsertCustomers, upsertOrders } from '../src/bulk/index.js'
import { generateCustomers, generateOrders } from '../src/domain/seed/generateSeedData.js'
import { parseDatabaseUrl } from '../src/env.js'
import { bareDatabaseLoader } from './lib/bareCustomerLoad.js'
import { bootBenchPayload, closeBenchPayload } from './lib/bootBenchPayload.js'
import { parseBenchOptions } from './lib/options.js'
import { progress, report, trackPeakRss } from './lib/report.js'

/**
 * `npm run bench -- seed [--db …] [--scale f] [--batch N]`: the bulk layer loading 1,000,000 × scale
 * customers, beside a `payload.create` baseline on 20,000 × scale of the same rows and the bare
 * database ceiling (RECIPES.md); then 300,000 × scale orders + the set-based aggregates.
 */
const BENCH = 'seed'
const SEED = 1

export const run = async (argv: string[]): Promise<void> => {
  const options = await parseBenchOptions(argv)
  const batchIndex = options.rest.indexOf('--batch')
  const batchSize = batchIndex >= 0 ? Number(options.rest[batchIndex + 1]) : 50_000
  const customers = Math.max(1000, Math.round(1_000_000 * options.scale))
  const sample = Math.max(200, Math.round(20_000 * options.scale))
  const orders = Math.max(1000, Math.round(300_000 * options.scale))
  const now = new Date()

  for (const db of options.dbs) {
    const emit = (caseName: string, metric: string, value: number, unit: string) =>
      report({ bench: BENCH, case: caseName, db: db as BenchDb, metric, unit, value })
    const customersCase = `customers-${label(customers)}`

    // 1. The bulk layer, as `npm run seed` uses it.
    const bulk = await bootBenchPayload({ kind: db, label: 'seed-bulk', postgresUrl: options.postgresUrl })
    let bulkRate = 0
    try {
      progress(`${db}: ${customers} customers through the bulk layer (batches of ${batchSize})`)
      const rss = trackPeakRss()
      const ids: Id[] = new Array(customers)
      const started = performance.now()
      let done = 0
      for (const batch of generateCustomers({ batchSize, count: customers, now, seed: SEED })) {
        const result = await upsertCustomers({ now, payload: bulk.payload, rows: batch })
        for (const row of batch) ids[done++] = result.ids.get(row.email) as Id
        if (done % 100_000 === 0) progress(`${db}: ${done} customers`)
      }
      const seconds = (performance.now() - started) / 1000
      bulkRate = customers / seconds
      emit(customersCase, 'rows_per_s', bulkRate, 'rows/s')
      emit(customersCase, 'peak_rss_mb', rss.stop(), 'MB')
      await verifyCount(bulk.payload, customers)

      progress(`${db}: ${orders} orders + set-based aggregates`)
      const ordersCase = `orders-${label(orders)}-with-aggregates`
      const ordersRss = trackPeakRss()
      const ordersStarted = performance.now()
      for (const batch of generateOrders({ batchSize, count: orders, customerCount: customers, now, seed: SEED })) {
        await upsertOrders({
          now,
          payload: bulk.payload,
          recompute: false,
          rows: batch.map(({ customerIndex, ...order }) => ({ ...order, customerId: ids[customerIndex] as Id })),
        })
      }
      const ordersOnly = (performance.now() - ordersStarted) / 1000
      await recomputeCustomerAggregates({ payload: bulk.payload })
      const ordersSeconds = (performance.now() - ordersStarted) / 1000
      emit(ordersCase, 'rows_per_s', orders / ordersSeconds, 'rows/s')
      emit(ordersCase, 'orders_only_rows_per_s', orders / ordersOnly, 'rows/s')
      emit(ordersCase, 'aggregates_s', ordersSeconds - ordersOnly, 's')
      emit(ordersCase, 'peak_rss_mb', ordersRss.stop(), 'MB')
    } finally {
      await bulk.cleanup()
    }

    // 2. Baseline: the first `sample` of the same rows, one `payload.create` each.
    const base = await bootBenchPayload({ kind: db, label: 'seed-baseline', postgresUrl: options.postgresUrl })
    let baselineRate = 0
    try {
      progress(`${db}: baseline, ${sample} customers through payload.create`)
      const started = performance.now()
      for (const batch of generateCustomers({ batchSize: 1000, count: sample, now, seed: SEED })) {
        for (const row of batch) {
          await base.payload.create({
            collection: 'customers',
            data: { ...row, createdAt: row.createdAt.toISOString(), lastVisitAt: row.lastVisitAt?.toISOString() ?? null },
            depth: 0,
            overrideAccess: true,
          })
        }
      }
      baselineRate = sample / ((performance.now() - started) / 1000)
      emit(`baseline-payload-create`, 'rows_per_s', baselineRate, 'rows/s')
      await verifyCount(base.payload, sample)
    } finally {
      await base.cleanup()
    }
    emit(customersCase, 'speedup_vs_payload_create', bulkRate / baselineRate, 'x')

    // 3. Ceiling: the same rows into the same migrated tables with the fastest bare method.
    const bare = await bootBenchPayload({ kind: db, label: 'seed-ceiling', postgresUrl: options.postgresUrl })
    await closeBenchPayload(bare.payload)
    try {
      const method = db === 'postgres' ? 'pg COPY → staging → INSERT … ON CONFLICT' : 'better-sqlite3 prepared row by row'
      progress(`${db}: ceiling, ${customers} customers with ${method}`)
      const location = parseDatabaseUrl({ dataDir: '.', url: bare.url })
      const loader = await bareDatabaseLoader(location)
      const started = performance.now()
      try {
        for (const batch of generateCustomers({ batchSize, count: customers, now, seed: SEED })) await loader.load(batch, now.toISOString())
      } finally {
        await loader.close()
      }
      const ceilingRate = customers / ((performance.now() - started) / 1000)
      emit(`ceiling-${customersCase}`, 'rows_per_s', ceilingRate, 'rows/s')
      emit(customersCase, 'fraction_of_ceiling', bulkRate / ceilingRate, 'ratio')
    } finally {
      await bare.cleanup()
    }
  }
}

const label = (count: number): string =>
  count >= 1_000_000 && count % 1_000_000 === 0 ? `${count / 1_000_000}m` : count % 1000 === 0 ? `${count / 1000}k` : String(count)

/** A benchmark that silently wrote nothing would be a fast lie: check the row count. */
const verifyCount = async (payload: Payload, expected: number): Promise<void> => {
  const { totalDocs } = await payload.count({ collection: 'customers', overrideAccess: true })
  if (totalDocs !== expected) throw new Error(`expected ${expected} customers, found ${totalDocs}`)
}
