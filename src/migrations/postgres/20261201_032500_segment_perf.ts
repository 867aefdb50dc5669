import type { MigrateDownArgs, MigrateUpArgs } from '@payloadcms/db-postgres'

import { sql } from '@payloadcms/db-postgres'

// Hand-written (segment speed): counts split into index-bounded branches (docs/segments.md,
// "Counting by branches") read these composite indexes index-only:
// - `visits IS NULL` / `visits >= n` with a city test (a negated visits rule beside a city rule);
//   `id` included for branches counted as a UNION of ids;
// - `inactiveDays >= n` counted as `last_order_at <= b` + `last_order_at IS NULL AND created_at <= b`.
// (visits), (total_spend), (order_count), (last_order_at), (last_visit_at), (created_at) and (city)
// already have single-column indexes from the generated schema.
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`CREATE INDEX IF NOT EXISTS "customers_visits_city_idx" ON "customers" USING btree ("visits", "city") INCLUDE ("id");`)
  await db.execute(sql`CREATE INDEX IF NOT EXISTS "customers_last_order_created_idx" ON "customers" USING btree ("last_order_at", "created_at") INCLUDE ("id");`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`DROP INDEX IF EXISTS "customers_last_order_created_idx";`)
  await db.execute(sql`DROP INDEX IF EXISTS "customers_visits_city_idx";`)
}
