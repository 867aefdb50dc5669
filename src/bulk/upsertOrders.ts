import type { UpsertOrdersArgs, UpsertOrdersResult } from './types.js'

import { withIndexJoins } from './postgres/withIndexJoins.js'
import { sqlDialectOf, sqliteClientOf, withPgTransaction } from './connection.js'
import { upsertOrdersMongo } from './mongodb/upsertMongo.js'
import { crmOptionsOf } from '../crmOptionsOf.js'
import { normaliseOrderRows } from './normaliseRows.js'
import { upsertOrdersPostgres } from './postgres/upsertOrders.js'
import { recomputeCustomerAggregates } from './recomputeCustomerAggregates.js'
import { upsertOrdersSqlite } from './sqlite/upsertOrders.js'

/**
 * Upserts orders by externalId in one transaction, linking each to `customerId` or to the customer
 * with `customerEmail` (creating a bare customer for an unknown email). Orders whose values did not
 * change are not rewritten, so re-importing the same file changes nothing. With `recompute` (the
 * default) the affected customers' aggregates are re-derived set-based in the same transaction.
 */
export const upsertOrders = async ({
  beforeCommit,
  now = new Date(),
  payload,
  recompute = true,
  req,
  rows,
}: UpsertOrdersArgs): Promise<UpsertOrdersResult> => {
  const normalised = normaliseOrderRows(rows, crmOptionsOf(payload).storeTimezone)
  const stamp = now.toISOString()
  const dialect = sqlDialectOf(payload)
  // On both SQL databases the recompute runs inside the upsert's own transaction.
  if (dialect === 'postgres') {
    return withPgTransaction({ beforeCommit, payload, req }, (client) =>
      withIndexJoins(client, () => upsertOrdersPostgres({ client, now: stamp, payload, recompute, rows: normalised })),
    )
  }
  if (dialect === 'sqlite') {
    const result = await upsertOrdersSqlite({ client: sqliteClientOf(payload), now: stamp, recompute, rows: normalised })
    await beforeCommit?.()
    return result
  }
  const result = await upsertOrdersMongo({ now: stamp, payload, rows: normalised })
  if (recompute) await recomputeCustomerAggregates({ customerIds: result.customerIds, payload, req })
  await beforeCommit?.()
  return result
}
