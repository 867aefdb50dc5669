import type { Payload } from 'payload'

/**
 * The per-import key tables (`crm_import_keys_…`) as Payload's own connection sees them: libsql on
 * SQLite, the pool on PostgreSQL. (That view is the one that went stale when a better-sqlite3
 * connection closed under libsql: src/bulk/connection.ts, `openBulkConnections`.)
 */
export const importKeyTablesSeenByPayload = async (payload: Payload): Promise<string[]> => {
  const db = payload.db as unknown as {
    client?: { execute: (q: { args: unknown[]; sql: string }) => Promise<{ rows: { name: unknown }[] }> }
    pool?: { query: (sql: string) => Promise<{ rows: { name: string }[] }> }
  }
  const rows =
    payload.db.name === 'sqlite'
      ? (await db.client!.execute({ args: [], sql: `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'crm%import%keys%'` })).rows
      : (await db.pool!.query(`SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'crm%import%keys%'`)).rows
  return rows.map((row) => String(row.name)).sort()
}
