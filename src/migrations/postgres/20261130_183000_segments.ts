import type { MigrateDownArgs, MigrateUpArgs } from '@payloadcms/db-postgres'

import { sql } from '@payloadcms/db-postgres'

// Hand-written (segments): tag rules look up `customers_texts` by tag text and need only the
// customer id. This partial index answers `path = 'tags' AND text IN (…)` with an index-only scan
// (no visit to the side table's heap); docs/segments.md has the plans.
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`CREATE INDEX IF NOT EXISTS "customers_texts_tag_parent_idx" ON "customers_texts" USING btree ("text", "parent_id") WHERE "path" = 'tags';`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`DROP INDEX IF EXISTS "customers_texts_tag_parent_idx";`)
}
