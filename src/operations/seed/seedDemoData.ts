import type { Payload } from 'payload'

import type { Id } from '../../bulk/index.js'

import { analyzeAfterBulkLoad, recomputeCustomerAggregates, upsertCustomers, upsertOrders } from '../../bulk/index.js'
import { generateCustomers, generateOrders } from '../../domain/seed/generateSeedData.js'

export type SeedDemoDataArgs = {
  /** Rows per bulk call (one transaction each). @default 10000 */
  batchSize?: number
  customers: number
  /** Reference time: signups span the two years before it, orders the 18 months before it. @default new Date() */
  now?: Date
  /** Awaited between batches (no write transaction open), so it may write elsewhere in the same SQLite file. */
  onProgress?: (event: { done: number; phase: 'customers' | 'orders'; total: number }) => Promise<void> | void
  orders: number
  payload: Payload
  /** @default 1 */
  seed?: number
}

export type SeedDemoDataResult = {
  aggregatesMs: number
  customers: { created: number; ms: number; updated: number }
  orders: { created: number; ms: number; updated: number }
  totalMs: number
}

/**
 * Fills the database with generated Indian retail customers and orders through the bulk layer,
 * batch by batch (memory stays flat apart from one id per customer), then derives every
 * customer's aggregates in one set-based statement. The same seed writes the same emails and
 * order ids, so running it again updates instead of duplicating.
 */
export const seedDemoData = async ({
  batchSize = 50_000,
  customers,
  now = new Date(),
  onProgress,
  orders,
  payload,
  seed = 1,
}: SeedDemoDataArgs): Promise<SeedDemoDataResult> => {
  const started = performance.now()
  const ids: Id[] = new Array(customers)
  const customerStats = { created: 0, ms: 0, updated: 0 }
  let done = 0
  for (const batch of generateCustomers({ batchSize, count: customers, now, seed })) {
    const result = await upsertCustomers({ now, payload, rows: batch })
    for (const row of batch) ids[done++] = result.ids.get(row.email) as Id
    customerStats.created += result.created
    customerStats.updated += result.updated
    await onProgress?.({ done, phase: 'customers', total: customers })
  }
  customerStats.ms = performance.now() - started

  const ordersStarted = performance.now()
  const orderStats = { created: 0, ms: 0, updated: 0 }
  done = 0
  for (const batch of generateOrders({ batchSize, count: orders, customerCount: customers, now, seed })) {
    const result = await upsertOrders({
      now,
      payload,
      recompute: false,
      rows: batch.map(({ customerIndex, ...order }) => ({ ...order, customerId: ids[customerIndex] as Id })),
    })
    done += batch.length
    orderStats.created += result.created
    orderStats.updated += result.updated
    await onProgress?.({ done, phase: 'orders', total: orders })
  }
  orderStats.ms = performance.now() - ordersStarted

  const aggregatesStarted = performance.now()
  if (orders > 0) await recomputeCustomerAggregates({ payload })
  await analyzeAfterBulkLoad({ payload })
  const aggregatesMs = performance.now() - aggregatesStarted
  return { aggregatesMs, customers: customerStats, orders: orderStats, totalMs: performance.now() - started }
}
