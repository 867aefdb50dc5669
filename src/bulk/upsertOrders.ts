import type { UpsertOrdersArgs, UpsertOrdersResult, WrittenOrders } from './types.js'
import type { NormalisedOrder } from './normaliseRows.js'

import { withIndexJoins } from './postgres/withIndexJoins.js'
import { joinsPgTransaction, sqlDialectOf, sqliteClientOf, withPgTransaction } from './connection.js'
import { upsertOrdersMongo } from './mongodb/upsertMongo.js'
import { crmOptionsOf } from '../crmOptionsOf.js'
import { rowOutcomes, writeIsolated } from './isolateFailures.js'
import { normaliseOrderBatch } from './normaliseRows.js'
import { upsertOrdersPostgres } from './postgres/upsertOrders.js'
import { recomputeCustomerAggregates } from './recomputeCustomerAggregates.js'
import { upsertOrdersSqlite } from './sqlite/upsertOrders.js'
import { bulkTables } from './tables.js'

const combine = (a: WrittenOrders, b: WrittenOrders): WrittenOrders => ({
  created: a.created + b.created,
  customerIds: [...new Set([...a.customerIds, ...b.customerIds])],
  customersCreated: a.customersCreated + b.customersCreated,
  unchanged: a.unchanged + b.unchanged,
  statuses: [],
  updated: a.updated + b.updated,
})

/**
 * Upserts orders by externalId in one transaction, linking each to `customerId` or to the customer
 * with `customerEmail` (creating a bare customer for an unknown email). Orders whose values did not
 * change are not rewritten, so re-importing the same file changes nothing. With `recompute` (the
 * default) the affected customers' aggregates are re-derived set-based in the same transaction.
 * A new order without a currency is in the store's `STORE_CURRENCY`. With `isolateFailures` a bad
 * row is returned in `failed` instead of failing the call.
 */
export const upsertOrders = async ({
  beforeCommit,
  isolateFailures = false,
  now = new Date(),
  payload,
  prepared,
  recompute = true,
  req,
  rows,
}: UpsertOrdersArgs): Promise<UpsertOrdersResult> => {
  const { storeCurrency: currency, storeTimezone } = crmOptionsOf(payload)
  const batch = normaliseOrderBatch(rows, storeTimezone, isolateFailures, prepared)
  const stamp = now.toISOString()
  const dialect = sqlDialectOf(payload)
  const write = async (slice: NormalisedOrder[]): Promise<WrittenOrders> => {
    // On both SQL databases the recompute runs inside the upsert's own transaction.
    if (dialect === 'postgres') {
      return withPgTransaction({ beforeCommit, payload, req }, (client) =>
        withIndexJoins(client, () => upsertOrdersPostgres({ client, currency, now: stamp, payload, recompute, rows: slice })),
      )
    }
    if (dialect === 'sqlite') {
      const result = await upsertOrdersSqlite({ client: sqliteClientOf(payload), currency, now: stamp, recompute, rows: slice, tables: bulkTables(payload) })
      await beforeCommit?.()
      return result
    }
    const result = await upsertOrdersMongo({ currency, now: stamp, payload, rows: slice })
    if (recompute) await recomputeCustomerAggregates({ customerIds: result.customerIds, payload, req })
    await beforeCommit?.()
    return result
  }
  const canRetry = isolateFailures && !(dialect === 'postgres' && (await joinsPgTransaction(payload, req)))
  const { failed, result, statuses } = await writeIsolated({
    canRetry,
    combine,
    empty: { created: 0, customerIds: [], customersCreated: 0, statuses: [], unchanged: 0, updated: 0 },
    rows: batch.rows,
    sources: batch.sources,
    write,
  })
  return {
    created: result.created,
    customerIds: result.customerIds,
    customersCreated: result.customersCreated,
    unchanged: result.unchanged,
    updated: result.updated,
    failed: [...batch.failed, ...failed].sort((a, b) => a.index - b.index),
    outcomes: rowOutcomes(rows.length, batch.sources, statuses),
  }
}
