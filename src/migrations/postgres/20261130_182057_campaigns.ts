import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "campaigns" ADD COLUMN "status_reason" varchar;
  ALTER TABLE "campaigns" ADD COLUMN "audience_at" timestamp(3) with time zone;
  ALTER TABLE "campaigns" ADD COLUMN "snapshot_at" timestamp(3) with time zone;
  ALTER TABLE "communication_logs" ADD COLUMN "reference" varchar;
  ALTER TABLE "communication_logs" ADD COLUMN "claimed_by" varchar;
  ALTER TABLE "communication_logs" ADD COLUMN "claimed_until" timestamp(3) with time zone;
  CREATE UNIQUE INDEX "communication_logs_reference_idx" ON "communication_logs" USING btree ("reference");
  CREATE INDEX "campaign_status_idx" ON "communication_logs" USING btree ("campaign_id","status");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX "communication_logs_reference_idx";
  DROP INDEX "campaign_status_idx";
  ALTER TABLE "campaigns" DROP COLUMN "status_reason";
  ALTER TABLE "campaigns" DROP COLUMN "audience_at";
  ALTER TABLE "campaigns" DROP COLUMN "snapshot_at";
  ALTER TABLE "communication_logs" DROP COLUMN "reference";
  ALTER TABLE "communication_logs" DROP COLUMN "claimed_by";
  ALTER TABLE "communication_logs" DROP COLUMN "claimed_until";`)
}
