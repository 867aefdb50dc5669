import type { LibsqlClientLike, LibsqlStatement } from '../connection.js'
import type { NormalisedOrder } from '../normaliseRows.js'
import type { WrittenOrders } from '../types.js'

import { chunk } from '../normaliseRows.js'
import { recomputeAggregatesSqliteSql } from './recomputeAggregates.js'
import { shallowMerge, SQLITE_CHUNK_ROWS } from './upsertCustomers.js'

// `?1` is the chunk as a JSON array of NormalisedOrder objects; `?2` is now; `?3` the store currency (new orders without one).
// An unknown customerId resolves to NULL, which the NOT NULL column refuses: the whole batch rolls back.
const CUSTOMER_ID = `CASE WHEN j.value ->> 'customerId' IS NOT NULL
  THEN (SELECT c.id FROM customers AS c WHERE c.id = j.value ->> 'customerId')
  ELSE (SELECT c.id FROM customers AS c WHERE c.email = j.value ->> 'customerEmail') END`

const PREVIOUS_OWNERS = `
  SELECT o.customer_id AS customer_id FROM json_each(?1) AS j CROSS JOIN orders AS o ON o.external_id = j.value ->> 'externalId'`

const INSERT_BARE_CUSTOMERS = `
  INSERT INTO customers (email, created_at, updated_at)
  SELECT DISTINCT j.value ->> 'customerEmail', ?2, ?2 FROM json_each(?1) AS j
   WHERE j.value ->> 'customerId' IS NULL AND j.value ->> 'customerEmail' IS NOT NULL
  ON CONFLICT (email) DO NOTHING`

// The stored attributes with the row's patch merged in (docs/bulk.md), or unchanged when the row gave none.
const ATTRIBUTES = `CASE WHEN json_type(s.v, '$.attributes') IS NULL THEN orders.attributes
  WHEN json_type(s.v, '$.attributes') <> 'object' THEN NULL
  ELSE ${shallowMerge(`COALESCE(orders.attributes, '{}')`, `s.v -> 'attributes'`)} END`

const UPDATE_CHANGED = `
  WITH s AS MATERIALIZED (
    SELECT j.value ->> 'externalId' AS external_id, ${CUSTOMER_ID} AS customer_id, j.value ->> 'amount' AS amount,
           j.value ->> 'currency' AS currency, j.value ->> 'orderedAt' AS ordered_at, j.value ->> 'status' AS status,
           j.value ->> 'createdAt' AS created_at, j.value AS v
      FROM json_each(?1) AS j)
  UPDATE orders
     SET customer_id = s.customer_id, amount = s.amount, currency = COALESCE(s.currency, orders.currency),
         ordered_at = s.ordered_at, status = COALESCE(s.status, orders.status),
         created_at = COALESCE(s.created_at, orders.created_at), attributes = ${ATTRIBUTES}, updated_at = ?2
    FROM s
   WHERE orders.external_id = s.external_id
     AND (orders.customer_id IS NOT s.customer_id OR orders.amount IS NOT s.amount
          OR orders.currency IS NOT COALESCE(s.currency, orders.currency) OR orders.ordered_at IS NOT s.ordered_at
          OR orders.status IS NOT COALESCE(s.status, orders.status) OR orders.created_at IS NOT COALESCE(s.created_at, orders.created_at)
          OR orders.attributes IS NOT ${ATTRIBUTES})`

const INSERT_NEW = `
  INSERT INTO orders (external_id, customer_id, amount, currency, ordered_at, status, attributes, created_at, updated_at)
  SELECT j.value ->> 'externalId', ${CUSTOMER_ID}, j.value ->> 'amount', COALESCE(j.value ->> 'currency', ?3),
         j.value ->> 'orderedAt', COALESCE(j.value ->> 'status', 'placed'),
         CASE WHEN json_type(j.value, '$.attributes') = 'object' THEN ${shallowMerge(`'{}'`, `j.value -> 'attributes'`)} END,
         COALESCE(j.value ->> 'createdAt', ?2), ?2
    FROM json_each(?1) AS j
   WHERE NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.external_id = j.value ->> 'externalId')`

// The customers to recompute (previous and new owners), kept in a temp table so the recompute can join the same batch.
const AFFECTED = 'temp.crm_bulk_affected'
const CREATE_AFFECTED = `CREATE TEMP TABLE IF NOT EXISTS ${AFFECTED.slice('temp.'.length)} (id INTEGER PRIMARY KEY)`
const CLEAR_AFFECTED = `DELETE FROM ${AFFECTED}`
const NOTE_OWNERS = `
  INSERT OR IGNORE INTO ${AFFECTED} (id)
  SELECT o.customer_id FROM json_each(?1) AS j CROSS JOIN orders AS o ON o.external_id = j.value ->> 'externalId'`
const RECOMPUTE_AFFECTED = recomputeAggregatesSqliteSql(`SELECT id FROM ${AFFECTED}`)

const OWNERS = `
  SELECT DISTINCT o.customer_id AS customer_id
    FROM json_each(?1) AS j CROSS JOIN orders AS o ON o.external_id = j.value ->> 'externalId'`

/**
 * SQLite: per chunk, read the orders' previous owners, create bare customers for unknown emails,
 * update orders whose values differ (so re-importing changes nothing), insert new ones and read
 * the owners; with `recompute`, re-derive those customers' aggregates at the end — all in one
 * libsql `batch` (one write transaction, so the aggregates commit with the orders).
 */
export const upsertOrdersSqlite = async ({
  client,
  currency,
  now,
  recompute,
  rows,
}: {
  client: LibsqlClientLike
  currency: string
  now: string
  recompute: boolean
  rows: NormalisedOrder[]
}): Promise<WrittenOrders> => {
  if (rows.length === 0) return { created: 0, customerIds: [], customersCreated: 0, unchanged: 0, updated: 0 }
  const statements: LibsqlStatement[] = []
  const kinds: ('bare' | 'changed' | 'other' | 'owners' | 'previous')[] = []
  const add = (sql: string, args: unknown[], kind: (typeof kinds)[number] = 'other') => {
    statements.push({ args, sql })
    kinds.push(kind)
  }
  if (recompute) {
    add(CREATE_AFFECTED, [])
    add(CLEAR_AFFECTED, [])
  }
  for (const slice of chunk(rows, SQLITE_CHUNK_ROWS)) {
    const json = JSON.stringify(slice)
    add(PREVIOUS_OWNERS, [json], 'previous')
    if (recompute) add(NOTE_OWNERS, [json])
    if (slice.some((row) => row.customerId === undefined)) add(INSERT_BARE_CUSTOMERS, [json, now], 'bare')
    add(UPDATE_CHANGED, [json, now], 'changed')
    add(INSERT_NEW, [json, now, currency])
    if (recompute) add(NOTE_OWNERS, [json])
    add(OWNERS, [json], 'owners')
  }
  if (recompute) {
    add(RECOMPUTE_AFFECTED, [])
    add(CLEAR_AFFECTED, [])
  }
  const results = await client.batch(statements, 'write')
  let updated = 0
  let changed = 0
  let customersCreated = 0
  const customerIds = new Set<number>()
  results.forEach((result, index) => {
    const kind = kinds[index]
    if (kind === 'previous') updated += result.rows.length
    if (kind === 'bare') customersCreated += result.rowsAffected
    if (kind === 'changed') changed += result.rowsAffected
    if (kind === 'previous' || kind === 'owners') for (const row of result.rows) customerIds.add(Number(row.customer_id))
  })
  return { created: rows.length - updated, customerIds: [...customerIds], customersCreated, unchanged: updated - changed, updated }
}
