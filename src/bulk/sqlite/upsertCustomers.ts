import type { LibsqlClientLike, LibsqlStatement } from '../connection.js'
import type { NormalisedCustomer } from '../normaliseRows.js'
import type { BulkTables, CustomerColumn } from '../tables.js'
import type { Id, WrittenCustomers, WrittenStatus } from '../types.js'

import { chunk } from '../normaliseRows.js'
import { CUSTOMER_AGGREGATES, CUSTOMER_COLUMNS } from '../tables.js'
import { recomputeAggregatesSqliteSql } from './recomputeAggregates.js'

/** RECIPES.md: json_each per ~5k rows is the fastest path through @libsql/client. */
export const SQLITE_CHUNK_ROWS = 5000

// `?1` is the chunk as a JSON array of NormalisedCustomer objects; `?2` is now (ISO text, as Payload stores dates).
const given = (field: string, row = 's.v') => `json_type(${row}, '$.${field}') IS NOT NULL`

/**
 * The JSON object `stored` with `patch` merged in shallowly (the rule on every database, docs/bulk.md):
 * each top-level key of `patch` replaces the stored value whole (a nested object is not merged), and
 * a key whose value is `null` is removed. SQLite's `json_patch` would merge nested objects
 * recursively (RFC 7396), PostgreSQL's `||` does not: this keeps both the same. Values are rebuilt
 * from their JSON type because a subquery drops the JSON subtype of `json_each` values.
 */
export const shallowMerge = (stored: string, patch: string) => `(
  SELECT json_group_object(m.k, CASE m.t WHEN 'object' THEN json(m.v) WHEN 'array' THEN json(m.v) WHEN 'true' THEN json('true')
                                         WHEN 'false' THEN json('false') ELSE m.v END)
    FROM (SELECT o.key AS k, o.value AS v, o.type AS t FROM json_each(${stored}) AS o
           WHERE o.key NOT IN (SELECT p.key FROM json_each(${patch}) AS p)
          UNION ALL
          SELECT p.key, p.value, p.type FROM json_each(${patch}) AS p WHERE p.type <> 'null') AS m)`

type Statements = {
  deleteReplacedTags: string
  existing: string
  insertNew: string
  insertTags: string
  recomputeRebased: string
  selectIds: string
  updateExisting: string
}

const MISSING = { false: '0', now: '?2', zero: '0' } as const

/** The statements for one set of table names (built once per adapter). */
const statementsFor = (t: BulkTables): Statements => {
  const keep = ({ column, field }: CustomerColumn) =>
    `${column} = CASE WHEN ${given(field)} THEN s.v ->> '${field}' ELSE ${t.customers}.${column} END`
  const same = ({ column, field }: CustomerColumn) => `(NOT ${given(field, 'j.value')} OR c.${column} IS j.value ->> '${field}')`
  const byEmail = `json_each(?1) AS j CROSS JOIN ${t.customers} AS c ON c.email = j.value ->> 'email'`
  const insertValue = ({ field, missing }: CustomerColumn) =>
    missing ? `COALESCE(s.v ->> '${field}', ${MISSING[missing]})` : `s.v ->> '${field}'`
  const { totalSpend, orderCount } = CUSTOMER_AGGREGATES
  return {
    // The chunk's existing customers (`existing`: their positions in the chunk), and of those the ones
    // whose given fields (tags and attributes included) already hold the row's values (`same`): read
    // before the UPDATE, in the same write transaction, so the other rows are new. One result row of
    // two JSON arrays, not a row per customer (cheaper to hand to JavaScript), and no row when none
    // exists (then the statements for stored customers are skipped: `onlyIf`).
    existing: `
      SELECT json_group_array(j.key) AS existing,
             json_group_array(j.key) FILTER (
               WHERE ${CUSTOMER_COLUMNS.map(same).join(' AND ')}
                 AND (json_type(j.value, '$.attributes') IS NULL
                      OR c.attributes IS CASE WHEN json_type(j.value, '$.attributes') <> 'object' THEN NULL
                                              ELSE ${shallowMerge(`COALESCE(c.attributes, '{}')`, `j.value -> 'attributes'`)} END)
                 AND (json_type(j.value, '$.tags') IS NULL
                      OR (SELECT json_group_array(x.text) FROM (SELECT x.text FROM ${t.customersTexts} AS x
                            WHERE x.parent_id = c.id AND x.path = 'tags' ORDER BY x."order") AS x) IS json(j.value -> 'tags'))) AS same
        FROM ${byEmail}
      HAVING count(*) > 0`,
    deleteReplacedTags: `
      DELETE FROM ${t.customersTexts}
       WHERE path = 'tags'
         AND parent_id IN (SELECT c.id FROM ${byEmail} WHERE json_type(j.value, '$.tags') IS NOT NULL)`,
    insertNew: `
      INSERT INTO ${t.customers} (email, ${CUSTOMER_COLUMNS.map(({ column }) => column).join(', ')}, ${totalSpend}, ${orderCount},
                                  attributes, updated_at)
      SELECT s.email, ${CUSTOMER_COLUMNS.map(insertValue).join(', ')}, COALESCE(s.v ->> 'baseSpend', 0), 0,
             CASE WHEN json_type(s.v, '$.attributes') = 'object' THEN ${shallowMerge(`'{}'`, `s.v -> 'attributes'`)} END, ?2
        FROM (SELECT value AS v, value ->> 'email' AS email FROM json_each(?1)) AS s
       WHERE NOT EXISTS (SELECT 1 FROM ${t.customers} AS c WHERE c.email = s.email)`,
    // Payload numbers hasMany text rows from 1 in list order.
    insertTags: `
      INSERT INTO ${t.customersTexts} ("order", parent_id, path, text)
      SELECT x.key + 1, c.id, 'tags', x.value FROM ${byEmail} CROSS JOIN json_each(j.value, '$.tags') AS x`,
    // totalSpend = baseSpend + orders: re-derived (never adjusted by difference) for the existing customers given a baseSpend.
    recomputeRebased: recomputeAggregatesSqliteSql(`SELECT c.id FROM ${byEmail} WHERE json_type(j.value, '$.baseSpend') IS NOT NULL`, t),
    selectIds: `SELECT c.id AS id, c.email AS email FROM ${byEmail}`,
    updateExisting: `
      WITH s AS MATERIALIZED (SELECT value AS v, value ->> 'email' AS email FROM json_each(?1))
      UPDATE ${t.customers} SET
        ${CUSTOMER_COLUMNS.map(keep).join(',\n        ')},
        attributes = CASE WHEN NOT ${given('attributes')} THEN ${t.customers}.attributes
                          WHEN json_type(s.v, '$.attributes') <> 'object' THEN NULL
                          ELSE ${shallowMerge(`COALESCE(${t.customers}.attributes, '{}')`, `s.v -> 'attributes'`)} END,
        updated_at = ?2
      FROM s WHERE ${t.customers}.email = s.email`,
  }
}

const built = new WeakMap<BulkTables, Statements>()
const statementsOf = (t: BulkTables): Statements => {
  let statements = built.get(t)
  if (!statements) built.set(t, (statements = statementsFor(t)))
  return statements
}

/**
 * SQLite: per chunk of 5k rows, up to six statements over one JSON parameter (update existing
 * field by field, re-derive the aggregates of those given a baseSpend, drop their replaced tags,
 * insert new, add tags, read ids), all chunks in one libsql `batch` — a single write transaction
 * that nothing else can interleave with.
 */
export const upsertCustomersSqlite = async ({
  client,
  now,
  returnIds,
  rows,
  tables,
}: {
  client: LibsqlClientLike
  now: string
  returnIds: boolean
  rows: NormalisedCustomer[]
  tables: BulkTables
}): Promise<WrittenCustomers> => {
  const ids = new Map<string, Id>()
  if (rows.length === 0) return { created: 0, ids, statuses: [], unchanged: 0, updated: 0 }
  const statements: LibsqlStatement[] = []
  // `existing` lists the chunk's rows that match a stored customer (starting at `offset`); the others are inserted.
  const kinds: ({ kind: 'existing'; offset: number } | { kind: 'ids' } | { kind: 'other' })[] = []
  const add = (sql: string, args: unknown[], kind: (typeof kinds)[number] = { kind: 'other' }, onlyIf?: number) => {
    statements.push({ args, onlyIf, sql })
    kinds.push(kind)
  }
  const sql = statementsOf(tables)
  let offset = 0
  for (const slice of chunk(rows, SQLITE_CHUNK_ROWS)) {
    const json = JSON.stringify(slice)
    // A chunk of only new customers (common on a first import) skips the three statements for stored ones.
    const existing = statements.length
    add(sql.existing, [json], { kind: 'existing', offset })
    add(sql.updateExisting, [json, now], undefined, existing)
    if (slice.some((row) => row.baseSpend !== undefined)) add(sql.recomputeRebased, [json], undefined, existing)
    if (slice.some((row) => row.tags !== undefined)) add(sql.deleteReplacedTags, [json], undefined, existing)
    add(sql.insertNew, [json, now])
    if (slice.some((row) => row.tags && row.tags.length > 0)) add(sql.insertTags, [json])
    if (returnIds) add(sql.selectIds, [json], { kind: 'ids' })
    offset += slice.length
  }
  const results = await client.batch(statements, 'write')
  const statuses = new Array<WrittenStatus>(rows.length).fill('created')
  let updated = 0
  let unchanged = 0
  results.forEach((result, index) => {
    const kind = kinds[index]!
    if (kind.kind === 'existing') {
      const existing = JSON.parse(String(result.rows[0]?.existing ?? '[]')) as number[]
      const same = JSON.parse(String(result.rows[0]?.same ?? '[]')) as number[]
      for (const position of existing) statuses[kind.offset + position] = 'updated'
      for (const position of same) statuses[kind.offset + position] = 'unchanged'
      updated += existing.length
      unchanged += same.length
    }
    if (kind.kind === 'ids') for (const row of result.rows) ids.set(String(row.email), Number(row.id))
  })
  return { created: rows.length - updated, ids, statuses, unchanged, updated }
}
