import type { LibsqlClientLike, LibsqlStatement } from '../connection.js'
import type { NormalisedOrder } from '../normaliseRows.js'
import type { BulkTables, OrderColumn } from '../tables.js'
import type { WrittenOrders, WrittenStatus } from '../types.js'

import { chunk } from '../normaliseRows.js'
import { ORDER_COLUMNS } from '../tables.js'
import { recomputeAggregatesSqliteSql } from './recomputeAggregates.js'
import { shallowMerge, SQLITE_CHUNK_ROWS } from './upsertCustomers.js'

// `?1` is the chunk as a JSON array of NormalisedOrder objects; `?2` is now; `?3` the store currency (new orders without one).

// The customers to recompute (previous and new owners), kept in a temp table so the recompute can join the same batch.
const AFFECTED = 'temp.crm_bulk_affected'
const CREATE_AFFECTED = `CREATE TEMP TABLE IF NOT EXISTS ${AFFECTED.slice('temp.'.length)} (id INTEGER PRIMARY KEY)`
const CLEAR_AFFECTED = `DELETE FROM ${AFFECTED}`

type Statements = {
  insertBareCustomers: string
  insertNew: string
  noteOwners: string
  owners: string
  previousOwners: string
  recomputeAffected: string
  updateChanged: string
}

/** What a new order takes for a column the row left empty. */
const NEW_ORDER_DEFAULT: Partial<Record<string, string>> = { created_at: '?2', currency: '?3', status: "'placed'" }

/** The statements for one set of table names (built once per adapter). */
const statementsFor = (t: BulkTables): Statements => {
  // An unknown customerId resolves to NULL, which the NOT NULL column refuses: the whole batch rolls back.
  const customerId = `CASE WHEN j.value ->> 'customerId' IS NOT NULL
    THEN (SELECT c.id FROM ${t.customers} AS c WHERE c.id = j.value ->> 'customerId')
    ELSE (SELECT c.id FROM ${t.customers} AS c WHERE c.email = j.value ->> 'customerEmail') END`
  const valueOf = ({ column, field }: OrderColumn) => (field === 'customerId' ? customerId : `j.value ->> '${field}'`)
  // The stored attributes with the row's patch merged in (docs/bulk.md), or unchanged when the row gave none.
  const attributes = `CASE WHEN json_type(s.v, '$.attributes') IS NULL THEN ${t.orders}.attributes
    WHEN json_type(s.v, '$.attributes') <> 'object' THEN NULL
    ELSE ${shallowMerge(`COALESCE(${t.orders}.attributes, '{}')`, `s.v -> 'attributes'`)} END`
  const next = ({ column, onAbsent }: OrderColumn) => (onAbsent === 'keep' ? `COALESCE(s.${column}, ${t.orders}.${column})` : `s.${column}`)
  const byExternalId = `json_each(?1) AS j CROSS JOIN ${t.orders} AS o ON o.external_id = j.value ->> 'externalId'`
  return {
    insertBareCustomers: `
      INSERT INTO ${t.customers} (email, created_at, updated_at)
      SELECT DISTINCT j.value ->> 'customerEmail', ?2, ?2 FROM json_each(?1) AS j
       WHERE j.value ->> 'customerId' IS NULL AND j.value ->> 'customerEmail' IS NOT NULL
      ON CONFLICT (email) DO NOTHING`,
    insertNew: `
      INSERT INTO ${t.orders} (external_id, ${ORDER_COLUMNS.map(({ column }) => column).join(', ')}, attributes, updated_at)
      SELECT j.value ->> 'externalId',
             ${ORDER_COLUMNS.map((column) => (NEW_ORDER_DEFAULT[column.column] ? `COALESCE(${valueOf(column)}, ${NEW_ORDER_DEFAULT[column.column]})` : valueOf(column))).join(', ')},
             CASE WHEN json_type(j.value, '$.attributes') = 'object' THEN ${shallowMerge(`'{}'`, `j.value -> 'attributes'`)} END, ?2
        FROM json_each(?1) AS j
       WHERE NOT EXISTS (SELECT 1 FROM ${t.orders} AS o WHERE o.external_id = j.value ->> 'externalId')`,
    noteOwners: `INSERT OR IGNORE INTO ${AFFECTED} (id) SELECT o.customer_id FROM ${byExternalId}`,
    owners: `SELECT DISTINCT o.customer_id AS customer_id FROM ${byExternalId}`,
    // The chunk's existing orders (`i`: the row's position in the chunk) and their owners before this write.
    previousOwners: `SELECT j.key AS i, o.customer_id AS customer_id FROM ${byExternalId}`,
    recomputeAffected: recomputeAggregatesSqliteSql(`SELECT id FROM ${AFFECTED}`, t),
    updateChanged: `
      WITH s AS MATERIALIZED (
        SELECT j.value ->> 'externalId' AS external_id, ${ORDER_COLUMNS.map((column) => `${valueOf(column)} AS ${column.column}`).join(', ')},
               j.value AS v
          FROM json_each(?1) AS j)
      UPDATE ${t.orders}
         SET ${ORDER_COLUMNS.map((column) => `${column.column} = ${next(column)}`).join(', ')}, attributes = ${attributes}, updated_at = ?2
        FROM s
       WHERE ${t.orders}.external_id = s.external_id
         AND (${ORDER_COLUMNS.map((column) => `${t.orders}.${column.column} IS NOT ${next(column)}`).join(' OR ')}
              OR ${t.orders}.attributes IS NOT ${attributes})
      RETURNING external_id`,
  }
}

const built = new WeakMap<BulkTables, Statements>()
const statementsOf = (t: BulkTables): Statements => {
  let statements = built.get(t)
  if (!statements) built.set(t, (statements = statementsFor(t)))
  return statements
}

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
  tables,
}: {
  client: LibsqlClientLike
  currency: string
  now: string
  recompute: boolean
  rows: NormalisedOrder[]
  tables: BulkTables
}): Promise<WrittenOrders> => {
  if (rows.length === 0) return { created: 0, customerIds: [], customersCreated: 0, statuses: [], unchanged: 0, updated: 0 }
  const statements: LibsqlStatement[] = []
  // `previous`/`changed` name the chunk whose rows they list (its first row's position in `rows`).
  const kinds: ({ kind: 'changed' | 'previous'; offset: number; slice: NormalisedOrder[] } | { kind: 'bare' | 'other' | 'owners' })[] = []
  const add = (sql: string, args: unknown[], kind: (typeof kinds)[number] = { kind: 'other' }, onlyIf?: number) => {
    statements.push({ args, onlyIf, sql })
    kinds.push(kind)
  }
  if (recompute) {
    add(CREATE_AFFECTED, [])
    add(CLEAR_AFFECTED, [])
  }
  const sql = statementsOf(tables)
  let offset = 0
  for (const slice of chunk(rows, SQLITE_CHUNK_ROWS)) {
    const json = JSON.stringify(slice)
    // A chunk of only new orders (no previous owner read) skips noting previous owners and the UPDATE.
    const previous = statements.length
    add(sql.previousOwners, [json], { kind: 'previous', offset, slice })
    if (recompute) add(sql.noteOwners, [json], undefined, previous)
    if (slice.some((row) => row.customerId === undefined)) add(sql.insertBareCustomers, [json, now], { kind: 'bare' })
    // Its RETURNING lists the orders it changed (read from `rows`, not the change count, whatever the driver reports for RETURNING).
    add(sql.updateChanged, [json, now], { kind: 'changed', offset, slice }, previous)
    add(sql.insertNew, [json, now, currency])
    if (recompute) add(sql.noteOwners, [json])
    add(sql.owners, [json], { kind: 'owners' })
    offset += slice.length
  }
  if (recompute) {
    add(sql.recomputeAffected, [])
    add(CLEAR_AFFECTED, [])
  }
  const results = await client.batch(statements, 'write')
  // Every row is new until the chunk's `previous` read finds it; of those found, the UPDATE's RETURNING names the changed ones.
  const statuses = new Array<WrittenStatus>(rows.length).fill('created')
  let updated = 0
  let changed = 0
  let customersCreated = 0
  const customerIds = new Set<number>()
  results.forEach((result, index) => {
    const kind = kinds[index]!
    if (kind.kind === 'previous') {
      updated += result.rows.length
      for (const row of result.rows) statuses[kind.offset + Number(row.i)] = 'unchanged'
    }
    if (kind.kind === 'changed' && result.rows.length > 0) {
      const positions = new Map(kind.slice.map((row, position) => [row.externalId, kind.offset + position]))
      changed += result.rows.length
      for (const row of result.rows) statuses[positions.get(String(row.external_id))!] = 'updated'
    }
    if (kind.kind === 'bare') customersCreated += result.rowsAffected
    if (kind.kind === 'previous' || kind.kind === 'owners') for (const row of result.rows) customerIds.add(Number(row.customer_id))
  })
  return { created: rows.length - updated, customerIds: [...customerIds], customersCreated, statuses, unchanged: updated - changed, updated }
}
