import Database from 'better-sqlite3'
import pg from 'pg'

import type { SeedCustomer } from '../../src/domain/seed/generateSeedData.js'

import { copyInto } from '../../src/bulk/index.js'

/**
 * The ceiling for a customer load: the same rows into the same (migrated) tables and indexes with
 * the fastest bare method RECIPES.md measured, and no framework in between. Customers upsert by
 * email; tags go to `customers_texts`.
 */
export type BareLoader = {
  close: () => Promise<void>
  load: (batch: SeedCustomer[], now: string) => Promise<void>
}

const iso = (date: Date | null) => (date ? date.toISOString() : null)

/**
 * PostgreSQL: COPY into a temp staging table → INSERT … SELECT … ON CONFLICT, one transaction per
 * batch, with the bulk layer's planner fix (index joins, no JIT: `src/bulk/postgres/withIndexJoins.ts`),
 * so a growing table is not hash-joined in full once per batch.
 */
export const barePostgresLoader = async (url: string): Promise<BareLoader> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  return {
    close: () => client.end(),
    load: async (batch, now) => {
      await client.query('BEGIN')
      await client.query('SET LOCAL enable_hashjoin = off')
      await client.query('SET LOCAL enable_mergejoin = off')
      await client.query('SET LOCAL jit = off')
      await client.query(`CREATE TEMP TABLE stage (email text, name text, phone text, city text, tags text[], visits numeric,
        base_spend numeric, last_visit_at timestamptz, marketing_opt_out boolean, attributes jsonb, created_at timestamptz) ON COMMIT DROP`)
      await copyInto({
        client: client as never,
        columns: ['email', 'name', 'phone', 'city', 'tags', 'visits', 'base_spend', 'last_visit_at', 'marketing_opt_out', 'attributes', 'created_at'],
        rows: batch.map((row) => [
          row.email, row.name, row.phone, row.city, row.tags, row.visits, row.baseSpend, iso(row.lastVisitAt),
          row.marketingOptOut, row.attributes ?? null, iso(row.createdAt),
        ]),
        table: 'stage',
      })
      await client.query(
        `INSERT INTO customers (email, name, phone, city, visits, base_spend, total_spend, order_count, last_visit_at,
                                marketing_opt_out, attributes, created_at, updated_at)
         SELECT email, name, phone, city, visits, base_spend, base_spend, 0, last_visit_at, marketing_opt_out, attributes, created_at, $1
           FROM stage
         ON CONFLICT (email) DO UPDATE SET name = excluded.name, phone = excluded.phone, city = excluded.city,
           visits = excluded.visits, base_spend = excluded.base_spend, last_visit_at = excluded.last_visit_at,
           marketing_opt_out = excluded.marketing_opt_out, attributes = excluded.attributes, updated_at = excluded.updated_at`,
        [now],
      )
      await client.query(
        `INSERT INTO customers_texts ("order", parent_id, path, text)
         SELECT x.ord, c.id, 'tags', x.tag FROM stage s JOIN customers c ON c.email = s.email
          CROSS JOIN LATERAL unnest(s.tags) WITH ORDINALITY AS x(tag, ord)`,
      )
      await client.query('COMMIT')
    },
  }
}

/** SQLite: better-sqlite3 prepared statements row by row, one transaction per batch (WAL, synchronous=NORMAL). */
export const bareSqliteLoader = async (filePath: string): Promise<BareLoader> => {
  const db = new Database(filePath)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 10000')
  const upsert = db.prepare(
    `INSERT INTO customers (email, name, phone, city, visits, base_spend, total_spend, order_count, last_visit_at,
                            marketing_opt_out, attributes, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)
     ON CONFLICT (email) DO UPDATE SET name = excluded.name, phone = excluded.phone, city = excluded.city,
       visits = excluded.visits, base_spend = excluded.base_spend, last_visit_at = excluded.last_visit_at,
       marketing_opt_out = excluded.marketing_opt_out, attributes = excluded.attributes, updated_at = excluded.updated_at
     RETURNING id`,
  )
  const tag = db.prepare(`INSERT INTO customers_texts ("order", parent_id, path, text) VALUES (?, ?, 'tags', ?)`)
  const loadBatch = db.transaction((batch: SeedCustomer[], now: string) => {
    for (const row of batch) {
      const { id } = upsert.get(
        row.email, row.name, row.phone, row.city, row.visits, row.baseSpend, row.baseSpend, iso(row.lastVisitAt),
        row.marketingOptOut ? 1 : 0, row.attributes ? JSON.stringify(row.attributes) : null, iso(row.createdAt), now,
      ) as { id: number }
      row.tags.forEach((text, index) => tag.run(index + 1, id, text))
    }
  })
  return {
    close: async () => {
      db.close()
    },
    load: async (batch, now) => {
      loadBatch(batch, now)
    },
  }
}

/** The bare loader for a parsed DATABASE_URL. */
export const bareDatabaseLoader = (location: { kind: string; url: string; filePath?: string }): Promise<BareLoader> =>
  location.kind === 'postgres' ? barePostgresLoader(location.url) : bareSqliteLoader(location.filePath as string)
