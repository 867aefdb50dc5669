import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "communication_logs" ALTER COLUMN "customer_id" DROP NOT NULL;
  ALTER TABLE "communication_logs" ALTER COLUMN "recipient" DROP NOT NULL;
  ALTER TABLE "users" ADD COLUMN "first_user" boolean;
  CREATE UNIQUE INDEX "users_first_user_idx" ON "users" USING btree ("first_user");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP INDEX "users_first_user_idx";
  ALTER TABLE "communication_logs" ALTER COLUMN "customer_id" SET NOT NULL;
  ALTER TABLE "communication_logs" ALTER COLUMN "recipient" SET NOT NULL;
  ALTER TABLE "users" DROP COLUMN "first_user";`)
}
