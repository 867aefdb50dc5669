import type { Payload, PayloadRequest } from 'payload'
import type { SQL } from 'drizzle-orm'

import { sql } from 'drizzle-orm'

import type { SqlDialect } from './connection.js'

import { pgSchemaPrefix, runSql, sqlDialectOf } from './connection.js'

/**
 * The campaign editor's set-based reads (docs/campaigns.md, "The campaign editor"): audience size
 * with the opted-out count, sample customers, and a campaign's report (status counts and delivery
 * over time) — each one statement on SQLite or PostgreSQL, never rows loaded into JavaScript.
 */

type Db = { dialect: SqlDialect; payload: Payload; req?: Partial<PayloadRequest>; t: (name: string) => SQL }

const dbOf = (payload: Payload, req?: Partial<PayloadRequest>): Db => {
  const dialect = sqlDialectOf(payload)
  if (!dialect) throw new Error('The campaign editor’s queries need SQLite or PostgreSQL')
  const p = dialect === 'postgres' ? pgSchemaPrefix(payload) : ''
  return { dialect, payload, req, t: (name) => sql.raw(`${p}"${name}"`) }
}

const run = <Row>(db: Db, query: SQL) => runSql<Row>({ payload: db.payload, query, req: db.req })

/** An audience as the editor holds it: a segment's compiled rule (customer aliased `c`) or picked ids (saved or not). */
export type EditorAudience = { ctes: SQL[]; kind: 'rule'; where: SQL } | { ids: number[]; kind: 'picked' }

const audienceFrom = (db: Db, audience: EditorAudience): { from: SQL; with: SQL } => {
  if (audience.kind === 'rule') {
    return { from: sql`FROM ${db.t('customers')} c WHERE (${audience.where})`, with: audience.ctes.length ? sql`WITH ${sql.join(audience.ctes, sql`, `)} ` : sql`` }
  }
  const ids = JSON.stringify(audience.ids)
  const list = db.dialect === 'sqlite' ? sql`SELECT CAST(value AS INTEGER) FROM json_each(${ids})` : sql`SELECT (jsonb_array_elements_text(${ids}::jsonb))::int`
  return { from: sql`FROM ${db.t('customers')} c WHERE c."id" IN (${list})`, with: sql`` }
}

const optedOutSql = (db: Db): SQL => (db.dialect === 'sqlite' ? sql`COALESCE(c."marketing_opt_out", 0) = 1` : sql`COALESCE(c."marketing_opt_out", false)`)

/**
 * How many customers a send would reach now (`size`) and how many it would skip for opting out
 * (`skipped`), in one statement. A picked id with no customer counts nowhere.
 */
export const countEditorAudience = async ({ audience, payload, req }: { audience: EditorAudience; payload: Payload; req?: Partial<PayloadRequest> }): Promise<{ size: number; skipped: number }> => {
  const db = dbOf(payload, req)
  if (audience.kind === 'picked' && audience.ids.length === 0) return { size: 0, skipped: 0 }
  const parts = audienceFrom(db, audience)
  const rows = await run<{ n: number | string | null; skipped: number | string | null }>(
    db,
    sql`${parts.with}SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN ${optedOutSql(db)} THEN 1 ELSE 0 END), 0) AS skipped ${parts.from}`,
  )
  const total = Number(rows[0]?.n ?? 0)
  const skipped = Number(rows[0]?.skipped ?? 0)
  return { size: total - skipped, skipped }
}

export type SampleCustomer = { email: null | string; id: number; name: null | string }

/**
 * Up to `limit` customers to preview a message for, lowest id first: members of the audience who
 * would get it (not opted out), or any customers when there is no audience.
 */
export const sampleCustomers = async ({ audience, limit, payload, req }: { audience: EditorAudience | null; limit: number; payload: Payload; req?: Partial<PayloadRequest> }): Promise<SampleCustomer[]> => {
  const db = dbOf(payload, req)
  const parts = audience ? audienceFrom(db, audience) : { from: sql`FROM ${db.t('customers')} c WHERE 1 = 1`, with: sql`` }
  const rows = await run<{ email: null | string; id: number | string; name: null | string }>(
    db,
    sql`${parts.with}SELECT c."id" AS id, c."name" AS name, c."email" AS email ${parts.from}${audience ? sql` AND NOT (${optedOutSql(db)})` : sql``} ORDER BY c."id" LIMIT ${limit}`,
  )
  return rows.map((row) => ({ email: row.email, id: Number(row.id), name: row.name }))
}

export type DeliveryPoint = { at: string; delivered: number; failed: number; sent: number }
export type CampaignLogCounts = { audience: number; delivered: number; failed: number; pending: number; sent: number }

/** Milliseconds since the epoch of a timestamp column, as a number, in SQL. */
const epochMs = (db: Db, column: SQL): SQL =>
  db.dialect === 'sqlite' ? sql`CAST(ROUND((julianday(${column}) - 2440587.5) * 86400000) AS INTEGER)` : sql`(EXTRACT(EPOCH FROM ${column}) * 1000)::bigint`

/**
 * A campaign's log counts (read only: the stored stats are not touched) and its delivery over time:
 * messages sent, delivered and failed per time bucket, from the first send to the last outcome, in
 * at most `buckets` equal buckets (at least one second each). Failures are placed at the log's last
 * change. Empty buckets are kept, so the chart's time axis is even.
 */
export const campaignReportQuery = async ({
  buckets = 24,
  campaignId,
  payload,
  req,
}: {
  buckets?: number
  campaignId: number | string
  payload: Payload
  req?: Partial<PayloadRequest>
}): Promise<{ bucketMs: number; counts: CampaignLogCounts; points: DeliveryPoint[] }> => {
  const db = dbOf(payload, req)
  const id = Number(campaignId)
  const logs = db.t('communication_logs')
  const failedAt = sql`CASE WHEN "status" = 'failed' THEN "updated_at" END`
  const rows = await run<Record<string, number | string | null>>(
    db,
    sql`SELECT COUNT(*) AS audience,
          COALESCE(SUM(CASE WHEN "status" IN ('sent', 'delivered') THEN 1 ELSE 0 END), 0) AS sent,
          COALESCE(SUM(CASE WHEN "status" = 'delivered' THEN 1 ELSE 0 END), 0) AS delivered,
          COALESCE(SUM(CASE WHEN "status" = 'failed' THEN 1 ELSE 0 END), 0) AS failed,
          COALESCE(SUM(CASE WHEN "status" = 'pending' THEN 1 ELSE 0 END), 0) AS pending,
          MIN(${epochMs(db, sql`"sent_at"`)}) AS first_sent,
          MIN(${epochMs(db, failedAt)}) AS first_failed,
          MAX(${epochMs(db, sql`"sent_at"`)}) AS last_sent,
          MAX(${epochMs(db, sql`"delivered_at"`)}) AS last_delivered,
          MAX(${epochMs(db, failedAt)}) AS last_failed
        FROM ${logs} WHERE "campaign_id" = ${id}`,
  )
  const row = rows[0] ?? {}
  const n = (key: string) => Number(row[key] ?? 0)
  const counts = { audience: n('audience'), delivered: n('delivered'), failed: n('failed'), pending: n('pending'), sent: n('sent') }
  const times = (keys: string[]) => keys.map((key) => row[key]).filter((v): v is number | string => v !== null && v !== undefined).map(Number)
  const starts = times(['first_sent', 'first_failed'])
  const ends = times(['last_sent', 'last_delivered', 'last_failed'])
  if (starts.length === 0) return { bucketMs: 0, counts, points: [] }
  const start = Math.min(...starts)
  const end = Math.max(start, ...ends)
  const bucketMs = Math.max(1000, Math.ceil((end - start + 1) / Math.max(1, buckets) / 1000) * 1000)
  const count = Math.floor((end - start) / bucketMs) + 1
  const bucketOf = (column: SQL) => sql`((${epochMs(db, column)} - ${start}) / ${bucketMs})`
  const series = await run<{ b: number | string; kind: string; n: number | string }>(
    db,
    sql`SELECT 'sent' AS kind, ${bucketOf(sql`"sent_at"`)} AS b, COUNT(*) AS n FROM ${logs} WHERE "campaign_id" = ${id} AND "sent_at" IS NOT NULL GROUP BY 2
        UNION ALL
        SELECT 'delivered', ${bucketOf(sql`"delivered_at"`)}, COUNT(*) FROM ${logs} WHERE "campaign_id" = ${id} AND "delivered_at" IS NOT NULL AND "status" = 'delivered' GROUP BY 2
        UNION ALL
        SELECT 'failed', ${bucketOf(sql`"updated_at"`)}, COUNT(*) FROM ${logs} WHERE "campaign_id" = ${id} AND "status" = 'failed' GROUP BY 2`,
  )
  const points: DeliveryPoint[] = Array.from({ length: count }, (_, i) => ({ at: new Date(start + i * bucketMs).toISOString(), delivered: 0, failed: 0, sent: 0 }))
  for (const item of series) {
    // A delivery receipt timed before the first send (vendor clocks) lands in the first bucket.
    const index = Math.min(count - 1, Math.max(0, Math.floor(Number(item.b))))
    const point = points[index]!
    const kind = item.kind as 'delivered' | 'failed' | 'sent'
    point[kind] += Number(item.n)
  }
  return { bucketMs, counts, points }
}
