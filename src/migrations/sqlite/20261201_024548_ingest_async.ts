import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-sqlite'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.run(sql`CREATE TABLE \`imports\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`file_name\` text,
  	\`kind\` text NOT NULL,
  	\`created_by\` text,
  	\`status\` text DEFAULT 'queued' NOT NULL,
  	\`bytes\` numeric DEFAULT 0,
  	\`rows\` numeric DEFAULT 0,
  	\`created\` numeric DEFAULT 0,
  	\`updated\` numeric DEFAULT 0,
  	\`unchanged\` numeric DEFAULT 0,
  	\`failed\` numeric DEFAULT 0,
  	\`rows_per_second\` numeric,
  	\`duration_ms\` numeric,
  	\`started_at\` text,
  	\`finished_at\` text,
  	\`attempts\` numeric DEFAULT 0,
  	\`error_summary\` text,
  	\`errors\` text,
  	\`warnings\` text,
  	\`run_token\` text,
  	\`updated_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	\`created_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
  );
  `)
  await db.run(sql`CREATE INDEX \`imports_status_idx\` ON \`imports\` (\`status\`);`)
  await db.run(sql`CREATE INDEX \`imports_updated_at_idx\` ON \`imports\` (\`updated_at\`);`)
  await db.run(sql`CREATE INDEX \`imports_created_at_idx\` ON \`imports\` (\`created_at\`);`)
  await db.run(sql`CREATE TABLE \`ingest_batches\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`kind\` text NOT NULL,
  	\`status\` text DEFAULT 'queued' NOT NULL,
  	\`created_by\` text,
  	\`accepted\` numeric DEFAULT 0,
  	\`rejected\` numeric DEFAULT 0,
  	\`persisted\` numeric DEFAULT 0,
  	\`failed\` numeric DEFAULT 0,
  	\`chunks_done\` numeric DEFAULT 0,
  	\`errors\` text,
  	\`reason\` text,
  	\`started_at\` text,
  	\`finished_at\` text,
  	\`run_token\` text,
  	\`updated_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	\`created_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
  );
  `)
  await db.run(sql`CREATE INDEX \`ingest_batches_status_idx\` ON \`ingest_batches\` (\`status\`);`)
  await db.run(sql`CREATE INDEX \`ingest_batches_updated_at_idx\` ON \`ingest_batches\` (\`updated_at\`);`)
  await db.run(sql`CREATE INDEX \`ingest_batches_created_at_idx\` ON \`ingest_batches\` (\`created_at\`);`)
  await db.run(sql`CREATE TABLE \`crm_staging_chunks\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`owner\` text NOT NULL,
  	\`seq\` numeric NOT NULL,
  	\`records\` numeric DEFAULT 0,
  	\`data\` text NOT NULL,
  	\`updated_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
  	\`created_at\` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
  );
  `)
  await db.run(sql`CREATE INDEX \`crm_staging_chunks_owner_idx\` ON \`crm_staging_chunks\` (\`owner\`);`)
  await db.run(sql`CREATE INDEX \`crm_staging_chunks_updated_at_idx\` ON \`crm_staging_chunks\` (\`updated_at\`);`)
  await db.run(sql`CREATE INDEX \`crm_staging_chunks_created_at_idx\` ON \`crm_staging_chunks\` (\`created_at\`);`)
  await db.run(sql`CREATE UNIQUE INDEX \`owner_seq_idx\` ON \`crm_staging_chunks\` (\`owner\`,\`seq\`);`)
  await db.run(sql`ALTER TABLE \`payload_locked_documents_rels\` ADD \`imports_id\` integer REFERENCES imports(id);`)
  await db.run(sql`ALTER TABLE \`payload_locked_documents_rels\` ADD \`ingest_batches_id\` integer REFERENCES ingest_batches(id);`)
  await db.run(sql`ALTER TABLE \`payload_locked_documents_rels\` ADD \`crm_staging_chunks_id\` integer REFERENCES crm_staging_chunks(id);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_imports_id_idx\` ON \`payload_locked_documents_rels\` (\`imports_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_ingest_batches_id_idx\` ON \`payload_locked_documents_rels\` (\`ingest_batches_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_crm_staging_chunks_id_idx\` ON \`payload_locked_documents_rels\` (\`crm_staging_chunks_id\`);`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.run(sql`DROP TABLE \`imports\`;`)
  await db.run(sql`DROP TABLE \`ingest_batches\`;`)
  await db.run(sql`DROP TABLE \`crm_staging_chunks\`;`)
  await db.run(sql`PRAGMA foreign_keys=OFF;`)
  await db.run(sql`CREATE TABLE \`__new_payload_locked_documents_rels\` (
  	\`id\` integer PRIMARY KEY NOT NULL,
  	\`order\` integer,
  	\`parent_id\` integer NOT NULL,
  	\`path\` text NOT NULL,
  	\`users_id\` integer,
  	\`customers_id\` integer,
  	\`orders_id\` integer,
  	\`segments_id\` integer,
  	\`campaigns_id\` integer,
  	\`communication_logs_id\` integer,
  	FOREIGN KEY (\`parent_id\`) REFERENCES \`payload_locked_documents\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`users_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`customers_id\`) REFERENCES \`customers\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`orders_id\`) REFERENCES \`orders\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`segments_id\`) REFERENCES \`segments\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`campaigns_id\`) REFERENCES \`campaigns\`(\`id\`) ON UPDATE no action ON DELETE cascade,
  	FOREIGN KEY (\`communication_logs_id\`) REFERENCES \`communication_logs\`(\`id\`) ON UPDATE no action ON DELETE cascade
  );
  `)
  await db.run(sql`INSERT INTO \`__new_payload_locked_documents_rels\`("id", "order", "parent_id", "path", "users_id", "customers_id", "orders_id", "segments_id", "campaigns_id", "communication_logs_id") SELECT "id", "order", "parent_id", "path", "users_id", "customers_id", "orders_id", "segments_id", "campaigns_id", "communication_logs_id" FROM \`payload_locked_documents_rels\`;`)
  await db.run(sql`DROP TABLE \`payload_locked_documents_rels\`;`)
  await db.run(sql`ALTER TABLE \`__new_payload_locked_documents_rels\` RENAME TO \`payload_locked_documents_rels\`;`)
  await db.run(sql`PRAGMA foreign_keys=ON;`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_order_idx\` ON \`payload_locked_documents_rels\` (\`order\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_parent_idx\` ON \`payload_locked_documents_rels\` (\`parent_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_path_idx\` ON \`payload_locked_documents_rels\` (\`path\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_users_id_idx\` ON \`payload_locked_documents_rels\` (\`users_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_customers_id_idx\` ON \`payload_locked_documents_rels\` (\`customers_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_orders_id_idx\` ON \`payload_locked_documents_rels\` (\`orders_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_segments_id_idx\` ON \`payload_locked_documents_rels\` (\`segments_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_campaigns_id_idx\` ON \`payload_locked_documents_rels\` (\`campaigns_id\`);`)
  await db.run(sql`CREATE INDEX \`payload_locked_documents_rels_communication_logs_id_idx\` ON \`payload_locked_documents_rels\` (\`communication_logs_id\`);`)
}
