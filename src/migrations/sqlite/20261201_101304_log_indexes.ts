import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`DROP INDEX \`communication_logs_status_idx\`;`)
  await db.run(sql`DROP INDEX \`communication_logs_updated_at_idx\`;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`CREATE INDEX \`communication_logs_status_idx\` ON \`communication_logs\` (\`status\`);`)
  await db.run(sql`CREATE INDEX \`communication_logs_updated_at_idx\` ON \`communication_logs\` (\`updated_at\`);`)
}
