import type { Payload } from 'payload'

import type { PgClientLike } from '../connection.js'
import type { NormalisedOrder } from '../normaliseRows.js'
import type { OrderColumn } from '../tables.js'
import type { WrittenOrders, WrittenStatus } from '../types.js'

import { pgSchemaPrefix } from '../connection.js'
import { bulkTables, ORDER_COLUMNS } from '../tables.js'
import { copyInto } from './copyInto.js'
import { LOCK_BULK_WRITERS_SQL } from './locks.js'
import { newAttributesSql } from './newAttributes.js'
import { recomputeAggregatesPostgres } from './recomputeAggregates.js'

const STAGE = 'pg_temp.crm_bulk_orders'

/** What a new order takes for a column the row left empty (`$1` now, `$2` the store currency), given the status enum type. */
const newOrderValue = (column: string, status: string): string =>
  ({
    created_at: 'COALESCE(s.created_at, $1)',
    currency: 'COALESCE(s.currency, $2)',
    status: `COALESCE(s.status, 'placed')::${status}`,
  })[column] ?? `s.${column}`

/**
 * PostgreSQL: COPY into a staging table, create bare customers for unknown emails, resolve
 * customer ids, lock the existing orders in id order and read their current owners, UPDATE orders
 * whose values differ (so re-importing changes nothing), INSERT the new ones; optionally re-derive
 * the affected customers' aggregates after locking them — one transaction (lock order: locks.ts).
 */
export const upsertOrdersPostgres = async ({
  client,
  currency,
  now,
  payload,
  recompute,
  rows,
}: {
  client: PgClientLike
  /** The store currency, for new orders without one. */
  currency: string
  now: string
  payload: Payload
  recompute: boolean
  rows: NormalisedOrder[]
}): Promise<WrittenOrders> => {
  if (rows.length === 0) return { created: 0, customerIds: [], customersCreated: 0, statuses: [], unchanged: 0, updated: 0 }
  const t = bulkTables(payload)
  const status = t.ordersStatusEnum
  // One round trip for the writers' lock and a fresh staging table, as for customers (not `ANALYZE`d either).
  // amount and ordered_at are NOT NULL: a required field a row lacks fails its batch (isolateFailures).
  await client.query(`${LOCK_BULK_WRITERS_SQL}; DROP TABLE IF EXISTS ${STAGE}; CREATE TEMP TABLE ${STAGE.slice('pg_temp.'.length)} (
      external_id text NOT NULL, customer_email text,
      ${ORDER_COLUMNS.map(({ column, pg }) => `${column} ${pg}${column === 'amount' || column === 'ordered_at' ? ' NOT NULL' : ''}`).join(', ')},
      has_attributes boolean NOT NULL, attributes jsonb
    ) ON COMMIT DROP`)
  const valueOf = (row: NormalisedOrder, field: OrderColumn['field']) =>
    field === 'customerId' ? (row.customerId === undefined ? null : Number(row.customerId)) : row[field]
  await copyInto({
    client,
    columns: ['external_id', 'customer_email', ...ORDER_COLUMNS.map(({ column }) => column), 'has_attributes', 'attributes'],
    rows: rows.map((row) => [
      row.externalId,
      row.customerEmail,
      ...ORDER_COLUMNS.map(({ field }) => valueOf(row, field)),
      row.attributes !== undefined,
      row.attributes,
    ]),
    table: STAGE,
  })
  // The stored attributes with the row's patch merged in (a `null` key removes it), as for customers.
  const attributes = `CASE WHEN NOT s.has_attributes THEN o.attributes WHEN s.attributes IS NULL THEN NULL
    ELSE (COALESCE(o.attributes, '{}'::jsonb) || s.attributes)
         - ARRAY(SELECT e.key FROM jsonb_each(s.attributes) AS e WHERE e.value = 'null'::jsonb) END`

  const bare = await client.query(
    `INSERT INTO ${t.customers} (email, created_at, updated_at)
     SELECT DISTINCT s.customer_email, $1::timestamptz, $1::timestamptz FROM ${STAGE} AS s WHERE s.customer_id IS NULL
     ON CONFLICT (email) DO NOTHING`,
    [now],
  )
  await client.query(
    `UPDATE ${STAGE} AS s SET customer_id = c.id FROM ${t.customers} AS c WHERE s.customer_id IS NULL AND c.email = s.customer_email`,
  )
  // Locking reads the latest committed owner: an order a concurrent PATCH just moved is recomputed for its real previous owner.
  const previousOwners = await client.query<{ customer_id: number; external_id: string }>(
    `SELECT o.customer_id, o.external_id FROM ${t.orders} AS o JOIN ${STAGE} AS s ON s.external_id = o.external_id
      ORDER BY o.id FOR NO KEY UPDATE OF o`,
  )
  // The value each column takes: the row's, or (absent and `keep`) the stored one; status cast to its enum.
  const next = ({ column, onAbsent }: OrderColumn) => {
    const given = column === 'status' ? `s.status::${status}` : `s.${column}`
    return onAbsent === 'keep' ? `COALESCE(${given}, o.${column})` : given
  }
  // A batch of only new orders (a first import) has nothing to update, and its INSERT nothing to skip.
  const anyExisting = previousOwners.rows.length > 0
  const changed = !anyExisting ? { rows: [] } : await client.query<{ external_id: string }>(
    `UPDATE ${t.orders} AS o
        SET ${ORDER_COLUMNS.map((column) => `${column.column} = ${next(column)}`).join(', ')},
            attributes = ${attributes}, updated_at = $1
       FROM ${STAGE} AS s
      WHERE o.external_id = s.external_id
        AND (${ORDER_COLUMNS.map(({ column }) => `o.${column}`).join(', ')}, o.attributes) IS DISTINCT FROM
            (${ORDER_COLUMNS.map(next).join(', ')}, ${attributes})
      RETURNING o.external_id`,
    [now],
  )
  const inserted = await client.query(
    `INSERT INTO ${t.orders} (external_id, ${ORDER_COLUMNS.map(({ column }) => column).join(', ')}, attributes, updated_at)
     SELECT s.external_id, ${ORDER_COLUMNS.map(({ column }) => newOrderValue(column, status)).join(', ')},
            ${newAttributesSql(rows)}, $1
       FROM ${STAGE} AS s
      ${anyExisting ? `WHERE NOT EXISTS (SELECT 1 FROM ${t.orders} AS o WHERE o.external_id = s.external_id)` : ''}
     ON CONFLICT (external_id) DO NOTHING`,
    [now, currency],
  )
  const owners = await client.query<{ customer_id: number }>(`SELECT DISTINCT customer_id FROM ${STAGE}`)
  const customerIds = [...new Set([...owners.rows, ...previousOwners.rows].map((row) => row.customer_id))]
  if (recompute) await recomputeAggregatesPostgres({ client, ids: customerIds, schemaPrefix: pgSchemaPrefix(payload) })
  await client.query(`DROP TABLE ${STAGE}`)
  const created = inserted.rowCount ?? 0
  const updated = rows.length - created
  // Each row by its (distinct) external id: found by the locking read → unchanged, or updated when the UPDATE returned it; else created.
  const positions = new Map(rows.map((row, position) => [row.externalId, position]))
  const statuses = new Array<WrittenStatus>(rows.length).fill('created')
  for (const row of previousOwners.rows) statuses[positions.get(row.external_id)!] = 'unchanged'
  for (const row of changed.rows) statuses[positions.get(row.external_id)!] = 'updated'
  return { created, customerIds, customersCreated: bare.rowCount ?? 0, statuses, unchanged: Math.max(0, previousOwners.rows.length - changed.rows.length), updated }
}
