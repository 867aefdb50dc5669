import type { Payload } from 'payload'

import { closeBulkConnections } from '../bulk/index.js'

type PoolLike = {
  _clients?: { release?: () => void }[]
  end: () => Promise<void>
  on: (event: 'error', fn: () => void) => void
}

/**
 * Closes Payload and its database connections. `payload.destroy()` can leave a PostgreSQL pool client
 * checked out, so `pool.end()` would never resolve: those clients are released first, and the pool
 * end is bounded by `poolTimeoutMs`. Safe to call twice.
 */
export const closePayload = async (payload: Payload, { poolTimeoutMs = 2000 }: { poolTimeoutMs?: number } = {}): Promise<void> => {
  const pool = (payload.db as { pool?: PoolLike }).pool
  // A connection the server drops meanwhile (or a database dropped right after, in tests) must not crash the process.
  pool?.on('error', () => undefined)
  try {
    await payload.destroy()
  } catch {
    // already closed
  }
  // After Payload's own connection (the bulk layer's SQLite connection anchors the file until then).
  closeBulkConnections(payload)
  if (!pool) return
  for (const client of pool._clients ?? []) {
    try {
      client.release?.()
    } catch {
      // not checked out
    }
  }
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    pool.end().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, poolTimeoutMs)
      timer.unref()
    }),
  ])
  clearTimeout(timer)
}
