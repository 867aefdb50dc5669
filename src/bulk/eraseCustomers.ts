import type { Payload, PayloadRequest } from 'payload'

import type { BulkTables } from './tables.js'
import type { Id } from './types.js'

import { sqlDialectOf, sqliteClientOf, withPgTransaction } from './connection.js'
import { eraseCustomersMongo } from './mongodb/eraseCustomersMongo.js'
import { bulkTables } from './tables.js'

export type EraseCustomersArgs = {
  /** The customers to erase (at most a few thousand per call: the ids travel as one parameter). */
  customerIds: readonly Id[]
  /**
   * Also delete the customer rows. `false` when Payload deletes the row itself (a `beforeDelete`
   * hook erases what depends on it first).
   * @default true
   */
  deleteCustomers?: boolean
  payload: Payload
  req?: Partial<PayloadRequest>
}

/**
 * The statements, in order, for `?1`/`$1` = the customer ids. Campaign stats first, while the
 * pending logs still exist to be counted: each removed pending log leaves `pending` and `audience`
 * and joins `skipped`, so `sent + failed + pending = audience` stays true.
 */
const statements = (dialect: 'postgres' | 'sqlite', t: BulkTables, deleteCustomers: boolean): string[] => {
  const ids = dialect === 'sqlite' ? '(SELECT value FROM json_each(?1))' : '(SELECT unnest($1::int[]))'
  const max = dialect === 'sqlite' ? 'MAX' : 'GREATEST'
  const now = dialect === 'sqlite' ? `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')` : 'now()'
  return [
    `UPDATE ${t.campaigns} AS c
        SET stats_skipped = COALESCE(stats_skipped, 0) + gone.n,
            stats_pending = ${max}(COALESCE(stats_pending, 0) - gone.n, 0),
            stats_audience = ${max}(COALESCE(stats_audience, 0) - gone.n, 0),
            updated_at = ${now}
       FROM (SELECT campaign_id, COUNT(*) AS n FROM ${t.communicationLogs}
              WHERE status = 'pending' AND customer_id IN ${ids} GROUP BY campaign_id) AS gone
      WHERE c.id = gone.campaign_id`,
    `DELETE FROM ${t.communicationLogs} WHERE status = 'pending' AND customer_id IN ${ids}`,
    `UPDATE ${t.communicationLogs} SET customer_id = NULL, recipient = NULL, message = NULL, updated_at = ${now}
      WHERE customer_id IN ${ids}`,
    `DELETE FROM ${t.orders} WHERE customer_id IN ${ids}`,
    ...(deleteCustomers ? [`DELETE FROM ${t.customers} WHERE id IN ${ids}`] : []),
  ]
}

/**
 * Erases customers set-based, in one transaction (CONTRACT: deleting a customer): their orders
 * are deleted; their `pending` communication logs are taken out of any send and counted in that
 * campaign's `stats.skipped`; their other logs are anonymised (customer unset, recipient and
 * message blanked) so campaign figures stay true. Returns how many customer rows were deleted
 * (0 when `deleteCustomers` is false). Tags, campaign picks and locks go with the row (cascades).
 */
export const eraseCustomers = async ({ customerIds, deleteCustomers = true, payload, req }: EraseCustomersArgs): Promise<number> => {
  const dialect = sqlDialectOf(payload)
  if (dialect === null) return customerIds.length === 0 ? 0 : eraseCustomersMongo({ customerIds, deleteCustomers, payload, req })
  const ids = [...new Set(customerIds.map(Number).filter(Number.isInteger))]
  if (ids.length === 0) return 0
  if (dialect === 'sqlite') {
    // One write batch: libsql runs it as a single transaction.
    const args = [JSON.stringify(ids)]
    const results = await sqliteClientOf(payload).batch(
      statements('sqlite', bulkTables(payload), deleteCustomers).map((sql) => ({ args, sql })),
      'write',
    )
    return deleteCustomers ? (results.at(-1)?.rowsAffected ?? 0) : 0
  }
  return withPgTransaction({ payload, req }, async (client) => {
    let deleted = 0
    for (const sql of statements('postgres', bulkTables(payload), deleteCustomers)) {
      const result = await client.query(sql, [ids])
      deleted = result.rowCount ?? 0
    }
    return deleteCustomers ? deleted : 0
  })
}
