import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

// Generated (the two indexes nothing reads; each was rewritten by every non-HOT log update), plus by
// hand: free space in each log page (fillfactor 80), so the dispatcher's claim and lease renewal —
// updates of unindexed columns — are HOT updates that touch no index at all; and the pending logs
// of a campaign in id order, for the claim (a btree on (campaign_id, status) keeps equal keys in
// heap order, not id order, so the claim otherwise walks the primary key past every log already
// sent; SQLite's index ends in the rowid and needs no such index). docs/campaigns.md.
export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX "communication_logs_status_idx";
  DROP INDEX "communication_logs_updated_at_idx";`)
  await db.execute(sql`ALTER TABLE "communication_logs" SET (fillfactor = 80);`)
  await db.execute(sql`CREATE INDEX IF NOT EXISTS "communication_logs_pending_claim_idx" ON "communication_logs" USING btree ("campaign_id", "id") WHERE "status" = 'pending';`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`DROP INDEX IF EXISTS "communication_logs_pending_claim_idx";`)
  await db.execute(sql`ALTER TABLE "communication_logs" RESET (fillfactor);`)
  await db.execute(sql`
   CREATE INDEX "communication_logs_status_idx" ON "communication_logs" USING btree ("status");
  CREATE INDEX "communication_logs_updated_at_idx" ON "communication_logs" USING btree ("updated_at");`)
}
