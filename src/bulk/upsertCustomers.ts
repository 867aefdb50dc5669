import type { UpsertCustomersArgs, UpsertCustomersResult, WrittenCustomers } from './types.js'
import type { NormalisedCustomer } from './normaliseRows.js'

import { withIndexJoins } from './postgres/withIndexJoins.js'
import { joinsPgTransaction, sqlDialectOf, sqliteClientOf, withPgTransaction } from './connection.js'
import { upsertCustomersMongo } from './mongodb/upsertMongo.js'
import { crmOptionsOf } from '../crmOptionsOf.js'
import { rowOutcomes, writeIsolated } from './isolateFailures.js'
import { normaliseCustomerBatch } from './normaliseRows.js'
import { upsertCustomersPostgres } from './postgres/upsertCustomers.js'
import { upsertCustomersSqlite } from './sqlite/upsertCustomers.js'
import { bulkTables } from './tables.js'

const combine = (a: WrittenCustomers, b: WrittenCustomers): WrittenCustomers => ({
  created: a.created + b.created,
  ids: new Map([...a.ids, ...b.ids]),
  unchanged: a.unchanged + b.unchanged,
  statuses: [],
  updated: a.updated + b.updated,
})

/**
 * Upserts customers by email in one transaction, many rows per statement, beneath Payload (no
 * hooks, no per-document validation: callers validate). Stream big loads by calling this per
 * batch of a few thousand rows; memory stays proportional to the batch.
 *
 * Payload's view stays consistent: ids come from the table's own sequence, `updatedAt` is now,
 * `createdAt` is the row's or now, tags go to `customers_texts` numbered 1..n. When `baseSpend`
 * changes, `totalSpend` is re-derived from the orders in the same transaction. With
 * `isolateFailures` a bad row is returned in `failed` instead of failing the call.
 */
export const upsertCustomers = async ({
  beforeCommit,
  isolateFailures = false,
  now = new Date(),
  payload,
  prepared,
  req,
  returnIds = true,
  rows,
}: UpsertCustomersArgs): Promise<UpsertCustomersResult> => {
  const batch = normaliseCustomerBatch(rows, crmOptionsOf(payload).storeTimezone, isolateFailures, prepared)
  const stamp = now.toISOString()
  const dialect = sqlDialectOf(payload)
  const write = async (slice: NormalisedCustomer[]): Promise<WrittenCustomers> => {
    if (dialect === 'postgres') {
      return withPgTransaction({ beforeCommit, payload, req }, (client) =>
        withIndexJoins(client, () => upsertCustomersPostgres({ client, now: stamp, payload, returnIds, rows: slice })),
      )
    }
    const result =
      dialect === 'sqlite'
        ? await upsertCustomersSqlite({ client: sqliteClientOf(payload), now: stamp, returnIds, rows: slice, tables: bulkTables(payload) })
        : await upsertCustomersMongo({ now: stamp, payload, returnIds, rows: slice })
    await beforeCommit?.()
    return result
  }
  const canRetry = isolateFailures && !(dialect === 'postgres' && (await joinsPgTransaction(payload, req)))
  const { failed, result, statuses } = await writeIsolated({
    canRetry,
    combine,
    empty: { created: 0, ids: new Map(), statuses: [], unchanged: 0, updated: 0 },
    rows: batch.rows,
    sources: batch.sources,
    write,
  })
  return {
    created: result.created,
    ids: result.ids,
    unchanged: result.unchanged,
    updated: result.updated,
    failed: [...batch.failed, ...failed].sort((a, b) => a.index - b.index),
    outcomes: rowOutcomes(rows.length, batch.sources, statuses),
  }
}
