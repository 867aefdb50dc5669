type LockClient = { query: (sql: string, params?: unknown[]) => Promise<unknown> }

/**
 * Runs `fn` while holding a session-level PostgreSQL advisory lock named `key`, so processes that
 * boot together (server + workers) run one-time work such as schema creation one after another.
 */
export const withPgAdvisoryLock = async <T>(client: LockClient, key: string, fn: () => Promise<T>): Promise<T> => {
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [key])
  try {
    return await fn()
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined)
  }
}
