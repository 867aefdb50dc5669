import Database from 'better-sqlite3'
import pg from 'pg'

import type { SeedCustomer, SeedOrder } from '../../src/domain/seed/generateSeedData.js'

import { BULK_CACHE_KIB, copyInto } from '../../src/bulk/index.js'
import { NON_COUNTING_ORDER_STATUSES } from '../../src/constants.js'

const EXCLUDED = NON_COUNTING_ORDER_STATUSES.map((status) => `'${status}'`).join(', ')

/**
 * The ceiling for a customer load: the same rows into the same (migrated) tables and indexes with
 * the fastest bare method RECIPES.md measured, and no framework in between. Customers upsert by
 * email; tags go to `customers_texts`.
 */
export type BareLoader = {
  close: () => Promise<void>
  load: (batch: SeedCustomer[], now: string) => Promise<void>
  /**
   * The orders ceiling on our schema: orders upserted by `external_id`, each linked to its customer
   * looked up by email (an unknown email gets a bare customer), and the affected customers'
   * aggregates (total spend, order count, last order) re-derived from their counting orders in the
   * same transaction, as `upsertOrders` does per batch.
   */
  loadOrders: (batch: BareOrder[], now: string) => Promise<void>
}

/** A generated order with its customer's email and the store currency, as a CSV row carries them. */
export type BareOrder = Omit<SeedOrder, 'customerIndex'> & { currency: string; customerEmail: string }

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
    loadOrders: async (batch, now) => {
      await client.query('BEGIN')
      await client.query('SET LOCAL enable_hashjoin = off')
      await client.query('SET LOCAL enable_mergejoin = off')
      await client.query('SET LOCAL jit = off')
      await client.query(`CREATE TEMP TABLE ostage (external_id text, customer_email text, amount numeric, currency text,
        ordered_at timestamptz, status text) ON COMMIT DROP`)
      await copyInto({
        client: client as never,
        columns: ['external_id', 'customer_email', 'amount', 'currency', 'ordered_at', 'status'],
        rows: batch.map((row) => [row.externalId, row.customerEmail, row.amount, row.currency, iso(row.orderedAt), row.status]),
        table: 'ostage',
      })
      await client.query(
        `INSERT INTO customers (email, created_at, updated_at) SELECT DISTINCT customer_email, $1::timestamptz, $1::timestamptz FROM ostage
         ON CONFLICT (email) DO NOTHING`,
        [now],
      )
      await client.query(
        `INSERT INTO orders (external_id, customer_id, amount, currency, ordered_at, status, created_at, updated_at)
         SELECT s.external_id, c.id, s.amount, s.currency, s.ordered_at, s.status::enum_orders_status, $1, $1
           FROM ostage AS s JOIN customers AS c ON c.email = s.customer_email
         ON CONFLICT (external_id) DO UPDATE SET customer_id = excluded.customer_id, amount = excluded.amount,
           currency = excluded.currency, ordered_at = excluded.ordered_at, status = excluded.status, updated_at = excluded.updated_at`,
        [now],
      )
      await client.query(
        `UPDATE customers AS cu SET total_spend = COALESCE(cu.base_spend, 0) + COALESCE(a.spend, 0), order_count = a.n, last_order_at = a.last_at
           FROM (SELECT DISTINCT c.id FROM ostage AS s JOIN customers AS c ON c.email = s.customer_email) AS t
          CROSS JOIN LATERAL (SELECT SUM(o.amount) AS spend, COUNT(*) AS n, MAX(o.ordered_at) AS last_at FROM orders AS o
                               WHERE o.customer_id = t.id AND o.status::text NOT IN (${EXCLUDED})) AS a
          WHERE cu.id = t.id`,
      )
      await client.query('COMMIT')
    },
  }
}

/** SQLite: better-sqlite3 prepared statements row by row, one transaction per batch (WAL, synchronous=NORMAL, the bulk connection's page cache). */
export const bareSqliteLoader = async (filePath: string): Promise<BareLoader> => {
  const db = new Database(filePath)
  // The bulk connection's page cache (src/bulk/sqlite/driver.ts): the bare loader is as fast as it can be.
  db.pragma(`cache_size = -${BULK_CACHE_KIB}`)
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
  const bareCustomer = db.prepare(`INSERT INTO customers (email, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (email) DO NOTHING`)
  const customerId = db.prepare(`SELECT id FROM customers WHERE email = ?`).pluck()
  const upsertOrder = db.prepare(
    `INSERT INTO orders (external_id, customer_id, amount, currency, ordered_at, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (external_id) DO UPDATE SET customer_id = excluded.customer_id, amount = excluded.amount,
       currency = excluded.currency, ordered_at = excluded.ordered_at, status = excluded.status, updated_at = excluded.updated_at`,
  )
  const recompute = db.prepare(
    `UPDATE customers SET (total_spend, order_count, last_order_at) =
       (SELECT COALESCE(customers.base_spend, 0) + COALESCE(SUM(o.amount), 0), COUNT(*), MAX(o.ordered_at)
          FROM orders AS o WHERE o.customer_id = customers.id AND o.status NOT IN (${EXCLUDED}))
      WHERE id = ?`,
  )
  const loadOrderBatch = db.transaction((batch: BareOrder[], now: string) => {
    // Per batch, an email is looked up once (a CSV groups a customer's orders loosely; this is the cheap case).
    const ids = new Map<string, number>()
    for (const row of batch) {
      let id = ids.get(row.customerEmail)
      if (id === undefined) {
        id = customerId.get(row.customerEmail) as number | undefined
        if (id === undefined) {
          bareCustomer.run(row.customerEmail, now, now)
          id = customerId.get(row.customerEmail) as number
        }
        ids.set(row.customerEmail, id)
      }
      upsertOrder.run(row.externalId, id, row.amount, row.currency, iso(row.orderedAt), row.status, now, now)
    }
    for (const id of new Set(ids.values())) recompute.run(id)
  })
  return {
    close: async () => {
      db.close()
    },
    load: async (batch, now) => {
      loadBatch(batch, now)
    },
    loadOrders: async (batch, now) => {
      loadOrderBatch(batch, now)
    },
  }
}

/** The bare loader for a parsed DATABASE_URL. */
export const bareDatabaseLoader = (location: { kind: string; url: string; filePath?: string }): Promise<BareLoader> =>
  location.kind === 'postgres' ? barePostgresLoader(location.url) : bareSqliteLoader(location.filePath as string)
