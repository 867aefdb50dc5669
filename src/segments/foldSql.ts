import type { SQL } from 'drizzle-orm'

import { sql } from 'drizzle-orm'

import type { SqlDialect } from '../bulk/index.js'

import { FOLD_PAIRS } from '../domain/segments/foldCase.js'

// The table holds only letters from fixed Unicode blocks (no quotes), so it is safe as SQL literals.
const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`

const SQLITE_CHAIN_OPEN = 'replace('.repeat(FOLD_PAIRS.length)
const SQLITE_CHAIN_CLOSE = FOLD_PAIRS.map(([upper, lower]) => `, ${quote(upper)}, ${quote(lower)})`).join('')
const PG_FROM = quote(FOLD_PAIRS.map(([upper]) => upper).join(''))
const PG_TO = quote(FOLD_PAIRS.map(([, lower]) => lower).join(''))

/**
 * `foldCase(expr)` in SQL, exactly as `src/domain/segments/foldCase.ts` computes it: ASCII `lower()`
 * (SQLite's `lower`, PostgreSQL's under the "C" collation), and for values holding any non-ASCII
 * character the same table of non-ASCII pairs (nested `replace` on SQLite, `translate` on
 * PostgreSQL). The ASCII test (bytes = characters) keeps the table off the common path.
 */
export const foldSql = (dialect: SqlDialect, expr: SQL): SQL =>
  dialect === 'sqlite'
    ? sql`(CASE WHEN length(CAST(${expr} AS BLOB)) = length(${expr}) THEN lower(${expr}) ELSE ${sql.raw(SQLITE_CHAIN_OPEN)}lower(${expr})${sql.raw(SQLITE_CHAIN_CLOSE)} END)`
    : sql`(CASE WHEN octet_length(${expr}) = char_length(${expr}) THEN lower(${expr} COLLATE "C") ELSE translate(lower(${expr} COLLATE "C"), ${sql.raw(PG_FROM)}, ${sql.raw(PG_TO)}) END)`
