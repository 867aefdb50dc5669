import type { MigrateDownArgs, MigrateUpArgs } from '@payloadcms/db-postgres'

import { sql } from '@payloadcms/db-postgres'

// Hand-written: Payload gives hasMany text side tables no index that starts with parent_id, so
// loading or filtering a customer's tags scanned the whole side table.
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`CREATE INDEX IF NOT EXISTS "customers_texts_parent_id_idx" ON "customers_texts" USING btree ("parent_id", "path");`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`DROP INDEX IF EXISTS "customers_texts_parent_id_idx";`)
}
