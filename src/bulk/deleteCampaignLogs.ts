import type { Payload, PayloadRequest } from 'payload'

import { sql } from 'drizzle-orm'

import type { Id } from './types.js'

import { pgSchemaPrefix, runSql, sqlDialectOf } from './connection.js'

/**
 * Deletes every communication log of one campaign in one statement (inside the request's
 * transaction when it has one): a deleted campaign's logs have nothing left to count towards.
 */
export const deleteCampaignLogs = async ({ campaignId, payload, req }: { campaignId: Id; payload: Payload; req?: Partial<PayloadRequest> }): Promise<void> => {
  const dialect = sqlDialectOf(payload)
  if (dialect === null) {
    await payload.delete({ collection: 'communication-logs', overrideAccess: true, req, where: { campaign: { equals: campaignId } } })
    return
  }
  const table = sql.raw(`${dialect === 'postgres' ? pgSchemaPrefix(payload) : ''}communication_logs`)
  await runSql({ payload, query: sql`DELETE FROM ${table} WHERE campaign_id = ${Number(campaignId)}`, req })
}
