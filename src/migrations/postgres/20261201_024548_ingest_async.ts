import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

export async function up({ db, payload, req }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   CREATE TYPE "public"."enum_imports_kind" AS ENUM('customers', 'orders');
  CREATE TYPE "public"."enum_imports_status" AS ENUM('queued', 'processing', 'done', 'failed');
  CREATE TYPE "public"."enum_ingest_batches_kind" AS ENUM('customers', 'orders');
  CREATE TYPE "public"."enum_ingest_batches_status" AS ENUM('queued', 'processing', 'done', 'failed');
  CREATE TABLE "imports" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"file_name" varchar,
  	"kind" "enum_imports_kind" NOT NULL,
  	"created_by" varchar,
  	"status" "enum_imports_status" DEFAULT 'queued' NOT NULL,
  	"bytes" numeric DEFAULT 0,
  	"rows" numeric DEFAULT 0,
  	"created" numeric DEFAULT 0,
  	"updated" numeric DEFAULT 0,
  	"unchanged" numeric DEFAULT 0,
  	"failed" numeric DEFAULT 0,
  	"rows_per_second" numeric,
  	"duration_ms" numeric,
  	"started_at" timestamp(3) with time zone,
  	"finished_at" timestamp(3) with time zone,
  	"attempts" numeric DEFAULT 0,
  	"error_summary" varchar,
  	"errors" jsonb,
  	"warnings" jsonb,
  	"run_token" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "ingest_batches" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"kind" "enum_ingest_batches_kind" NOT NULL,
  	"status" "enum_ingest_batches_status" DEFAULT 'queued' NOT NULL,
  	"created_by" varchar,
  	"accepted" numeric DEFAULT 0,
  	"rejected" numeric DEFAULT 0,
  	"persisted" numeric DEFAULT 0,
  	"failed" numeric DEFAULT 0,
  	"chunks_done" numeric DEFAULT 0,
  	"errors" jsonb,
  	"reason" varchar,
  	"started_at" timestamp(3) with time zone,
  	"finished_at" timestamp(3) with time zone,
  	"run_token" varchar,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  CREATE TABLE "crm_staging_chunks" (
  	"id" serial PRIMARY KEY NOT NULL,
  	"owner" varchar NOT NULL,
  	"seq" numeric NOT NULL,
  	"records" numeric DEFAULT 0,
  	"data" varchar NOT NULL,
  	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
  	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
  );
  
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "imports_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "ingest_batches_id" integer;
  ALTER TABLE "payload_locked_documents_rels" ADD COLUMN "crm_staging_chunks_id" integer;
  CREATE INDEX "imports_status_idx" ON "imports" USING btree ("status");
  CREATE INDEX "imports_updated_at_idx" ON "imports" USING btree ("updated_at");
  CREATE INDEX "imports_created_at_idx" ON "imports" USING btree ("created_at");
  CREATE INDEX "ingest_batches_status_idx" ON "ingest_batches" USING btree ("status");
  CREATE INDEX "ingest_batches_updated_at_idx" ON "ingest_batches" USING btree ("updated_at");
  CREATE INDEX "ingest_batches_created_at_idx" ON "ingest_batches" USING btree ("created_at");
  CREATE INDEX "crm_staging_chunks_owner_idx" ON "crm_staging_chunks" USING btree ("owner");
  CREATE INDEX "crm_staging_chunks_updated_at_idx" ON "crm_staging_chunks" USING btree ("updated_at");
  CREATE INDEX "crm_staging_chunks_created_at_idx" ON "crm_staging_chunks" USING btree ("created_at");
  CREATE UNIQUE INDEX "owner_seq_idx" ON "crm_staging_chunks" USING btree ("owner","seq");
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_imports_fk" FOREIGN KEY ("imports_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_ingest_batches_fk" FOREIGN KEY ("ingest_batches_id") REFERENCES "public"."ingest_batches"("id") ON DELETE cascade ON UPDATE no action;
  ALTER TABLE "payload_locked_documents_rels" ADD CONSTRAINT "payload_locked_documents_rels_crm_staging_chunks_fk" FOREIGN KEY ("crm_staging_chunks_id") REFERENCES "public"."crm_staging_chunks"("id") ON DELETE cascade ON UPDATE no action;
  CREATE INDEX "payload_locked_documents_rels_imports_id_idx" ON "payload_locked_documents_rels" USING btree ("imports_id");
  CREATE INDEX "payload_locked_documents_rels_ingest_batches_id_idx" ON "payload_locked_documents_rels" USING btree ("ingest_batches_id");
  CREATE INDEX "payload_locked_documents_rels_crm_staging_chunks_id_idx" ON "payload_locked_documents_rels" USING btree ("crm_staging_chunks_id");`)
}

export async function down({ db, payload, req }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "imports" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "ingest_batches" DISABLE ROW LEVEL SECURITY;
  ALTER TABLE "crm_staging_chunks" DISABLE ROW LEVEL SECURITY;
  DROP TABLE "imports" CASCADE;
  DROP TABLE "ingest_batches" CASCADE;
  DROP TABLE "crm_staging_chunks" CASCADE;
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_imports_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_ingest_batches_fk";
  
  ALTER TABLE "payload_locked_documents_rels" DROP CONSTRAINT "payload_locked_documents_rels_crm_staging_chunks_fk";
  
  DROP INDEX "payload_locked_documents_rels_imports_id_idx";
  DROP INDEX "payload_locked_documents_rels_ingest_batches_id_idx";
  DROP INDEX "payload_locked_documents_rels_crm_staging_chunks_id_idx";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "imports_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "ingest_batches_id";
  ALTER TABLE "payload_locked_documents_rels" DROP COLUMN "crm_staging_chunks_id";
  DROP TYPE "public"."enum_imports_kind";
  DROP TYPE "public"."enum_imports_status";
  DROP TYPE "public"."enum_ingest_batches_kind";
  DROP TYPE "public"."enum_ingest_batches_status";`)
}
