import type { PayloadRequest } from 'payload'

import { sql } from 'drizzle-orm'

import { runSql } from '../bulk/index.js'
import { foldCase } from '../domain/segments/foldCase.js'
import { segmentSqlTarget } from './audience.js'

/** What the rule builder asks suggestions for: cities, tags, attribute keys, or one attribute's values. */
export type DistinctSource = { kind: 'attributeKeys' } | { kind: 'attributeValues'; key: string } | { kind: 'city' } | { kind: 'tags' }

/** At most this many distinct cities or tags are walked (one index probe each). */
export const MAX_DISTINCT_SCAN = 5000
/** Attribute keys and values are read from this many most recent customers that have attributes. */
export const ATTRIBUTE_SAMPLE = 5000

/**
 * Distinct values for the builder's pickers, whose folded form contains `q` (ignoring case as
 * segments do), at most `limit`, sorted. Cities and tags: a skip scan of the column's index (one probe
 * per distinct value, capped at MAX_DISTINCT_SCAN); attributes: the newest ATTRIBUTE_SAMPLE
 * customers with attributes (a JSON key has no index). Null on MongoDB.
 */
export const distinctValues = async ({ limit, q, req, source }: { limit: number; q: string; req: PayloadRequest; source: DistinctSource }): Promise<null | string[]> => {
  const target = segmentSqlTarget(req.payload)
  if (!target) return null
  const table = (name: string) => sql.raw(`${target.prefix}"${name}"`)
  const skipScan = (name: string, column: string, where = '') => {
    const t = table(name)
    const c = sql.raw(`"${column}"`)
    const extra = sql.raw(where ? ` AND ${where}` : '')
    return sql`WITH RECURSIVE d(v, n) AS (SELECT min(${c}), 1 FROM ${t} WHERE 1 = 1${extra} UNION ALL SELECT (SELECT min(${c}) FROM ${t} WHERE ${c} > d.v${extra}), n + 1 FROM d WHERE d.v IS NOT NULL AND n < ${MAX_DISTINCT_SCAN}) SELECT v FROM d WHERE v IS NOT NULL`
  }
  const customers = table('customers')
  // `IS NOT NULL` (not a JSON type test) inside the LIMIT: the planner has statistics for it and walks
  // the primary key backwards; with a function test PostgreSQL guessed 0.5 % and sorted the whole table.
  const recent = target.dialect === 'sqlite'
    ? sql`(SELECT "attributes" FROM (SELECT "attributes" FROM ${customers} WHERE "attributes" IS NOT NULL ORDER BY "id" DESC LIMIT ${ATTRIBUTE_SAMPLE}) WHERE json_type("attributes") = 'object')`
    : sql`(SELECT "attributes" FROM (SELECT "attributes" FROM ${customers} WHERE "attributes" IS NOT NULL ORDER BY "id" DESC LIMIT ${ATTRIBUTE_SAMPLE}) r WHERE jsonb_typeof("attributes") = 'object')`
  let query
  switch (source.kind) {
    case 'city':
      query = skipScan('customers', 'city')
      break
    case 'tags':
      query = skipScan('customers_texts', 'text', `"path" = 'tags'`)
      break
    case 'attributeKeys':
      query = target.dialect === 'sqlite'
        ? sql`SELECT DISTINCT j."key" AS v FROM ${recent} s, json_each(s."attributes") j`
        : sql`SELECT DISTINCT k AS v FROM ${recent} s, jsonb_object_keys(s."attributes") k`
      break
    case 'attributeValues':
      // Text, numbers and booleans are values; null, objects and arrays are not (as the rules read them).
      query = target.dialect === 'sqlite'
        ? sql`SELECT DISTINCT CASE json_type(s."attributes", ${`$."${source.key}"`}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(s."attributes", ${`$."${source.key}"`}) AS TEXT) END AS v FROM ${recent} s WHERE json_type(s."attributes", ${`$."${source.key}"`}) IN ('text', 'integer', 'real', 'true', 'false')`
        : sql`SELECT DISTINCT s."attributes" ->> ${source.key}::text AS v FROM ${recent} s WHERE jsonb_typeof(s."attributes" -> ${source.key}::text) IN ('string', 'number', 'boolean')`
      break
  }
  const rows = await runSql<{ v: null | number | string }>({ payload: req.payload, query, req })
  const needle = foldCase(q.trim())
  const values = rows.map((row) => (row.v === null ? '' : String(row.v))).filter((value) => value !== '' && foldCase(value).includes(needle))
  return [...new Set(values)].sort((a, b) => a.localeCompare(b)).slice(0, limit)
}
