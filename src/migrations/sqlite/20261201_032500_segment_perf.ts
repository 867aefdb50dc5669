import type { MigrateDownArgs, MigrateUpArgs } from '@payloadcms/db-sqlite'

import { sql } from '@payloadcms/db-sqlite'

// Hand-written (segment speed): counts split into index-bounded branches (docs/segments.md,
// "Counting by branches") read these composite indexes as covering indexes (the id is the rowid):
// - `visits IS NULL` / `visits >= n` with a city test (a negated visits rule beside a city rule);
// - `inactiveDays >= n` counted as `last_order_at <= b` + `last_order_at IS NULL AND created_at <= b`.
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.run(sql`CREATE INDEX IF NOT EXISTS customers_visits_city_idx ON customers (visits, city);`)
  await db.run(sql`CREATE INDEX IF NOT EXISTS customers_last_order_created_idx ON customers (last_order_at, created_at);`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.run(sql`DROP INDEX IF EXISTS customers_last_order_created_idx;`)
  await db.run(sql`DROP INDEX IF EXISTS customers_visits_city_idx;`)
}
