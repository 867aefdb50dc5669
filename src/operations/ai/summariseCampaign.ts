import type { PayloadRequest } from 'payload'

import type { AiService } from '../../ai/types.js'
import type { CampaignFacts, CampaignStats } from '../../domain/ai/types.js'

import { campaignFailureReasons } from '../../bulk/index.js'
import { campaignRates } from '../../domain/ai/campaignSummary.js'
import { redactPii } from '../../domain/ai/redactPii.js'
import { AiNotFound, AiUnusable } from './aiRequestErrors.js'

/** States in which a campaign is over and can be summarised. */
export const FINISHED_CAMPAIGN_STATUSES = ['completed', 'cancelled', 'failed'] as const

/** How many earlier finished campaigns the comparison averages. */
export const COMPARED_CAMPAIGNS = 10

const statsOf = (stats: null | Partial<Record<keyof CampaignStats, null | number>> | undefined): CampaignStats => ({
  audience: stats?.audience ?? 0,
  delivered: stats?.delivered ?? 0,
  failed: stats?.failed ?? 0,
  pending: stats?.pending ?? 0,
  sent: stats?.sent ?? 0,
  skipped: stats?.skipped ?? 0,
})

/** Reasons with their personal data redacted; reasons that became equal are counted together, most frequent first. */
const mergeRedacted = (reasons: { count: number; reason: string }[]): { count: number; reason: string }[] => {
  const merged = new Map<string, number>()
  for (const { count, reason } of reasons) {
    const key = redactPii(reason).slice(0, 200)
    merged.set(key, (merged.get(key) ?? 0) + count)
  }
  return [...merged].map(([reason, count]) => ({ count, reason })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
}

/** The numbers a summary is written from: stats, failures grouped by reason (redacted), averages of earlier campaigns. */
export const campaignFactsOf = async ({ id, req }: { id: number | string; req: PayloadRequest }): Promise<CampaignFacts> => {
  const campaign = await req.payload.findByID({ collection: 'campaigns', depth: 0, disableErrors: true, id, overrideAccess: false, req })
  if (!campaign) throw new AiNotFound(`No campaign with id ${id}`)
  if (!(FINISHED_CAMPAIGN_STATUSES as readonly string[]).includes(campaign.status)) {
    throw new AiUnusable(`Only a finished campaign (${FINISHED_CAMPAIGN_STATUSES.join(', ')}) can be summarised; this one is ${campaign.status}`)
  }
  const [reasons, earlier] = await Promise.all([
    campaignFailureReasons({ campaignId: campaign.id, payload: req.payload, req }),
    req.payload.find({
      collection: 'campaigns',
      depth: 0,
      limit: COMPARED_CAMPAIGNS,
      overrideAccess: false,
      req,
      select: { stats: true },
      sort: '-createdAt',
      where: { and: [{ status: { in: [...FINISHED_CAMPAIGN_STATUSES] } }, { createdAt: { less_than: campaign.createdAt } }, { id: { not_equals: campaign.id } }] },
    }),
  ])
  const previous = earlier.docs.map((doc) => statsOf(doc.stats)).filter((stats) => stats.audience > 0)
  const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length
  return {
    failureReasons: mergeRedacted(reasons),
    intent: campaign.intent ?? undefined,
    name: campaign.name,
    previous:
      previous.length === 0
        ? null
        : {
            averageAudience: mean(previous.map((s) => s.audience)),
            averageDeliveryRate: mean(previous.map((s) => campaignRates(s).deliveryRate)),
            averageFailureRate: mean(previous.map((s) => campaignRates(s).failureRate)),
            campaigns: previous.length,
          },
    stats: statsOf(campaign.stats),
    status: campaign.status,
  }
}

/** A short summary of a finished campaign, with the figures it was written from. */
export const summariseCampaign = async ({ id, req, service }: { id: number | string; req: PayloadRequest; service: AiService }): Promise<{ facts: CampaignFacts; source: string; summary: string }> => {
  const facts = await campaignFactsOf({ id, req })
  return { facts, source: service.source, summary: await service.summariseCampaign({ facts }) }
}
