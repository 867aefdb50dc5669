import type { Payload, PayloadRequest } from 'payload'
import type { SQL } from 'drizzle-orm'

import { sql } from 'drizzle-orm'

import type { SqlDialect } from './connection.js'
import type { Id } from './types.js'

import { pgSchemaPrefix, runSql, runSqlCount, sqlDialectOf, withPgTransaction } from './connection.js'

/**
 * The send pipeline's SQL (docs/campaigns.md): the audience snapshot, batch claims, sent records,
 * receipts, the stats roll-up and the shared rate window. Every statement is set-based: one per
 * batch, never one per recipient. SQLite and PostgreSQL only (the pipeline needs SQL).
 */

type Db = { dialect: SqlDialect; p: string; payload: Payload; t: (name: string) => SQL }

const dbOf = (payload: Payload): Db => {
  const dialect = sqlDialectOf(payload)
  if (!dialect) throw new Error('The campaign send pipeline needs SQLite or PostgreSQL')
  const p = dialect === 'postgres' ? pgSchemaPrefix(payload) : ''
  return { dialect, p, payload, t: (name) => sql.raw(`${p}"${name}"`) }
}

const run = <Row = Record<string, unknown>>(db: Db, query: SQL, req?: Partial<PayloadRequest>) => runSql<Row>({ payload: db.payload, query, req })

/** A JSON parameter as a table of values: `json_each` on SQLite, `jsonb_array_elements` on PostgreSQL. */
const jsonRows = (db: Db, value: unknown): SQL =>
  db.dialect === 'sqlite' ? sql`json_each(${JSON.stringify(value)})` : sql`jsonb_array_elements(${JSON.stringify(value)}::jsonb)`

/** Reads `key` of a JSON row from `jsonRows` aliased `j` as text. */
const jtext = (db: Db, key: string): SQL =>
  db.dialect === 'sqlite' ? sql.raw(`json_extract(j.value, '$.${key}')`) : sql.raw(`(j.value ->> '${key}')`)

const ts = (db: Db, iso: string): SQL => (db.dialect === 'sqlite' ? sql`${iso}` : sql`${iso}::timestamptz`)

const nowIso = (): string => new Date().toISOString()

/** A log status expression as the column's type (PostgreSQL keeps it as an enum; text has no implicit cast). */
const asLogStatus = (db: Db, expr: SQL): SQL => (db.dialect === 'sqlite' ? expr : sql`(${expr})::${sql.raw(`${db.p}"enum_communication_logs_status"`)}`)

/** The log status column read as text (so CASE branches mixing it with text agree on PostgreSQL). */
const statusText = (db: Db, l: SQL): SQL => (db.dialect === 'sqlite' ? sql`${l}."status"` : sql`${l}."status"::text`)

type InputColumn = { name: string; type: 'int' | 'text' | 'ts' }

/**
 * A batch of input rows as the table `j` (a CTE) with typed columns. On SQLite it is MATERIALIZED:
 * joined straight to `json_each`, the planner rescans every log of the table per batch (RECIPES.md).
 */
const inputTable = (db: Db, rows: Record<string, unknown>[], columns: InputColumn[]): SQL => {
  const json = JSON.stringify(rows)
  if (db.dialect === 'sqlite') {
    // A column no row has is a constant NULL: each json_extract parses the row's JSON text again.
    const present = new Set<string>()
    for (const row of rows) for (const key in row) present.add(key)
    const cols = columns.map((c) => (present.has(c.name) ? `json_extract(value, '$.${c.name}') AS "${c.name}"` : `NULL AS "${c.name}"`)).join(', ')
    return sql`j AS MATERIALIZED (SELECT ${sql.raw(cols)} FROM json_each(${json}))`
  }
  const types = { int: 'integer', text: 'text', ts: 'timestamptz' } as const
  const cols = columns.map((c) => `"${c.name}" ${types[c.type]}`).join(', ')
  return sql`j AS (SELECT * FROM jsonb_to_recordset(${json}::jsonb) AS r(${sql.raw(cols)}))`
}

/**
 * One set-based UPDATE of the logs matched (by `id` or `reference`) to a batch of input rows; `set`
 * reads the log as `l` and its input row as `k`. On PostgreSQL the matched logs are first locked in
 * id order (`ORDER BY id FOR UPDATE` in a CTE): two batch updates that share logs (the dispatcher
 * recording answers, the receipts endpoint applying outcomes) then wait for each other instead of
 * each locking in its own join order and deadlocking.
 */
const updateLogsFrom = (
  db: Db,
  {
    columns,
    match,
    returning,
    rows,
    set,
    where,
    whereInput,
  }: {
    columns: InputColumn[]
    match: 'id' | 'reference'
    returning?: SQL
    rows: Record<string, unknown>[]
    set: SQL
    where?: SQL
    /** A condition on the log (`l`) and its input row, named by the alias given. */
    whereInput?: (input: SQL) => SQL
  },
): SQL => {
  const logs = db.t('communication_logs')
  const l = logAlias(db)
  const key = match === 'id' ? sql.raw(`"id"`) : sql.raw(`"ref"`)
  const extra = (input: SQL) => sql`${where ? sql` AND ${where}` : sql``}${whereInput ? sql` AND ${whereInput(input)}` : sql``}`
  const tail = returning ? sql` RETURNING ${returning}` : sql``
  if (db.dialect === 'sqlite') {
    return sql`WITH ${inputTable(db, rows, columns)} UPDATE ${logs} SET ${set} FROM j AS k WHERE ${l}.${sql.raw(`"${match}"`)} = k.${key}${extra(sql.raw('k'))}${tail}`
  }
  return sql`WITH ${inputTable(db, rows, columns)},
      k AS (SELECT l."id" AS "lid", j.* FROM ${logs} AS l JOIN j ON l.${sql.raw(`"${match}"`)} = j.${key} WHERE TRUE${extra(sql.raw('j'))} ORDER BY l."id" FOR UPDATE OF l)
    UPDATE ${logs} AS l SET ${set} FROM k WHERE l."id" = k."lid"${extra(sql.raw('k'))}${tail}`
}

/** How the statements above name the log being updated. */
const logAlias = (db: Db): SQL => sql.raw(db.dialect === 'sqlite' ? `"communication_logs"` : `l`)

/** The log reference (idempotency key) of a campaign × customer: stable, so a re-run snapshot writes the same keys. */
export const logReferenceSql = (db: Db, campaignId: number, customerColumn: SQL): SQL => {
  // Written into the statement: better-sqlite3 binds every JavaScript number as a REAL, which SQLite
  // turns into text as `5.0` (references written that way before stay valid: see `campaignOfReference`).
  if (!Number.isSafeInteger(campaignId)) throw new TypeError(`A campaign id must be an integer (got ${campaignId})`)
  const id = sql.raw(String(campaignId))
  return db.dialect === 'sqlite' ? sql`('c' || ${id} || '-' || ${customerColumn})` : sql`('c' || ${id} || '-' || ${customerColumn}::text)`
}

/** The campaign a log reference names (`c<campaign>-<customer>`; `c<campaign>.0-…` as SQLite wrote them before), or undefined. */
const campaignOfReference = (reference: string): number | undefined => {
  const match = /^c(\d+)(?:\.0)?-\d+$/.exec(reference)
  return match ? Number(match[1]) : undefined
}

export type SnapshotAudience =
  /** A segment's compiled rule: `ctes` go in a WITH clause, `where` reads the customer as `c`. */
  | { ctes: SQL[]; kind: 'rule'; where: SQL }
  /** The campaign's hand-picked customers (its `customers` relationship). */
  | { kind: 'picked' }

/**
 * Writes one `pending` log per audience member who has not opted out (`INSERT … SELECT`, one row per
 * campaign × customer: a re-run inserts nothing twice), counts the opted-out members, and stores
 * `snapshotAt`, `stats.skipped` and `stats.audience`. Idempotent, so a worker killed half-way can run it again.
 */
export const snapshotCampaignAudience = async ({
  audience,
  campaignId,
  payload,
}: {
  audience: SnapshotAudience
  campaignId: Id
  payload: Payload
}): Promise<{ audience: number; inserted: number; skipped: number }> => {
  const db = dbOf(payload)
  const id = Number(campaignId)
  const now = nowIso()
  const logs = db.t('communication_logs')
  const withSql = audience.kind === 'rule' && audience.ctes.length > 0 ? sql`WITH ${sql.join(audience.ctes, sql`, `)} ` : sql``
  const from =
    audience.kind === 'rule'
      ? sql`FROM ${db.t('customers')} c WHERE (${audience.where})`
      : sql`FROM ${db.t('customers')} c WHERE c."id" IN (SELECT r."customers_id" FROM ${db.t('campaigns_rels')} r WHERE r."parent_id" = ${id} AND r."path" = 'customers')`
  const optedOut = db.dialect === 'sqlite' ? sql`COALESCE(c."marketing_opt_out", 0) = 1` : sql`COALESCE(c."marketing_opt_out", false)`
  const insertInto = (onConflict: boolean) => sql`${withSql}INSERT ${db.dialect === 'sqlite' ? sql`OR IGNORE ` : sql``}INTO ${logs}
      ("campaign_id", "customer_id", "recipient", "status", "reference", "attempts", "updated_at", "created_at")
    SELECT ${id}, c."id", c."email", ${asLogStatus(db, sql`'pending'`)}, ${logReferenceSql(db, id, sql`c."id"`)}, 0, ${ts(db, now)}, ${ts(db, now)}
    ${from} AND NOT (${optedOut})${onConflict ? sql` ON CONFLICT DO NOTHING` : sql``}`
  const count = sql`${withSql}SELECT COUNT(*) AS n ${from} AND (${optedOut})`
  const countLogs = sql`SELECT COUNT(*) AS n FROM ${logs} WHERE "campaign_id" = ${id}`
  let before: { n: number | string }[] = []
  const transactionID = db.dialect === 'postgres' ? await payload.db.beginTransaction() : null
  if (transactionID !== null && transactionID !== undefined) {
    const req = { transactionID }
    try {
      // One snapshot of a campaign at a time (a job can run twice): the second waits here, then
      // finds the first one's logs. The first snapshot of a campaign is a plain INSERT: with
      // ON CONFLICT DO NOTHING PostgreSQL inserts every row speculatively, 30–40 % slower.
      await run(db, sql`SELECT pg_advisory_xact_lock(hashtext(${`crm_snapshot:${db.p}${id}`}))`, req)
      before = await run<{ n: number | string }>(db, countLogs, req)
      await run(db, insertInto(Number(before[0]?.n ?? 0) > 0), req)
      await payload.db.commitTransaction(transactionID)
    } catch (err) {
      await payload.db.rollbackTransaction(transactionID)
      throw err
    }
  } else {
    before = await run<{ n: number | string }>(db, countLogs)
    await run(db, insertInto(db.dialect === 'postgres'))
  }
  const skippedRows = await run<{ n: number | string }>(db, count)
  const skipped = Number(skippedRows[0]?.n ?? 0)
  const after = await run<{ n: number | string }>(db, sql`SELECT COUNT(*) AS n FROM ${logs} WHERE "campaign_id" = ${id}`)
  const total = Number(after[0]?.n ?? 0)
  await run(
    db,
    sql`UPDATE ${db.t('campaigns')} SET "snapshot_at" = ${ts(db, now)}, "stats_skipped" = ${skipped}, "stats_audience" = ${total},
          "stats_pending" = ${total}, "updated_at" = ${ts(db, now)} WHERE "id" = ${id}`,
  )
  const inserted = total - Number(before[0]?.n ?? 0)
  // A large insert leaves the planner's statistics behind (RECIPES.md): the claims would scan.
  if (db.dialect === 'postgres' && inserted >= 10_000) {
    await withPgTransaction({ payload }, (client) => client.query(`ANALYZE ${db.p}communication_logs`))
  }
  return { audience: total, inserted, skipped }
}

export type ClaimedLog = { attempts: number; customerId: null | number; id: number; recipient: null | string; reference: string }

/**
 * Claims up to `limit` pending logs of a campaign for `workerName` until `leaseMs` from now: logs
 * nobody holds, or whose holder's lease lapsed (a worker that died mid-batch), lowest ids first. On
 * PostgreSQL `FOR UPDATE SKIP LOCKED` lets several workers claim at once; SQLite's single writer
 * serialises them.
 *
 * `afterId`: only logs above this id. The dispatcher passes the highest id it has claimed, so a
 * claim starts where the last one ended instead of stepping over every log already sent (on
 * PostgreSQL the claim walks the primary key in id order: from the start, a campaign of a million
 * logs made each claim of the second half read hundreds of thousands of sent rows). Logs below it
 * (released for a retry) are found by a claim without `afterId` once the range above runs dry.
 */
export const claimPendingLogs = async ({
  afterId = 0,
  campaignId,
  leaseMs,
  limit,
  payload,
  workerName,
}: {
  afterId?: number
  campaignId: Id
  leaseMs: number
  limit: number
  payload: Payload
  workerName: string
}): Promise<ClaimedLog[]> => {
  const db = dbOf(payload)
  const id = Number(campaignId)
  const now = new Date()
  const until = new Date(now.getTime() + leaseMs).toISOString()
  const logs = db.t('communication_logs')
  const pick = sql`SELECT "id" FROM ${logs} WHERE "campaign_id" = ${id} AND "status" = 'pending'${afterId > 0 ? sql` AND "id" > ${afterId}` : sql``}
      AND ("claimed_until" IS NULL OR "claimed_until" < ${ts(db, now.toISOString())}) ORDER BY "id" LIMIT ${limit}${
        db.dialect === 'postgres' ? sql` FOR UPDATE SKIP LOCKED` : sql``
      }`
  const rows = await run<{ attempts: number | string | null; customer_id: number | string | null; id: number | string; recipient: null | string; reference: string }>(
    db,
    sql`UPDATE ${logs} SET "claimed_by" = ${workerName}, "claimed_until" = ${ts(db, until)} WHERE "id" IN (${pick})
        RETURNING "id", "customer_id", "recipient", "reference", "attempts"`,
  )
  return rows
    .map((row) => ({
      attempts: Number(row.attempts ?? 0),
      customerId: row.customer_id === null ? null : Number(row.customer_id),
      id: Number(row.id),
      recipient: row.recipient,
      reference: row.reference,
    }))
    .sort((a, b) => a.id - b.id)
}

/**
 * Extends the lease on those of `ids` that `workerName` still holds, and returns them: a log another
 * worker took over (our lease lapsed while we stalled) is no longer ours to send. With `messages`, it
 * also stores the personalised texts about to be sent (a receipt may finish a log before the answer
 * is recorded, and a worker killed in between never records it).
 */
export const renewLogClaims = async ({
  ids,
  leaseMs,
  messages,
  payload,
  workerName,
}: {
  ids: number[]
  leaseMs: number
  messages?: Map<number, string>
  payload: Payload
  workerName: string
}): Promise<number[]> => {
  if (ids.length === 0) return []
  const db = dbOf(payload)
  const until = new Date(Date.now() + leaseMs).toISOString()
  const rows = await run<{ id: number | string }>(db, renewUpdate(db, { ids, messages, until, workerName }))
  return rows.map((row) => Number(row.id))
}

/** The lease renewal UPDATE (see `renewLogClaims`). */
const renewUpdate = (db: Db, { ids, messages, until, workerName }: { ids: number[]; messages?: Map<number, string>; until: string; workerName: string }): SQL => {
  const l = logAlias(db)
  return updateLogsFrom(db, {
    columns: messages ? [{ name: 'id', type: 'int' }, { name: 'message', type: 'text' }] : [{ name: 'id', type: 'int' }],
    match: 'id',
    returning: sql`${l}."id" AS id`,
    rows: ids.map((id) => (messages ? { id, message: messages.get(id) ?? '' } : { id })),
    set: messages ? sql`"claimed_until" = ${ts(db, until)}, "message" = k."message"` : sql`"claimed_until" = ${ts(db, until)}`,
    where: sql`${l}."claimed_by" = ${workerName} AND ${l}."status" = 'pending'`,
  })
}

/** Lets go of logs without sending them; `retryAt` keeps them from being claimed again before then. */
export const releaseLogClaims = async ({ ids, payload, retryAt }: { ids: number[]; payload: Payload; retryAt?: Date }): Promise<void> => {
  if (ids.length === 0) return
  const db = dbOf(payload)
  await run(db, releaseUpdate(db, ids, retryAt ? ts(db, retryAt.toISOString()) : sql`NULL`))
}

/** The claim release UPDATE (see `releaseLogClaims`). */
const releaseUpdate = (db: Db, ids: number[], until: SQL): SQL =>
  updateLogsFrom(db, {
    columns: [{ name: 'id', type: 'int' }],
    match: 'id',
    rows: ids.map((id) => ({ id })),
    set: sql`"claimed_by" = NULL, "claimed_until" = ${until}`,
    where: sql`${logAlias(db)}."status" = 'pending'`,
  })

export type SentLog = { error?: string; id: number; message: string; messageId?: string; outcome: 'failed' | 'sent' }

/**
 * Records what the vendor answered for a batch, in one statement: accepted messages move
 * `pending` → `sent` (a receipt that already moved them further wins: forward only), refused ones
 * end `failed`. The personalised text and the vendor's id are kept; the claim is released.
 */
export const recordSentLogs = async ({ logs, payload }: { logs: SentLog[]; payload: Payload }): Promise<void> => {
  if (logs.length === 0) return
  const db = dbOf(payload)
  const rows = logs.map((log) => ({ error: log.error ?? null, id: log.id, message: log.message, mid: log.messageId ?? null, outcome: log.outcome }))
  await run(db, recordSentUpdate(db, rows, nowIso()))
}

type SentRow = { error: null | string; id: number; message: string; mid: null | string; outcome: SentLog['outcome'] }

/** The sent-records UPDATE (see `recordSentLogs`). */
const recordSentUpdate = (db: Db, rows: SentRow[], now: string): SQL => {
  const l = logAlias(db)
  return updateLogsFrom(db, {
    columns: [
      { name: 'id', type: 'int' },
      { name: 'outcome', type: 'text' },
      { name: 'error', type: 'text' },
      { name: 'message', type: 'text' },
      { name: 'mid', type: 'text' },
    ],
    match: 'id',
    rows,
    set: sql`"status" = ${asLogStatus(db, sql`CASE WHEN ${l}."status" = 'pending' THEN k."outcome" ELSE ${statusText(db, l)} END`)},
        "error" = CASE WHEN ${l}."status" = 'pending' AND k."outcome" = 'failed' THEN k."error" ELSE ${l}."error" END,
        "vendor_message_id" = COALESCE(${l}."vendor_message_id", k."mid"),
        "message" = k."message",
        "sent_at" = COALESCE(${l}."sent_at", ${ts(db, now)}),
        "attempts" = COALESCE(${l}."attempts", 0) + 1,
        "claimed_by" = NULL, "claimed_until" = NULL, "updated_at" = ${ts(db, now)}`,
  })
}

export type CampaignStats = { audience: number; delivered: number; failed: number; pending: number; sent: number; skipped: number }

export type RolledUpStats = CampaignStats & {
  /** Outcomes since the campaign last changed status (started or resumed sending): what the failure-share rule judges. */
  sinceStatusChange: { failed: number; outcomes: number }
  /** The campaign's status when its stats were stored. */
  status: string
}

/**
 * Recounts a campaign's stats from its logs in one statement, so `sent + failed + pending = audience`
 * (`sent` includes `delivered`). `skipped` is kept (the snapshot and customer erasure set it). Also
 * counts the outcomes (logs that left `pending`) and failures written since the campaign's last
 * status change, for the failure-share rule.
 */
export const rollUpCampaignStats = async ({ campaignId, payload, req }: { campaignId: Id; payload: Payload; req?: Partial<PayloadRequest> }): Promise<RolledUpStats> => {
  const db = dbOf(payload)
  const id = Number(campaignId)
  const logs = db.t('communication_logs')
  const recent = sql`l."updated_at" >= (SELECT c."updated_at" FROM ${db.t('campaigns')} c WHERE c."id" = ${id})`
  // One row per status, read along the (campaign, status) index: in status order the table rows are
  // visited in order (a pending log's row is not even read on SQLite), several times faster than
  // one pass of CASE sums in customer order.
  const rows = await run<{ n: number | string; recent: number | string | null; status: string }>(
    db,
    sql`SELECT l."status" AS status, COUNT(*) AS n,
          COALESCE(SUM(CASE WHEN l."status" <> 'pending' AND ${recent} THEN 1 ELSE 0 END), 0) AS recent
        FROM ${logs} l WHERE l."campaign_id" = ${id} GROUP BY l."status"`,
    req,
  )
  const counts = new Map(rows.map((row) => [String(row.status), { n: Number(row.n), recent: Number(row.recent ?? 0) }]))
  const sum = (pick: (status: string) => boolean, key: 'n' | 'recent') => [...counts].reduce((total, [status, c]) => total + (pick(status) ? c[key] : 0), 0)
  const n = (key: string) =>
    ({
      audience: sum(() => true, 'n'),
      delivered: sum((s) => s === 'delivered', 'n'),
      failed: sum((s) => s === 'failed', 'n'),
      pending: sum((s) => s === 'pending', 'n'),
      recent_failed: sum((s) => s === 'failed', 'recent'),
      recent_outcomes: sum((s) => s !== 'pending', 'recent'),
      sent: sum((s) => s === 'sent' || s === 'delivered', 'n'),
    })[key] ?? 0
  const stats = { audience: n('audience'), delivered: n('delivered'), failed: n('failed'), pending: n('pending'), sent: n('sent') }
  const updated = await run<{ skipped: number | string | null; status: null | string }>(
    db,
    sql`UPDATE ${db.t('campaigns')} SET "stats_audience" = ${stats.audience}, "stats_sent" = ${stats.sent}, "stats_delivered" = ${stats.delivered},
          "stats_failed" = ${stats.failed}, "stats_pending" = ${stats.pending}
        WHERE "id" = ${id} RETURNING "stats_skipped" AS skipped, "status" AS status`,
    req,
  )
  return {
    ...stats,
    sinceStatusChange: { failed: n('recent_failed'), outcomes: n('recent_outcomes') },
    skipped: Number(updated[0]?.skipped ?? 0),
    status: String(updated[0]?.status ?? ''),
  }
}

/** Whether a campaign still has logs waiting to be sent. */
export const countPendingLogs = async ({ campaignId, payload }: { campaignId: Id; payload: Payload }): Promise<number> => {
  const db = dbOf(payload)
  const rows = await run<{ n: number | string }>(
    db,
    sql`SELECT COUNT(*) AS n FROM ${db.t('communication_logs')} WHERE "campaign_id" = ${Number(campaignId)} AND "status" = 'pending'`,
  )
  return Number(rows[0]?.n ?? 0)
}

/**
 * Moves a campaign from `from` to `to` only if it is still in `from` (two concurrent actions cannot
 * both win). `reason` is stored in `statusReason` (cleared when omitted); `extra` sets `audienceAt`.
 * Returns whether this call made the change.
 */
export const setCampaignStatus = async ({
  audienceAt,
  campaignId,
  from,
  payload,
  reason,
  req,
  to,
}: {
  audienceAt?: Date
  campaignId: Id
  from: string
  payload: Payload
  reason?: string
  req?: Partial<PayloadRequest>
  to: string
}): Promise<boolean> => {
  const db = dbOf(payload)
  const now = nowIso()
  const rows = await run<{ id: number | string }>(
    db,
    sql`UPDATE ${db.t('campaigns')} SET "status" = ${to}, "status_reason" = ${reason ?? null}, "updated_at" = ${ts(db, now)}${
      audienceAt ? sql`, "audience_at" = ${ts(db, audienceAt.toISOString())}` : sql``
    } WHERE "id" = ${Number(campaignId)} AND "status" = ${from} RETURNING "id"`,
    req,
  )
  return rows.length > 0
}

export type ReceiptInput = { at: string; error?: string; messageId: string; reference: string; status: 'delivered' | 'failed' | 'sent' | 'unsubscribed' }

export type ApplyReceiptsResult = {
  /** Campaigns whose logs matched (their stats need a roll-up). */
  campaignIds: number[]
  /** Receipts whose log was found (whether or not it moved: a repeat changes nothing). */
  matched: number
  /** References no log carries. */
  unknownReferences: string[]
}

// `Date#toISOString()`'s own form (UTC, milliseconds): such a time is stored as it came, without a round trip through Date.
const CANONICAL_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

const RANK: Record<ReceiptInput['status'], number> = { delivered: 2, failed: 2, sent: 1, unsubscribed: 2 }

/**
 * One input row of the receipts UPDATE, keyed short and sparse (the batch goes to the database as one
 * JSON parameter, a thousand rows at a time): `f` the final status (absent: none), `a` its time (or the
 * receipt's), `s` the earliest `sent` time when it differs from `a`, `e` the error, `m` the vendor's id.
 */
type ReceiptRow = { a: string; e?: string; f?: 'delivered' | 'failed'; m: string; ref: string; s?: string }

/** The receipts UPDATE (see `applyReceipts`). */
const receiptUpdate = (db: Db, rows: ReceiptRow[], now: string): SQL => {
  const l = logAlias(db)
  const open = sql`${l}."status" IN ('pending', 'sent')`
  return updateLogsFrom(db, {
    columns: [
      { name: 'ref', type: 'text' },
      { name: 'f', type: 'text' },
      { name: 'a', type: 'ts' },
      { name: 's', type: 'ts' },
      { name: 'e', type: 'text' },
      { name: 'm', type: 'text' },
    ],
    match: 'reference',
    rows,
    // Only logs the receipt moves or completes: a repeat rewrites nothing (not even `updated_at`).
    // Every row has a `sent` time (`s`, else `a`) and a vendor id.
    whereInput: (k) =>
      sql`(${l}."status" = 'pending' OR (${l}."status" = 'sent' AND ${k}."f" IS NOT NULL) OR ${l}."sent_at" IS NULL OR ${l}."vendor_message_id" IS NULL)`,
    set: sql`"status" = ${asLogStatus(db, sql`CASE WHEN ${open} AND k."f" IS NOT NULL THEN k."f" WHEN ${l}."status" = 'pending' THEN 'sent' ELSE ${statusText(db, l)} END`)},
        "delivered_at" = CASE WHEN ${open} AND k."f" = 'delivered' THEN k."a" ELSE ${l}."delivered_at" END,
        "error" = CASE WHEN ${open} AND k."f" = 'failed' THEN k."e" ELSE ${l}."error" END,
        "sent_at" = COALESCE(${l}."sent_at", k."s", k."a"),
        "vendor_message_id" = COALESCE(${l}."vendor_message_id", k."m"),
        "updated_at" = ${ts(db, now)}`,
  })
}

/**
 * Test seam: SQLite's query plan (`EXPLAIN QUERY PLAN` detail lines) for the statements that update
 * a batch of logs — receipts by reference, sent records by id — so a test can prove each batch
 * reaches its logs through an index instead of scanning the table.
 */
export const explainLogBatchUpdates = async ({ payload }: { payload: Payload }): Promise<Record<'receipts' | 'release' | 'renew' | 'sent', string[]>> => {
  const db = dbOf(payload)
  if (db.dialect !== 'sqlite') throw new Error('explainLogBatchUpdates reads SQLite plans')
  const now = nowIso()
  const plan = async (statement: SQL) => (await run<{ detail: string }>(db, sql`EXPLAIN QUERY PLAN ${statement}`)).map((row) => String(row.detail))
  return {
    receipts: await plan(receiptUpdate(db, [{ a: now, f: 'delivered', m: 'm', ref: 'r' }], now)),
    release: await plan(releaseUpdate(db, [1], sql`NULL`)),
    renew: await plan(renewUpdate(db, { ids: [1], messages: new Map([[1, 'x']]), until: now, workerName: 'w' })),
    sent: await plan(recordSentUpdate(db, [{ error: null, id: 1, message: 'x', mid: 'm', outcome: 'sent' }], now)),
  }
}

/**
 * Applies one batch of vendor receipts in one statement, matched by `reference`: forward only
 * (`pending` → `sent` → `delivered` | `failed`; a late `sent` changes nothing, a repeat changes
 * nothing), whatever order they arrive in. `unsubscribed` counts as delivered and opts the customer
 * out of marketing (a second statement).
 */
export const applyReceipts = async ({ payload, receipts }: { payload: Payload; receipts: ReceiptInput[] }): Promise<ApplyReceiptsResult> => {
  const db = dbOf(payload)
  // One row per reference: the furthest outcome in this batch, and the earliest `sent` time.
  const byRef = new Map<string, { at: string; error: null | string; final: null | string; mid: string; sentAt: null | string; unsub: boolean }>()
  for (const receipt of receipts) {
    const at = CANONICAL_ISO.test(receipt.at) ? receipt.at : new Date(receipt.at).toISOString()
    const row = byRef.get(receipt.reference) ?? { at, error: null, final: null, mid: receipt.messageId, sentAt: null, unsub: false }
    if (receipt.status === 'sent' || RANK[receipt.status] >= 1) row.sentAt = row.sentAt && row.sentAt < at ? row.sentAt : at
    if (RANK[receipt.status] === 2 && !row.final) {
      row.final = receipt.status === 'failed' ? 'failed' : 'delivered'
      row.at = at
      row.error = receipt.error ?? (receipt.status === 'failed' ? 'failed' : null)
    }
    if (receipt.status === 'unsubscribed') row.unsub = true
    byRef.set(receipt.reference, row)
  }
  const rows = [...byRef.entries()].map(([ref, row]): ReceiptRow => {
    const out: ReceiptRow = { a: row.at, m: row.mid, ref }
    if (row.final) out.f = row.final as 'delivered' | 'failed'
    if (row.error !== null) out.e = row.error
    if (row.sentAt !== null && row.sentAt !== row.at) out.s = row.sentAt
    return out
  })
  const now = nowIso()
  const moved = await runSqlCount({ payload, query: receiptUpdate(db, rows, now) })
  // Every log moved (the usual batch): each reference is known, and names its campaign (`logReferenceSql`).
  const campaigns = moved === rows.length ? rows.map((row) => campaignOfReference(row.ref)) : undefined
  let found: Set<string>
  let campaignIds: Set<number>
  if (campaigns?.every((id) => id !== undefined)) {
    found = new Set(byRef.keys())
    campaignIds = new Set(campaigns as number[])
  } else {
    // Some did not move (a repeat: nothing to change; or an unknown reference): look them all up.
    const known = await run<{ campaign_id: number | string | null; reference: string }>(
      db,
      sql`SELECT "reference" AS reference, "campaign_id" AS campaign_id FROM ${db.t('communication_logs')}
          WHERE "reference" IN (SELECT ${jtext(db, 'ref')} FROM ${jsonRows(db, rows.map((row) => ({ ref: row.ref })))} AS j)`,
    )
    found = new Set(known.map((row) => row.reference))
    campaignIds = new Set(known.filter((row) => row.campaign_id !== null).map((row) => Number(row.campaign_id)))
  }
  const unsubscribed = [...byRef.entries()].filter(([ref, row]) => row.unsub && found.has(ref)).map(([ref]) => ({ ref }))
  if (unsubscribed.length > 0) {
    const customers = db.t('customers')
    const whose = sql`SELECT "customer_id" FROM ${db.t('communication_logs')} WHERE "reference" IN (SELECT ${jtext(db, 'ref')} FROM ${jsonRows(db, unsubscribed)} AS j)`
    const set = sql`"marketing_opt_out" = ${db.dialect === 'sqlite' ? sql`1` : sql`true`}, "updated_at" = ${ts(db, now)}`
    await run(
      db,
      db.dialect === 'sqlite'
        ? sql`UPDATE ${customers} SET ${set} WHERE "id" IN (${whose}) AND NOT COALESCE("marketing_opt_out", 0) = 1`
        : // Locked in id order, like the logs: two receipt batches opting out the same customers never deadlock.
          sql`WITH k AS (SELECT c."id" FROM ${customers} c WHERE c."id" IN (${whose}) AND NOT COALESCE(c."marketing_opt_out", false) ORDER BY c."id" FOR UPDATE)
            UPDATE ${customers} SET ${set} WHERE "id" IN (SELECT "id" FROM k)`,
    )
  }
  return {
    campaignIds: [...campaignIds],
    matched: receipts.filter((receipt) => found.has(receipt.reference)).length,
    unknownReferences: [...byRef.keys()].filter((ref) => !found.has(ref)),
  }
}

let rateTableReady: WeakMap<Payload, Promise<void>> = new WeakMap()

/**
 * Creates the rate window's table if it does not exist, safely when several workers start at once:
 * on PostgreSQL two concurrent `CREATE TABLE IF NOT EXISTS` can both decide to create it and one
 * fails (`duplicate key … pg_type_typname_nsp_index`), so creation runs under a transaction-scoped
 * advisory lock. SQLite's single writer already serialises it.
 */
export const createSendRateTable = async ({ payload }: { payload: Payload }): Promise<void> => {
  const db = dbOf(payload)
  const ddl = `CREATE TABLE IF NOT EXISTS ${db.p}"crm_send_rate" ("key" TEXT PRIMARY KEY NOT NULL, "window_start" BIGINT NOT NULL, "used" INTEGER NOT NULL)`
  if (db.dialect === 'sqlite') {
    await run(db, sql.raw(ddl))
    return
  }
  await withPgTransaction({ payload }, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${db.p}crm_send_rate`])
    await client.query(ddl)
  })
}

/**
 * Takes `count` sends from the vendor's rate window shared by every worker on this database (a
 * one-second fixed window in table `crm_send_rate`, one row per key). Returns 0 when granted, else
 * the milliseconds to wait before asking again.
 */
export const takeSendTokens = async ({ count, key = 'vendor', payload, perSecond }: { count: number; key?: string; payload: Payload; perSecond: number }): Promise<number> => {
  const db = dbOf(payload)
  const table = db.t('crm_send_rate')
  let ready = rateTableReady.get(payload)
  if (!ready) {
    // One creation per process (concurrent lanes share it); a failed one is tried again next time.
    ready = createSendRateTable({ payload }).catch((err: unknown) => {
      rateTableReady.delete(payload)
      throw err
    })
    rateTableReady.set(payload, ready)
  }
  await ready
  const nowMs = Date.now()
  const window = Math.floor(nowMs / 1000) * 1000
  const take = Math.min(count, perSecond)
  const rows = await run<{ used: number | string }>(
    db,
    sql`INSERT INTO ${table} ("key", "window_start", "used") VALUES (${key}, ${window}, ${take})
        ON CONFLICT ("key") DO UPDATE SET
          "used" = CASE WHEN ${table}."window_start" = excluded."window_start" THEN ${table}."used" + excluded."used" ELSE excluded."used" END,
          "window_start" = excluded."window_start"
        WHERE ${table}."window_start" <> excluded."window_start" OR ${table}."used" + excluded."used" <= ${perSecond}
        RETURNING "used"`,
  )
  return rows.length > 0 ? 0 : window + 1000 - nowMs + 1
}

/** Test seam: forget which databases have the rate table (a fresh database in the same process). */
export const resetSendRateTableCache = (): void => {
  rateTableReady = new WeakMap()
}
