import type { Payload } from 'payload'

import type { PgClientLike } from '../connection.js'
import type { NormalisedOrder } from '../normaliseRows.js'
import type { UpsertOrdersResult } from '../types.js'

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
  now,
  payload,
  recompute,
  rows,
}: {
  client: PgClientLike
  now: string
  payload: Payload
  recompute: boolean
  rows: NormalisedOrder[]
}): Promise<UpsertOrdersResult> => {
  if (rows.length === 0) return { created: 0, customerIds: [], customersCreated: 0, updated: 0 }
  const p = pgSchemaPrefix(payload)
  const status = `${p}enum_orders_status`
  await lockBulkWriters(client)
  await client.query(`DROP TABLE IF EXISTS ${STAGE}`)
  await client.query(`CREATE TEMP TABLE ${STAGE.slice('pg_temp.'.length)} (
      external_id text NOT NULL, customer_id int, customer_email text, amount numeric NOT NULL, currency text,
      ordered_at timestamptz NOT NULL, status text, created_at timestamptz
    ) ON COMMIT DROP`)
  await copyInto({
    client,
    columns: ['external_id', 'customer_id', 'customer_email', 'amount', 'currency', 'ordered_at', 'status', 'created_at'],
    rows: rows.map((row) => [
      row.externalId,
      row.customerId === undefined ? null : Number(row.customerId),
      row.customerEmail,
      row.amount,
      row.currency,
      row.orderedAt,
      row.status,
      row.createdAt,
    ]),
    table: STAGE,
  })
  await client.query(`ANALYZE ${STAGE}`)

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
  await client.query(
    `UPDATE ${p}orders AS o
        SET customer_id = s.customer_id, amount = s.amount, currency = COALESCE(s.currency, o.currency),
            ordered_at = s.ordered_at, status = COALESCE(s.status::${status}, o.status),
            created_at = COALESCE(s.created_at, o.created_at), updated_at = $1
       FROM ${STAGE} AS s
      WHERE o.external_id = s.external_id
        AND (o.customer_id, o.amount, o.currency, o.ordered_at, o.status, o.created_at) IS DISTINCT FROM
            (s.customer_id, s.amount, COALESCE(s.currency, o.currency), s.ordered_at, COALESCE(s.status::${status}, o.status),
             COALESCE(s.created_at, o.created_at))`,
    [now],
  )
  const inserted = await client.query(
    `INSERT INTO ${p}orders (external_id, customer_id, amount, currency, ordered_at, status, created_at, updated_at)
     SELECT s.external_id, s.customer_id, s.amount, COALESCE(s.currency, 'INR'), s.ordered_at,
            COALESCE(s.status, 'placed')::${status}, COALESCE(s.created_at, $1), $1
       FROM ${STAGE} AS s
      WHERE NOT EXISTS (SELECT 1 FROM ${p}orders AS o WHERE o.external_id = s.external_id)
     ON CONFLICT (external_id) DO NOTHING`,
    [now],
  )
  const owners = await client.query<{ customer_id: number }>(`SELECT DISTINCT customer_id FROM ${STAGE}`)
  const customerIds = [...new Set([...owners.rows, ...previousOwners.rows].map((row) => row.customer_id))]
  if (recompute) await recomputeAggregatesPostgres({ client, ids: customerIds, schemaPrefix: p })
  await client.query(`DROP TABLE ${STAGE}`)
  const created = inserted.rowCount ?? 0
  return { created, customerIds, customersCreated: bare.rowCount ?? 0, updated: rows.length - created }
}
