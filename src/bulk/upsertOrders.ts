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
 * default) the affected customers' aggregates are re-derived set-based afterwards.
 */
export const upsertOrders = async ({ now = new Date(), payload, recompute = true, req, rows }: UpsertOrdersArgs): Promise<UpsertOrdersResult> => {
  const normalised = normaliseOrderRows(rows, crmOptionsOf(payload).storeTimezone)
  const stamp = now.toISOString()
  const dialect = sqlDialectOf(payload)
  if (dialect === 'postgres') {
    // The recompute runs inside the same transaction on PostgreSQL.
    return withPgTransaction({ payload, req }, (client) =>
      withIndexJoins(client, () => upsertOrdersPostgres({ client, now: stamp, payload, recompute, rows: normalised })),
    )
  }
  const result =
    dialect === 'sqlite'
      ? await upsertOrdersSqlite({ client: sqliteClientOf(payload), now: stamp, rows: normalised })
      : await upsertOrdersMongo({ now: stamp, payload, rows: normalised })
  if (recompute) await recomputeCustomerAggregates({ customerIds: result.customerIds, payload, req })
  return result
}
