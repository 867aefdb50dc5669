import type { Payload, PayloadRequest } from 'payload'

import { sql } from 'drizzle-orm'

import { pgSchemaPrefix, runSql, sqlDialectOf } from './connection.js'

/**
 * A campaign's failed logs grouped by their `error`, most frequent first (`limit` groups), counted
 * in the database. Empty on MongoDB.
 */
export const campaignFailureReasons = async ({ campaignId, limit = 10, payload, req }: { campaignId: number | string; limit?: number; payload: Payload; req?: Partial<PayloadRequest> }): Promise<{ count: number; reason: string }[]> => {
  const dialect = sqlDialectOf(payload)
  if (!dialect) return []
  const table = sql.raw(`${dialect === 'postgres' ? pgSchemaPrefix(payload) : ''}"communication_logs"`)
  const rows = await runSql<{ n: number | string; reason: null | string }>({
    payload,
    query: sql`SELECT "error" AS reason, count(*) AS n FROM ${table} WHERE "campaign_id" = ${Number(campaignId)} AND "status" = 'failed' GROUP BY "error" ORDER BY count(*) DESC, "error" LIMIT ${limit}`,
    req,
  })
  return rows.map((row) => ({ count: Number(row.n), reason: row.reason?.trim() || 'no reason given' }))
}
