import type { Payload } from 'payload'

import type { PgClientLike } from '../connection.js'
import type { NormalisedCustomer } from '../normaliseRows.js'
import type { Id, WrittenCustomers, WrittenStatus } from '../types.js'

import { NON_COUNTING_ORDER_STATUSES } from '../../constants.js'
import { bulkTables, CUSTOMER_AGGREGATES, CUSTOMER_COLUMNS } from '../tables.js'
import { copyInto } from './copyInto.js'
import { LOCK_BULK_WRITERS_SQL } from './locks.js'
import { newAttributesSql } from './newAttributes.js'

const STAGE = 'pg_temp.crm_bulk_customers'
const EXCLUDED = NON_COUNTING_ORDER_STATUSES.map((status) => `'${status}'`).join(', ')

/** Bit per optional field: set when the row gave the field ("undefined leaves unchanged"). */
const BIT = {
  attributes: 256,
  baseSpend: 32,
  city: 4,
  createdAt: 512,
  lastVisitAt: 64,
  marketingOptOut: 128,
  name: 1,
  phone: 2,
  tags: 8,
  visits: 16,
} as const

const maskOf = (row: NormalisedCustomer): number => {
  let mask = 0
  for (const [field, bit] of Object.entries(BIT)) if (row[field as keyof NormalisedCustomer] !== undefined) mask |= bit
  return mask
}

const has = (field: keyof typeof BIT) => `(s.m & ${BIT[field]}) <> 0`
const keep = (field: keyof typeof BIT, column: string, value = `s.${column}`) =>
  `${column} = CASE WHEN ${has(field)} THEN ${value} ELSE c.${column} END`
const MISSING = { false: 'false', now: '$1', zero: '0' } as const
const { lastOrderAt, orderCount, totalSpend } = CUSTOMER_AGGREGATES

/**
 * PostgreSQL: COPY the rows into a temp staging table, then UPDATE the existing customers (field
 * by field, per the presence mask), INSERT the new ones, and rewrite the tags side table — all in
 * the caller's transaction. RECIPES.md: COPY → staging → INSERT … SELECT is the fastest path here.
 * The existing rows are locked in id order before the UPDATE (locks.ts), which also re-derives the
 * aggregates of the customers given a baseSpend from their orders.
 */
export const upsertCustomersPostgres = async ({
  client,
  now,
  payload,
  returnIds,
  rows,
}: {
  client: PgClientLike
  now: string
  payload: Payload
  returnIds: boolean
  rows: NormalisedCustomer[]
}): Promise<WrittenCustomers> => {
  const ids = new Map<string, Id>()
  if (rows.length === 0) return { created: 0, ids, statuses: [], unchanged: 0, updated: 0 }
  const t = bulkTables(payload)
  // One round trip for the writers' lock and a fresh staging table (a call earlier in a joined
  // transaction may have left one); `ANALYZE` of it measured no better plans under index joins.
  await client.query(`${LOCK_BULK_WRITERS_SQL}; DROP TABLE IF EXISTS ${STAGE}; CREATE TEMP TABLE ${STAGE.slice('pg_temp.'.length)} (
      email text NOT NULL, m int NOT NULL, ${CUSTOMER_COLUMNS.map(({ column, pg }) => `${column} ${pg}`).join(', ')},
      tags text[], attributes jsonb
    ) ON COMMIT DROP`)
  await copyInto({
    client,
    columns: ['email', 'm', ...CUSTOMER_COLUMNS.map(({ column }) => column), 'tags', 'attributes'],
    rows: rows.map((row) => [row.email, maskOf(row), ...CUSTOMER_COLUMNS.map(({ field }) => row[field]), row.tags, row.attributes]),
    table: STAGE,
  })
  const existing = await client.query(
    `SELECT c.id FROM ${t.customers} AS c JOIN ${STAGE} AS s ON s.email = c.email ORDER BY c.id FOR NO KEY UPDATE OF c`,
  )
  // Existing customers whose given fields (tags and attributes included) already hold the row's values.
  const same = (field: keyof typeof BIT, column: string) => `(NOT ${has(field)} OR c.${column} IS NOT DISTINCT FROM s.${column})`
  // A batch of only new customers (the common case of a first import) skips the comparison and the UPDATE.
  const anyExisting = existing.rows.length > 0
  const unchanged = !anyExisting ? { rows: [] } : await client.query<{ email: string }>(
    `SELECT s.email FROM ${STAGE} AS s JOIN ${t.customers} AS c ON c.email = s.email
      WHERE ${CUSTOMER_COLUMNS.map(({ column, field }) => same(field, column)).join(' AND ')}
        AND (NOT ${has('attributes')} OR c.attributes IS NOT DISTINCT FROM
             CASE WHEN s.attributes IS NULL THEN NULL
                  ELSE (COALESCE(c.attributes, '{}'::jsonb) || s.attributes)
                       - ARRAY(SELECT e.key FROM jsonb_each(s.attributes) AS e WHERE e.value = 'null'::jsonb) END)
        AND (NOT ${has('tags')} OR s.tags IS NOT DISTINCT FROM
             ARRAY(SELECT t.text::text FROM ${t.customersTexts} AS t WHERE t.parent_id = c.id AND t.path = 'tags' ORDER BY t."order"))`,
  )

  const update = `
    UPDATE ${t.customers} AS c SET
      ${CUSTOMER_COLUMNS.map(({ column, field }) => keep(field, column)).join(', ')},
      ${keep('baseSpend', totalSpend, 'COALESCE(s.base_spend, 0) + COALESCE(a.spend, 0)')},
      ${keep('baseSpend', orderCount, 'a.n')}, ${keep('baseSpend', lastOrderAt, 'a.last_at')},
      attributes = CASE WHEN NOT ${has('attributes')} THEN c.attributes WHEN s.attributes IS NULL THEN NULL
        ELSE (COALESCE(c.attributes, '{}'::jsonb) || s.attributes)
             - ARRAY(SELECT e.key FROM jsonb_each(s.attributes) AS e WHERE e.value = 'null'::jsonb) END,
      updated_at = $1
    FROM ${STAGE} AS s
    -- totalSpend = baseSpend + counting orders, derived (never adjusted by difference) for rows given a baseSpend.
    -- Safe in this statement: the rows were locked above, so its snapshot already sees every writer that held them.
    CROSS JOIN LATERAL (SELECT SUM(o.amount) AS spend, COUNT(*) AS n, MAX(o.ordered_at) AS last_at FROM ${t.orders} AS o
                         WHERE ${has('baseSpend')} AND o.status::text NOT IN (${EXCLUDED})
                           AND o.customer_id = (SELECT x.id FROM ${t.customers} AS x WHERE x.email = s.email)) AS a
    WHERE c.email = s.email
    RETURNING c.id, c.email`
  type Updated = { email: string; id: number }
  const updated = anyExisting ? await client.query<Updated>(update, [now]) : { rows: [] as Updated[] }
  const inserted = await client.query<{ email: string; id: number }>(
    `INSERT INTO ${t.customers} (email, ${CUSTOMER_COLUMNS.map(({ column }) => column).join(', ')}, ${totalSpend}, ${orderCount},
                                attributes, updated_at)
     SELECT s.email, ${CUSTOMER_COLUMNS.map(({ column, missing }) => (missing ? `COALESCE(s.${column}, ${MISSING[missing]})` : `s.${column}`)).join(', ')},
            COALESCE(s.base_spend, 0), 0,
            ${newAttributesSql(rows)}, $1
       FROM ${STAGE} AS s
      ${anyExisting ? `WHERE NOT EXISTS (SELECT 1 FROM ${t.customers} AS c WHERE c.email = s.email)` : ''}
     ON CONFLICT (email) DO NOTHING
     RETURNING id, email`,
    [now],
  )
  const created = inserted.rows.length
  let updatedRows = updated.rows
  if (updated.rows.length + created < rows.length) {
    // Another writer inserted some of these emails between our UPDATE and INSERT: update them now.
    updatedRows = (await client.query<Updated>(update, [now])).rows
  }
  if (updatedRows.length > 0) {
    await client.query(
      `DELETE FROM ${t.customersTexts} AS t USING ${STAGE} AS s, ${t.customers} AS c
        WHERE ${has('tags')} AND c.email = s.email AND t.parent_id = c.id AND t.path = 'tags'`,
    )
  }
  // The tags and the staging table's drop in one round trip (no parameters).
  await client.query(
    `INSERT INTO ${t.customersTexts} ("order", parent_id, path, text)
     SELECT x.ord, c.id, 'tags', x.tag
       FROM ${STAGE} AS s JOIN ${t.customers} AS c ON c.email = s.email
      CROSS JOIN LATERAL unnest(s.tags) WITH ORDINALITY AS x(tag, ord)
      WHERE cardinality(s.tags) > 0;
     DROP TABLE ${STAGE}`,
  )
  if (returnIds) for (const row of [...updatedRows, ...inserted.rows]) ids.set(row.email, row.id)
  // Each row by its (distinct) email: inserted → created, unchanged before the UPDATE → unchanged, else updated.
  const positions = new Map(rows.map((row, position) => [row.email, position]))
  const statuses = new Array<WrittenStatus>(rows.length).fill('updated')
  for (const row of unchanged.rows) statuses[positions.get(row.email)!] = 'unchanged'
  for (const row of inserted.rows) statuses[positions.get(row.email)!] = 'created'
  return { created, ids, statuses, unchanged: unchanged.rows.length, updated: rows.length - created }
}
