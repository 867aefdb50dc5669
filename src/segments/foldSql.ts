import type { SQL } from 'drizzle-orm'

import { sql } from 'drizzle-orm'

import type { SqlDialect } from '../bulk/index.js'

import { FOLD_PAIRS } from '../domain/segments/foldCase.js'

// The table holds only letters from fixed Unicode blocks (no quotes), so it is safe as SQL literals.
const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`

// One flat CASE over the table (nested replace() calls overflow SQLite's parser stack).
const SQLITE_CASE_ARMS = FOLD_PAIRS.map(([upper, lower]) => `WHEN ${quote(upper)} THEN ${quote(lower)}`).join(' ')
const PG_FROM = quote(FOLD_PAIRS.map(([upper]) => upper).join(''))
const PG_TO = quote(FOLD_PAIRS.map(([, lower]) => lower).join(''))

/**
 * `foldCase(expr)` in SQL, exactly as `src/domain/segments/foldCase.ts` computes it: ASCII `lower()`
 * (SQLite's `lower`, PostgreSQL's under the "C" collation), and for values holding any non-ASCII
 * character the same table of non-ASCII pairs (on SQLite a character-by-character CASE in a
 * correlated recursive subquery, on PostgreSQL `translate`). The ASCII test (bytes = characters)
 * keeps the table off the common path.
 */
export const foldSql = (dialect: SqlDialect, expr: SQL): SQL =>
  dialect === 'sqlite'
    ? sql`(CASE WHEN length(CAST(${expr} AS BLOB)) = length(${expr}) THEN lower(${expr}) ELSE (WITH RECURSIVE fold_s(fold_i) AS (SELECT 1 UNION ALL SELECT fold_i + 1 FROM fold_s WHERE fold_i < length(${expr})) SELECT group_concat(CASE substr(lower(${expr}), fold_i, 1) ${sql.raw(SQLITE_CASE_ARMS)} ELSE substr(lower(${expr}), fold_i, 1) END, '' ORDER BY fold_i) FROM fold_s) END)`
    : sql`(CASE WHEN octet_length(${expr}) = char_length(${expr}) THEN lower(${expr} COLLATE "C") ELSE translate(lower(${expr} COLLATE "C"), ${sql.raw(PG_FROM)}, ${sql.raw(PG_TO)}) END)`
