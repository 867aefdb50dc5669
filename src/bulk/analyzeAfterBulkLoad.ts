import type { Payload } from 'payload'

import { pgSchemaPrefix, sqlDialectOf, sqliteClientOf, withPgTransaction } from './connection.js'

/**
 * Refreshes the planner's statistics after a big load (RECIPES.md: a never-analyzed table made
 * later batched statements hash whole tables). A no-op on MongoDB.
 */
export const analyzeAfterBulkLoad = async ({ payload }: { payload: Payload }): Promise<void> => {
  const dialect = sqlDialectOf(payload)
  if (dialect === 'postgres') {
    const p = pgSchemaPrefix(payload)
    await withPgTransaction({ payload }, (client) => client.query(`ANALYZE ${p}customers, ${p}customers_texts, ${p}orders`))
  } else if (dialect === 'sqlite') {
    await sqliteClientOf(payload).execute({ args: [], sql: 'ANALYZE' })
  }
}
