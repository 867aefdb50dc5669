import type { Payload } from 'payload'

/** Closes Payload's connections; on PostgreSQL releases checked-out pool clients first (RECIPES.md). */
export const closePayload = async (payload: Payload): Promise<void> => {
  const pool = (payload.db as { pool?: { _clients?: { release?: () => void }[]; end: () => Promise<void>; on: (event: 'error', fn: () => void) => void } }).pool
  // The database is dropped WITH (FORCE) right after; a connection still open must not crash the run.
  pool?.on('error', () => undefined)
  try {
    await payload.destroy()
  } catch {
    // already closed
  }
  if (pool) {
    for (const client of pool._clients ?? []) {
      try {
        client.release?.()
      } catch {
        // not checked out
      }
    }
    await Promise.race([pool.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000))])
  }
}
