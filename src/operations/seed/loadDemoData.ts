import type { Payload } from 'payload'

import type { DemoPhase } from '../../domain/seed/demoCatalogue.js'
import type { SeedDemoDataResult } from './seedDemoData.js'

import {
  applyReceipts,
  readCustomersForTemplate,
  recordSentLogs,
  rollUpCampaignStats,
  runSql,
  pgSchemaPrefix,
  setCampaignStatus,
  snapshotCampaignAudience,
  sqlDialectOf,
} from '../../bulk/index.js'
import { SLUGS } from '../../collections/slugs.js'
import { crmOptionsOf } from '../../crmOptionsOf.js'
import { DEMO_CAMPAIGN, DEMO_SEGMENTS, demoOutcomeOf, demoPercent } from '../../domain/seed/demoCatalogue.js'
import { validateRules } from '../../domain/segments/ruleSchema.js'
import { compileTemplate, renderTemplate } from '../../domain/templates/index.js'
import { compileAudience } from '../../segments/audience.js'
import { seedDemoData } from './seedDemoData.js'
import { sql } from 'drizzle-orm'

export type LoadDemoDataResult = SeedDemoDataResult & {
  campaign: { audience: number; delivered: number; failed: number; id: number | string; sent: number } | null
  segments: number
}

const BATCH = 1000

/**
 * Creates the demo segments (those not there yet, by name; their counts come from the segment hook)
 * and returns them by name.
 */
const createDemoSegments = async (payload: Payload): Promise<Map<string, number | string>> => {
  const byName = new Map<string, number | string>()
  for (const segment of DEMO_SEGMENTS) {
    const existing = await payload.find({ collection: SLUGS.segments, depth: 0, limit: 1, overrideAccess: true, where: { name: { equals: segment.name } } })
    const doc = existing.docs[0] ?? (await payload.create({ collection: SLUGS.segments, data: { description: segment.description, dsl: segment.dsl, name: segment.name } as never, overrideAccess: true }))
    byName.set(segment.name, doc.id)
  }
  return byName
}

/**
 * The finished demo campaign, through the send pipeline's own statements: the audience snapshot,
 * the vendor's answers (`recordSentLogs`, with each personalised text) and signed-receipt outcomes
 * (`applyReceipts`), then the stats roll-up. Nothing is posted to a vendor. Skipped when a campaign
 * of that name exists.
 */
const createDemoCampaign = async ({
  onProgress,
  payload,
  segmentId,
}: {
  onProgress?: (done: number, total: number) => Promise<void> | void
  payload: Payload
  segmentId: number | string
}): Promise<LoadDemoDataResult['campaign']> => {
  const existing = await payload.find({ collection: SLUGS.campaigns, depth: 0, limit: 1, overrideAccess: true, where: { name: { equals: DEMO_CAMPAIGN.name } } })
  if (existing.docs[0]) return null
  const { storeTimezone: timeZone } = crmOptionsOf(payload)
  const campaign = await payload.create({
    collection: SLUGS.campaigns,
    data: { intent: DEMO_CAMPAIGN.intent, message: DEMO_CAMPAIGN.message, name: DEMO_CAMPAIGN.name, segment: segmentId } as never,
    overrideAccess: true,
  })
  const segment = (await payload.findByID({ collection: SLUGS.segments, depth: 0, id: segmentId, overrideAccess: true })) as { rules?: unknown }
  const validation = validateRules(segment.rules)
  if (!validation.ok) throw new Error(`The demo segment "${DEMO_CAMPAIGN.segment}" has invalid rules`)
  const now = new Date()
  await setCampaignStatus({ audienceAt: now, campaignId: campaign.id, from: 'draft', payload, to: 'sending' })
  const { compiled } = await compileAudience({ clock: { now, timeZone }, payload, rules: validation.rules })
  await snapshotCampaignAudience({ audience: { ctes: compiled.ctes, kind: 'rule', where: compiled.where }, campaignId: campaign.id, payload })

  const dialect = sqlDialectOf(payload)
  const logsTable = sql.raw(`${dialect === 'postgres' ? pgSchemaPrefix(payload) : ''}"communication_logs"`)
  const logs = await runSql<{ customer_id: number | string; id: number | string; reference: string }>({
    payload,
    query: sql`SELECT "id", "customer_id", "reference" FROM ${logsTable} WHERE "campaign_id" = ${Number(campaign.id)} ORDER BY "id"`,
  })
  const compiledTemplate = compileTemplate({ source: DEMO_CAMPAIGN.message, timeZone })
  if (!compiledTemplate.isValid) throw new Error('The demo campaign message is invalid')
  const at = now.toISOString()
  for (let start = 0; start < logs.length; start += BATCH) {
    const batch = logs.slice(start, start + BATCH)
    const customers = await readCustomersForTemplate({ columns: compiledTemplate.template.columns, ids: batch.map((log) => Number(log.customer_id)), payload })
    const outcomes = batch.map((log, i) => ({ log, outcome: demoOutcomeOf(start + i) }))
    await recordSentLogs({
      logs: outcomes.map(({ log, outcome }) => ({
        ...(outcome === 'failed' ? { error: 'invalid number (demo)' } : { messageId: `demo-${log.reference}` }),
        id: Number(log.id),
        message: renderTemplate({ customer: customers.get(Number(log.customer_id)) ?? {}, template: compiledTemplate.template }),
        outcome: outcome === 'failed' ? 'failed' : 'sent',
      })),
      payload,
    })
    const delivered = outcomes.filter(({ outcome }) => outcome === 'delivered')
    if (delivered.length > 0) {
      await applyReceipts({ payload, receipts: delivered.map(({ log }) => ({ at, messageId: `demo-${log.reference}`, reference: log.reference, status: 'delivered' as const })) })
    }
    await onProgress?.(Math.min(logs.length, start + BATCH), logs.length)
  }
  const stats = await rollUpCampaignStats({ campaignId: campaign.id, payload })
  await setCampaignStatus({ campaignId: campaign.id, from: 'sending', payload, to: 'completed' })
  return { audience: stats.audience, delivered: stats.delivered, failed: stats.failed, id: campaign.id, sent: stats.sent }
}

/**
 * The whole demo: customers and orders (`seedDemoData`, bulk layer), the demo segments, and one
 * finished campaign with receipts. `onProgress` gets one overall percent (0–100) and the step.
 * Shared by the `crm.loadDemoData` job and `npm run seed`. Re-running with the same seed updates
 * rows instead of duplicating them, and leaves existing demo segments and campaign alone.
 */
export const loadDemoData = async ({
  batchSize,
  customers,
  now,
  onProgress,
  orders,
  payload,
  seed = 1,
}: {
  /** Rows per bulk call (seedDemoData's default when omitted). */
  batchSize?: number
  customers: number
  now?: Date
  /** Awaited between steps and batches, when no write transaction is open. */
  onProgress?: (event: { percent: number; phase: DemoPhase }) => Promise<void> | void
  orders: number
  payload: Payload
  seed?: number
}): Promise<LoadDemoDataResult> => {
  const report = async (phase: DemoPhase, done: number, total: number) => onProgress?.({ percent: demoPercent({ done, phase, total }), phase })
  const result = await seedDemoData({ batchSize, customers, now, onProgress: ({ done, phase, total }) => report(phase, done, total), orders, payload, seed })
  await report('aggregates', 1, 1)
  const segments = await createDemoSegments(payload)
  await report('segments', 1, 1)
  const segmentId = segments.get(DEMO_CAMPAIGN.segment)
  const campaign =
    segmentId !== undefined && sqlDialectOf(payload) ? await createDemoCampaign({ onProgress: (done, total) => report('campaign', done, total), payload, segmentId }) : null
  await report('campaign', 1, 1)
  return { ...result, campaign, segments: segments.size }
}
