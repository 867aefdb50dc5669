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

/**
 * Opens a per-import staging table: `crm_import_keys_<random>` (UNLOGGED in the adapter's schema on
 * PostgreSQL; a table of the database file on SQLite, since a temp table would live on one of the
 * client's connections only). MongoDB keeps the keys in a Map (documented gap).
 */
export const openImportKeys = async ({ payload }: { payload: Payload }): Promise<ImportKeys> => {
  const dialect = sqlDialectOf(payload)
  const name = `crm_import_keys_${randomBytes(6).toString('hex')}`
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
