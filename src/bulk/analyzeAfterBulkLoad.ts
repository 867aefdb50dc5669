import type { Payload } from 'payload'

import type { PgClientLike } from './connection.js'

import { pgSchemaPrefix, sqlDialectOf, sqliteClientOf } from './connection.js'

/**
 * Refreshes the planner's statistics after a big load (RECIPES.md: a never-analyzed table made
 * later batched statements hash whole tables). On PostgreSQL it is `VACUUM (ANALYZE)`: a fresh load
 * leaves the visibility map empty (and the aggregate recompute leaves a dead tuple per customer),
 * so segment counts could not use index-only scans until autovacuum came by; at 1M customers
 * `count(*) … WHERE total_spend > 10000` went from 850 ms (bitmap heap scan) to 49 ms
 * (index-only scan, no heap fetches). VACUUM cannot run in a transaction, hence its own client.
 * A no-op on MongoDB.
 */
export const analyzeAfterBulkLoad = async ({ payload }: { payload: Payload }): Promise<void> => {
  const dialect = sqlDialectOf(payload)
  if (dialect === 'postgres') {
    const p = pgSchemaPrefix(payload)
    const pool = (payload.db as unknown as { pool?: { connect: () => Promise<PgClientLike> } }).pool
    if (!pool) throw new Error('The PostgreSQL adapter has no pool yet (is Payload initialised?)')
    const client = await pool.connect()
    try {
      await client.query(`VACUUM (ANALYZE) ${p}customers, ${p}customers_texts, ${p}orders`)
    } finally {
      client.release()
    }
  } else if (dialect === 'sqlite') {
    await sqliteClientOf(payload).execute({ args: [], sql: 'ANALYZE' })
  }
}
