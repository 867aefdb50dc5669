import type { MigrateDownArgs, MigrateUpArgs } from '@payloadcms/db-sqlite'

import { sql } from '@payloadcms/db-sqlite'

// Hand-written (segments): tag rules look up `customers_texts` by tag text and need only the
// customer id. This partial index answers `path = 'tags' AND text IN (…)` as a covering index
// (no row lookups in the side table); docs/segments.md has the plans.
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.run(sql`CREATE INDEX IF NOT EXISTS customers_texts_tag_parent_idx ON customers_texts (text, parent_id) WHERE path = 'tags';`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.run(sql`DROP INDEX IF EXISTS customers_texts_tag_parent_idx;`)
}
