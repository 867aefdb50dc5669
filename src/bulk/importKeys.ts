import type { Payload } from 'payload'

import { randomBytes } from 'node:crypto'

import { pgSchemaPrefix, sqlDialectOf, sqliteClientOf } from './connection.js'

type PgPoolLike = { query: <R>(text: string, values?: unknown[]) => Promise<{ rows: R[] }> }

/** A key written earlier in the same import, and the row that wrote it. */
export type EarlierKey = { key: string; row: number }

/**
 * The keys (emails, order ids) an import has written so far, with the row that last wrote each,
 * kept in a staging table of the database instead of JavaScript memory: a whole-file duplicate
 * check whose memory follows the batch, not the file. Call `drop` when the import ends.
 */
export type ImportKeys = {
  drop: () => Promise<void>
  /**
   * Records `entries` (distinct keys, each with the row that wrote it now) and returns those that an
   * earlier call had recorded, with the earlier row.
   */
  note: (entries: readonly EarlierKey[]) => Promise<EarlierKey[]>
}

const PREFIX = 'crm_import_keys_'

/** `crm_import_keys_<creation time, base-36 seconds>_<random>`: the name says how old the table is. */
export const importKeysTableName = (createdAtMs: number): string =>
  `${PREFIX}${Math.floor(createdAtMs / 1000).toString(36)}_${randomBytes(6).toString('hex')}`

/**
 * Key tables older than this belong to an import that cannot still be running (a synchronous import
 * ends with its request, at most `REQUEST_TIMEOUT_MS` = 1 h): their server was killed mid-import.
 */
export const STALE_IMPORT_KEYS_MS = 6 * 60 * 60 * 1000

/** When a key table was created, from its name; null for a name without a time (left by an older version: stale). */
const createdAtOf = (name: string): null | number => {
  const match = /^crm_import_keys_([0-9a-z]+)_[0-9a-f]+$/.exec(name)
  return match ? parseInt(match[1]!, 36) * 1000 : null
}

/**
 * Drops the `crm_import_keys_…` tables a server killed mid-import left behind: those created more
 * than `olderThanMs` ago, and those named without a creation time. Another process's running import
 * (younger than that) keeps its table. Run at server start and by the hourly purge job. Returns the
 * names dropped. MongoDB keeps no such tables.
 */
export const dropStaleImportKeys = async ({
  now = Date.now(),
  olderThanMs = STALE_IMPORT_KEYS_MS,
  payload,
}: {
  now?: number
  olderThanMs?: number
  payload: Payload
}): Promise<string[]> => {
  const dialect = sqlDialectOf(payload)
  if (dialect === null) return []
  const isStale = (name: string) => {
    const createdAt = createdAtOf(name)
    return createdAt === null || now - createdAt > olderThanMs
  }
  const pattern = `${PREFIX.replace(/_/g, '\\_')}%`
  if (dialect === 'sqlite') {
    const client = sqliteClientOf(payload)
    const { rows } = await client.execute({ args: [pattern], sql: `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\'` })
    const stale = rows.map((row) => String(row.name)).filter(isStale)
    for (const name of stale) await client.execute({ args: [], sql: `DROP TABLE IF EXISTS "${name}"` })
    return stale
  }
  const pool = (payload.db as unknown as { pool?: PgPoolLike }).pool
  if (!pool) return []
  const schema = (payload.db as unknown as { schemaName?: string }).schemaName || 'public'
  const { rows } = await pool.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename LIKE $2 ESCAPE '\\'`,
    [schema, pattern],
  )
  const stale = rows.map((row) => row.tablename).filter(isStale)
  for (const name of stale) await pool.query(`DROP TABLE IF EXISTS ${pgSchemaPrefix(payload)}"${name}"`)
  return stale
}

/**
 * Opens a per-import staging table: `crm_import_keys_<random>` (UNLOGGED in the adapter's schema on
 * PostgreSQL; a table of the database file on SQLite, since a temp table would live on one of the
 * client's connections only). MongoDB keeps the keys in a Map (documented gap).
 */
export const openImportKeys = async ({ payload }: { payload: Payload }): Promise<ImportKeys> => {
  const dialect = sqlDialectOf(payload)
  const name = importKeysTableName(Date.now())
  if (dialect === 'sqlite') {
    const client = sqliteClientOf(payload)
    await client.execute({ args: [], sql: `CREATE TABLE ${name} (key TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID` })
    return {
      drop: async () => {
        await client.execute({ args: [], sql: `DROP TABLE IF EXISTS ${name}` })
      },
      note: async (entries) => {
        if (entries.length === 0) return []
        const json = JSON.stringify(entries.map((entry) => [entry.key, entry.row]))
        const [earlier] = await client.batch(
          [
            { args: [json], sql: `SELECT t.key AS key, t.row AS row FROM json_each(?1) AS j CROSS JOIN ${name} AS t ON t.key = j.value ->> 0` },
            {
              args: [json],
              sql: `INSERT INTO ${name} (key, row) SELECT value ->> 0, value ->> 1 FROM json_each(?1) WHERE true
                    ON CONFLICT (key) DO UPDATE SET row = excluded.row`,
            },
          ],
          'write',
        )
        return earlier!.rows.map((row) => ({ key: String(row.key), row: Number(row.row) }))
      },
    }
  }
  if (dialect === 'postgres') {
    const pool = (payload.db as unknown as { pool?: PgPoolLike }).pool
    if (!pool) throw new Error('The PostgreSQL adapter has no pool yet (is Payload initialised?)')
    const table = `${pgSchemaPrefix(payload)}${name}`
    await pool.query(`CREATE UNLOGGED TABLE ${table} (key text PRIMARY KEY, row int NOT NULL)`)
    return {
      drop: async () => {
        await pool.query(`DROP TABLE IF EXISTS ${table}`)
      },
      note: async (entries) => {
        if (entries.length === 0) return []
        // The SELECT and the upsert share one snapshot, so `earlier` holds the rows from before this call.
        const { rows } = await pool.query<EarlierKey>(
          `WITH earlier AS (SELECT t.key, t.row FROM ${table} AS t WHERE t.key = ANY($1::text[])),
                noted AS (INSERT INTO ${table} (key, row) SELECT * FROM unnest($1::text[], $2::int[])
                          ON CONFLICT (key) DO UPDATE SET row = EXCLUDED.row)
           SELECT key, row FROM earlier`,
          [entries.map((entry) => entry.key), entries.map((entry) => entry.row)],
        )
        return rows.map((row) => ({ key: row.key, row: Number(row.row) }))
      },
    }
  }
  const seen = new Map<string, number>()
  return {
    drop: async () => seen.clear(),
    note: async (entries) => {
      const earlier: EarlierKey[] = []
      for (const { key, row } of entries) {
        const previous = seen.get(key)
        if (previous !== undefined) earlier.push({ key, row: previous })
        seen.set(key, row)
      }
      return earlier
    },
  }
}
