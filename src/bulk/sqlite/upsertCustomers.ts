import type { LibsqlClientLike, LibsqlStatement } from '../connection.js'
import type { NormalisedCustomer } from '../normaliseRows.js'
import type { Id, WrittenCustomers } from '../types.js'

import { chunk } from '../normaliseRows.js'
import { recomputeAggregatesSqliteSql } from './recomputeAggregates.js'

/** RECIPES.md: json_each per ~5k rows is the fastest path through @libsql/client. */
export const SQLITE_CHUNK_ROWS = 5000

// `?1` is the chunk as a JSON array of NormalisedCustomer objects; `?2` is now (ISO text, as Payload stores dates).
const given = (field: string) => `json_type(s.v, '$.${field}') IS NOT NULL`
const keep = (field: string, column: string, value = `s.v ->> '${field}'`) =>
  `${column} = CASE WHEN ${given(field)} THEN ${value} ELSE customers.${column} END`

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

const UPDATE_EXISTING = `
  WITH s AS MATERIALIZED (SELECT value AS v, value ->> 'email' AS email FROM json_each(?1))
  UPDATE customers SET
    ${keep('name', 'name')}, ${keep('phone', 'phone')}, ${keep('city', 'city')}, ${keep('visits', 'visits')},
    ${keep('baseSpend', 'base_spend')},
    ${keep('lastVisitAt', 'last_visit_at')}, ${keep('marketingOptOut', 'marketing_opt_out')},
    attributes = CASE WHEN NOT ${given('attributes')} THEN customers.attributes
                      WHEN json_type(s.v, '$.attributes') <> 'object' THEN NULL
                      ELSE ${shallowMerge(`COALESCE(customers.attributes, '{}')`, `s.v -> 'attributes'`)} END,
    ${keep('createdAt', 'created_at')},
    updated_at = ?2
  FROM s WHERE customers.email = s.email`

const same = (field: string, column: string) => `(NOT ${given(field).replace('s.v', 'j.value')} OR c.${column} IS j.value ->> '${field}')`

// Existing customers of the chunk whose given fields (tags and attributes included) already hold
// the row's values: read before the UPDATE, so `updated - this` rows really changed.
const COUNT_UNCHANGED = `
  SELECT COUNT(*) AS n FROM json_each(?1) AS j CROSS JOIN customers AS c ON c.email = j.value ->> 'email'
   WHERE ${same('name', 'name')} AND ${same('phone', 'phone')} AND ${same('city', 'city')} AND ${same('visits', 'visits')}
     AND ${same('baseSpend', 'base_spend')} AND ${same('lastVisitAt', 'last_visit_at')}
     AND ${same('marketingOptOut', 'marketing_opt_out')} AND ${same('createdAt', 'created_at')}
     AND (json_type(j.value, '$.attributes') IS NULL
          OR c.attributes IS CASE WHEN json_type(j.value, '$.attributes') <> 'object' THEN NULL
                                  ELSE ${shallowMerge(`COALESCE(c.attributes, '{}')`, `j.value -> 'attributes'`)} END)
     AND (json_type(j.value, '$.tags') IS NULL
          OR (SELECT json_group_array(t.text) FROM (SELECT x.text FROM customers_texts AS x
                WHERE x.parent_id = c.id AND x.path = 'tags' ORDER BY x."order") AS t) IS json(j.value -> 'tags'))`

const INSERT_NEW = `
  INSERT INTO customers (email, name, phone, city, visits, base_spend, total_spend, order_count, last_visit_at,
                         marketing_opt_out, attributes, created_at, updated_at)
  SELECT s.email, s.v ->> 'name', s.v ->> 'phone', s.v ->> 'city', COALESCE(s.v ->> 'visits', 0),
         COALESCE(s.v ->> 'baseSpend', 0), COALESCE(s.v ->> 'baseSpend', 0), 0, s.v ->> 'lastVisitAt',
         COALESCE(s.v ->> 'marketingOptOut', 0),
         CASE WHEN json_type(s.v, '$.attributes') = 'object' THEN ${shallowMerge(`'{}'`, `s.v -> 'attributes'`)} END,
         COALESCE(s.v ->> 'createdAt', ?2), ?2
    FROM (SELECT value AS v, value ->> 'email' AS email FROM json_each(?1)) AS s
   WHERE NOT EXISTS (SELECT 1 FROM customers AS c WHERE c.email = s.email)`

// totalSpend = baseSpend + orders: re-derived (never adjusted by difference) for the existing customers given a baseSpend.
const RECOMPUTE_REBASED = recomputeAggregatesSqliteSql(`
  SELECT c.id FROM json_each(?1) AS j CROSS JOIN customers AS c ON c.email = j.value ->> 'email'
   WHERE json_type(j.value, '$.baseSpend') IS NOT NULL`)

const DELETE_REPLACED_TAGS = `
  DELETE FROM customers_texts
   WHERE path = 'tags'
     AND parent_id IN (SELECT c.id FROM json_each(?1) AS j CROSS JOIN customers AS c ON c.email = j.value ->> 'email'
                        WHERE json_type(j.value, '$.tags') IS NOT NULL)`

// Payload numbers hasMany text rows from 1 in list order.
const INSERT_TAGS = `
  INSERT INTO customers_texts ("order", parent_id, path, text)
  SELECT t.key + 1, c.id, 'tags', t.value
    FROM json_each(?1) AS j CROSS JOIN customers AS c ON c.email = j.value ->> 'email'
    CROSS JOIN json_each(j.value, '$.tags') AS t`

const SELECT_IDS = `
  SELECT c.id AS id, c.email AS email FROM json_each(?1) AS j CROSS JOIN customers AS c ON c.email = j.value ->> 'email'`

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
}: {
  client: LibsqlClientLike
  now: string
  returnIds: boolean
  rows: NormalisedCustomer[]
}): Promise<WrittenCustomers> => {
  const ids = new Map<string, Id>()
  if (rows.length === 0) return { created: 0, ids, unchanged: 0, updated: 0 }
  const statements: LibsqlStatement[] = []
  // The UPDATE touches every existing row of the chunk, so its change count is the `updated` count.
  const kinds: ('ids' | 'other' | 'unchanged' | 'update')[] = []
  const add = (sql: string, args: unknown[], kind: (typeof kinds)[number] = 'other') => {
    statements.push({ args, sql })
    kinds.push(kind)
  }
  for (const slice of chunk(rows, SQLITE_CHUNK_ROWS)) {
    const json = JSON.stringify(slice)
    add(COUNT_UNCHANGED, [json], 'unchanged')
    add(UPDATE_EXISTING, [json, now], 'update')
    if (slice.some((row) => row.baseSpend !== undefined)) add(RECOMPUTE_REBASED, [json])
    if (slice.some((row) => row.tags !== undefined)) add(DELETE_REPLACED_TAGS, [json])
    add(INSERT_NEW, [json, now])
    if (slice.some((row) => row.tags && row.tags.length > 0)) add(INSERT_TAGS, [json])
    if (returnIds) add(SELECT_IDS, [json], 'ids')
  }
  const results = await client.batch(statements, 'write')
  let updated = 0
  let unchanged = 0
  results.forEach((result, index) => {
    if (kinds[index] === 'unchanged') unchanged += Number(result.rows[0]?.n ?? 0)
    if (kinds[index] === 'update') updated += result.rowsAffected
    if (kinds[index] === 'ids') for (const row of result.rows) ids.set(String(row.email), Number(row.id))
  })
  return { created: rows.length - updated, ids, unchanged, updated }
}
