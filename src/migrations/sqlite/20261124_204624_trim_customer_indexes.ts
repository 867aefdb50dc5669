import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`DROP INDEX \`customers_name_idx\`;`)
  await db.run(sql`DROP INDEX \`customers_phone_idx\`;`)
  await db.run(sql`DROP INDEX \`customers_marketing_opt_out_idx\`;`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`CREATE INDEX \`customers_name_idx\` ON \`customers\` (\`name\`);`)
  await db.run(sql`CREATE INDEX \`customers_phone_idx\` ON \`customers\` (\`phone\`);`)
  await db.run(sql`CREATE INDEX \`customers_marketing_opt_out_idx\` ON \`customers\` (\`marketing_opt_out\`);`)
}
