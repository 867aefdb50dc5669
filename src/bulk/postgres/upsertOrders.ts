import type { Payload } from 'payload'

import type { PgClientLike } from '../connection.js'
import type { NormalisedOrder } from '../normaliseRows.js'
import type { WrittenOrders } from '../types.js'

import { pgSchemaPrefix } from '../connection.js'
import { copyInto } from './copyInto.js'
import { lockBulkWriters } from './locks.js'
import { recomputeAggregatesPostgres } from './recomputeAggregates.js'

const STAGE = 'pg_temp.crm_bulk_orders'

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
  if (rows.length === 0) return { created: 0, customerIds: [], customersCreated: 0, unchanged: 0, updated: 0 }
  const p = pgSchemaPrefix(payload)
  const status = `${p}enum_orders_status`
  await lockBulkWriters(client)
  await client.query(`DROP TABLE IF EXISTS ${STAGE}`)
  await client.query(`CREATE TEMP TABLE ${STAGE.slice('pg_temp.'.length)} (
      external_id text NOT NULL, customer_id int, customer_email text, amount numeric NOT NULL, currency text,
      ordered_at timestamptz NOT NULL, status text, created_at timestamptz, has_attributes boolean NOT NULL, attributes jsonb
    ) ON COMMIT DROP`)
  await copyInto({
    client,
    columns: ['external_id', 'customer_id', 'customer_email', 'amount', 'currency', 'ordered_at', 'status', 'created_at', 'has_attributes', 'attributes'],
    rows: rows.map((row) => [
      row.externalId,
      row.customerId === undefined ? null : Number(row.customerId),
      row.customerEmail,
      row.amount,
      row.currency,
      row.orderedAt,
      row.status,
      row.createdAt,
      row.attributes !== undefined,
      row.attributes,
    ]),
    table: STAGE,
  })
  await client.query(`ANALYZE ${STAGE}`)
  // The stored attributes with the row's patch merged in (a `null` key removes it), as for customers.
  const attributes = `CASE WHEN NOT s.has_attributes THEN o.attributes WHEN s.attributes IS NULL THEN NULL
    ELSE (COALESCE(o.attributes, '{}'::jsonb) || s.attributes)
         - ARRAY(SELECT e.key FROM jsonb_each(s.attributes) AS e WHERE e.value = 'null'::jsonb) END`

  const bare = await client.query(
    `INSERT INTO ${p}customers (email, created_at, updated_at)
     SELECT DISTINCT s.customer_email, $1::timestamptz, $1::timestamptz FROM ${STAGE} AS s WHERE s.customer_id IS NULL
     ON CONFLICT (email) DO NOTHING`,
    [now],
  )
  await client.query(
    `UPDATE ${STAGE} AS s SET customer_id = c.id FROM ${p}customers AS c WHERE s.customer_id IS NULL AND c.email = s.customer_email`,
  )
  // Locking reads the latest committed owner: an order a concurrent PATCH just moved is recomputed for its real previous owner.
  const previousOwners = await client.query<{ customer_id: number }>(
    `SELECT o.customer_id FROM ${p}orders AS o JOIN ${STAGE} AS s ON s.external_id = o.external_id
      ORDER BY o.id FOR NO KEY UPDATE OF o`,
  )
  const changed = await client.query(
    `UPDATE ${p}orders AS o
        SET customer_id = s.customer_id, amount = s.amount, currency = COALESCE(s.currency, o.currency),
            ordered_at = s.ordered_at, status = COALESCE(s.status::${status}, o.status),
            created_at = COALESCE(s.created_at, o.created_at), attributes = ${attributes}, updated_at = $1
       FROM ${STAGE} AS s
      WHERE o.external_id = s.external_id
        AND (o.customer_id, o.amount, o.currency, o.ordered_at, o.status, o.created_at, o.attributes) IS DISTINCT FROM
            (s.customer_id, s.amount, COALESCE(s.currency, o.currency), s.ordered_at, COALESCE(s.status::${status}, o.status),
             COALESCE(s.created_at, o.created_at), ${attributes})`,
    [now],
  )
  const inserted = await client.query(
    `INSERT INTO ${p}orders (external_id, customer_id, amount, currency, ordered_at, status, attributes, created_at, updated_at)
     SELECT s.external_id, s.customer_id, s.amount, COALESCE(s.currency, $2), s.ordered_at,
            COALESCE(s.status, 'placed')::${status},
            s.attributes - ARRAY(SELECT e.key FROM jsonb_each(s.attributes) AS e WHERE e.value = 'null'::jsonb),
            COALESCE(s.created_at, $1), $1
       FROM ${STAGE} AS s
      WHERE NOT EXISTS (SELECT 1 FROM ${p}orders AS o WHERE o.external_id = s.external_id)
     ON CONFLICT (external_id) DO NOTHING`,
    [now, currency],
  )
  const owners = await client.query<{ customer_id: number }>(`SELECT DISTINCT customer_id FROM ${STAGE}`)
  const customerIds = [...new Set([...owners.rows, ...previousOwners.rows].map((row) => row.customer_id))]
  if (recompute) await recomputeAggregatesPostgres({ client, ids: customerIds, schemaPrefix: p })
  await client.query(`DROP TABLE ${STAGE}`)
  const created = inserted.rowCount ?? 0
  const updated = rows.length - created
  return { created, customerIds, customersCreated: bare.rowCount ?? 0, unchanged: Math.max(0, previousOwners.rows.length - (changed.rowCount ?? 0)), updated }
}
