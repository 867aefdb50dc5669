import type { PgClientLike } from '../connection.js'

/**
 * Runs `fn` with hash and merge joins (and JIT) disabled for the current transaction, then restores them.
 * Bulk statements join a small staging batch to a large table by a unique key. During a big load the
 * planner's statistics for that table lag behind and it picks hash joins that scan the whole table
 * once per batch, so loads slow down as the table grows (1M customers: 14.5k → 23.9k rows/s with
 * this). Index lookups per staged row stay flat.
 */
export const withIndexJoins = async <T>(client: PgClientLike, fn: () => Promise<T>): Promise<T> => {
  // One round trip each way (a simple-protocol query may hold several statements): during an import
  // the server's thread is busy reading ahead, and every round trip waits for it.
  // No JIT: those settings inflate the planner's cost estimates past jit_above_cost, and compiling a
  // batch's statements then took ~0.9 s of a 1.2 s recompute (EXPLAIN ANALYZE, 5,000 customers).
  await client.query('SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL jit = off')
  try {
    return await fn()
  } finally {
    // The transaction may be the caller's (a Payload request): leave its planner settings as they were.
    await client
      .query('SET LOCAL enable_hashjoin = DEFAULT; SET LOCAL enable_mergejoin = DEFAULT; SET LOCAL jit = DEFAULT')
      .catch(() => undefined)
  }
}
