import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`PRAGMA foreign_keys=OFF;`)
  await db.run(sql`CREATE TABLE \`__new_communication_logs\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`campaign_id\` integer NOT NULL,
  	\`customer_id\` integer,
  	\`recipient\` text,
  	\`message\` text,
  	\`status\` text DEFAULT 'pending' NOT NULL,
  	\`vendor_message_id\` text,
  	\`attempts\` numeric DEFAULT 0,
  	\`error\` text,
  	\`sent_at\` text,
  	\`delivered_at\` text,
  	\`updated_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	\`created_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	FOREIGN KEY (\`campaign_id\`) REFERENCES \`campaigns\`(\`id\`) ON UPDATE no action ON DELETE set null,
  	FOREIGN KEY (\`customer_id\`) REFERENCES \`customers\`(\`id\`) ON UPDATE no action ON DELETE set null
  );
  `)
  await db.run(sql`INSERT INTO \`__new_communication_logs\`("id", "campaign_id", "customer_id", "recipient", "message", "status", "vendor_message_id", "attempts", "error", "sent_at", "delivered_at", "updated_at", "created_at") SELECT "id", "campaign_id", "customer_id", "recipient", "message", "status", "vendor_message_id", "attempts", "error", "sent_at", "delivered_at", "updated_at", "created_at" FROM \`communication_logs\`;`)
  await db.run(sql`DROP TABLE \`communication_logs\`;`)
  await db.run(sql`ALTER TABLE \`__new_communication_logs\` RENAME TO \`communication_logs\`;`)
  await db.run(sql`PRAGMA foreign_keys=ON;`)
  await db.run(sql`CREATE INDEX \`communication_logs_campaign_idx\` ON \`communication_logs\` (\`campaign_id\`);`)
  await db.run(sql`CREATE INDEX \`communication_logs_customer_idx\` ON \`communication_logs\` (\`customer_id\`);`)
  await db.run(sql`CREATE INDEX \`communication_logs_status_idx\` ON \`communication_logs\` (\`status\`);`)
  await db.run(sql`CREATE UNIQUE INDEX \`communication_logs_vendor_message_id_idx\` ON \`communication_logs\` (\`vendor_message_id\`);`)
  await db.run(sql`CREATE INDEX \`communication_logs_updated_at_idx\` ON \`communication_logs\` (\`updated_at\`);`)
  await db.run(sql`CREATE INDEX \`communication_logs_created_at_idx\` ON \`communication_logs\` (\`created_at\`);`)
  await db.run(sql`CREATE UNIQUE INDEX \`campaign_customer_idx\` ON \`communication_logs\` (\`campaign_id\`,\`customer_id\`);`)
  await db.run(sql`ALTER TABLE \`users\` ADD \`first_user\` integer;`)
  await db.run(sql`CREATE UNIQUE INDEX \`users_first_user_idx\` ON \`users\` (\`first_user\`);`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`DROP INDEX \`users_first_user_idx\`;`)
  await db.run(sql`ALTER TABLE \`users\` DROP COLUMN \`first_user\`;`)
  await db.run(sql`PRAGMA foreign_keys=OFF;`)
  await db.run(sql`CREATE TABLE \`__new_communication_logs\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`campaign_id\` integer NOT NULL,
  	\`customer_id\` integer NOT NULL,
  	\`recipient\` text NOT NULL,
  	\`message\` text,
  	\`status\` text DEFAULT 'pending' NOT NULL,
  	\`vendor_message_id\` text,
  	\`attempts\` numeric DEFAULT 0,
  	\`error\` text,
  	\`sent_at\` text,
  	\`delivered_at\` text,
  	\`updated_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	\`created_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	FOREIGN KEY (\`campaign_id\`) REFERENCES \`campaigns\`(\`id\`) ON UPDATE no action ON DELETE set null,
  	FOREIGN KEY (\`customer_id\`) REFERENCES \`customers\`(\`id\`) ON UPDATE no action ON DELETE set null
  );
  `)
  await db.run(sql`INSERT INTO \`__new_communication_logs\`("id", "campaign_id", "customer_id", "recipient", "message", "status", "vendor_message_id", "attempts", "error", "sent_at", "delivered_at", "updated_at", "created_at") SELECT "id", "campaign_id", "customer_id", "recipient", "message", "status", "vendor_message_id", "attempts", "error", "sent_at", "delivered_at", "updated_at", "created_at" FROM \`communication_logs\`;`)
  await db.run(sql`DROP TABLE \`communication_logs\`;`)
  await db.run(sql`ALTER TABLE \`__new_communication_logs\` RENAME TO \`communication_logs\`;`)
  await db.run(sql`PRAGMA foreign_keys=ON;`)
  await db.run(sql`CREATE INDEX \`communication_logs_campaign_idx\` ON \`communication_logs\` (\`campaign_id\`);`)
  await db.run(sql`CREATE INDEX \`communication_logs_customer_idx\` ON \`communication_logs\` (\`customer_id\`);`)
  await db.run(sql`CREATE INDEX \`communication_logs_status_idx\` ON \`communication_logs\` (\`status\`);`)
  await db.run(sql`CREATE UNIQUE INDEX \`communication_logs_vendor_message_id_idx\` ON \`communication_logs\` (\`vendor_message_id\`);`)
  await db.run(sql`CREATE INDEX \`communication_logs_updated_at_idx\` ON \`communication_logs\` (\`updated_at\`);`)
  await db.run(sql`CREATE INDEX \`communication_logs_created_at_idx\` ON \`communication_logs\` (\`created_at\`);`)
  await db.run(sql`CREATE UNIQUE INDEX \`campaign_customer_idx\` ON \`communication_logs\` (\`campaign_id\`,\`customer_id\`);`)
}
