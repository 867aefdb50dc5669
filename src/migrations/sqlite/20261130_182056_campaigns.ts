import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`ALTER TABLE \`campaigns\` ADD \`status_reason\` text;`)
  await db.run(sql`ALTER TABLE \`campaigns\` ADD \`audience_at\` text;`)
  await db.run(sql`ALTER TABLE \`campaigns\` ADD \`snapshot_at\` text;`)
  await db.run(sql`ALTER TABLE \`communication_logs\` ADD \`reference\` text;`)
  await db.run(sql`ALTER TABLE \`communication_logs\` ADD \`claimed_by\` text;`)
  await db.run(sql`ALTER TABLE \`communication_logs\` ADD \`claimed_until\` text;`)
  await db.run(sql`CREATE UNIQUE INDEX \`communication_logs_reference_idx\` ON \`communication_logs\` (\`reference\`);`)
  await db.run(sql`CREATE INDEX \`campaign_status_idx\` ON \`communication_logs\` (\`campaign_id\`,\`status\`);`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`DROP INDEX \`communication_logs_reference_idx\`;`)
  await db.run(sql`DROP INDEX \`campaign_status_idx\`;`)
  await db.run(sql`ALTER TABLE \`communication_logs\` DROP COLUMN \`reference\`;`)
  await db.run(sql`ALTER TABLE \`communication_logs\` DROP COLUMN \`claimed_by\`;`)
  await db.run(sql`ALTER TABLE \`communication_logs\` DROP COLUMN \`claimed_until\`;`)
  await db.run(sql`ALTER TABLE \`campaigns\` DROP COLUMN \`status_reason\`;`)
  await db.run(sql`ALTER TABLE \`campaigns\` DROP COLUMN \`audience_at\`;`)
  await db.run(sql`ALTER TABLE \`campaigns\` DROP COLUMN \`snapshot_at\`;`)
}
