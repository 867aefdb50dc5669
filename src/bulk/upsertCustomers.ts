import type { UpsertCustomersArgs, UpsertCustomersResult } from './types.js'

import { withIndexJoins } from './postgres/withIndexJoins.js'
import { sqlDialectOf, sqliteClientOf, withPgTransaction } from './connection.js'
import { upsertCustomersMongo } from './mongodb/upsertMongo.js'
import { crmOptionsOf } from '../crmOptionsOf.js'
import { normaliseCustomerRows } from './normaliseRows.js'
import { upsertCustomersPostgres } from './postgres/upsertCustomers.js'
import { upsertCustomersSqlite } from './sqlite/upsertCustomers.js'

/**
 * Upserts customers by email in one transaction, many rows per statement, beneath Payload (no
 * hooks, no per-document validation: callers validate). Stream big loads by calling this per
 * batch of a few thousand rows; memory stays proportional to the batch.
 *
 * Payload's view stays consistent: ids come from the table's own sequence, `updatedAt` is now,
 * `createdAt` is the row's or now, tags go to `customers_texts` numbered 1..n. When `baseSpend`
 * changes, `totalSpend` is re-derived from the orders in the same transaction.
 */
export const upsertCustomers = async ({
  beforeCommit,
  now = new Date(),
  payload,
  req,
  returnIds = true,
  rows,
}: UpsertCustomersArgs): Promise<UpsertCustomersResult> => {
  const normalised = normaliseCustomerRows(rows, crmOptionsOf(payload).storeTimezone)
  const stamp = now.toISOString()
  const dialect = sqlDialectOf(payload)
  if (dialect === 'postgres') {
    return withPgTransaction({ beforeCommit, payload, req }, (client) =>
      withIndexJoins(client, () => upsertCustomersPostgres({ client, now: stamp, payload, returnIds, rows: normalised })),
    )
  }
  const result =
    dialect === 'sqlite'
      ? await upsertCustomersSqlite({ client: sqliteClientOf(payload), now: stamp, returnIds, rows: normalised })
      : await upsertCustomersMongo({ now: stamp, payload, returnIds, rows: normalised })
  await beforeCommit?.()
  return result
}
