import type { PayloadRequest } from 'payload'

import type { DeliveryPoint } from '../../bulk/index.js'

import { campaignFailureReasons, campaignReportQuery } from '../../bulk/index.js'
import { loadCampaign } from '../../campaigns/campaignActions.js'
import { campaignRates } from '../../domain/campaigns/campaignView.js'

export type CampaignReport = {
  delivery: { bucketMs: number; points: DeliveryPoint[] }
  failureReasons: { count: number; reason: string }[]
  id: number | string
  rates: { deliveryRate: null | number; failureRate: null | number }
  stats: { audience: number; delivered: number; failed: number; pending: number; sent: number; skipped: number }
  status: string
  statusReason: null | string
}

/**
 * A campaign's report: counts from its logs (before the snapshot, the stored stats), the failure
 * reasons grouped, and delivery over time. Reads only; null when there is no such campaign.
 */
export const campaignReport = async ({ id, req }: { id: string; req: PayloadRequest }): Promise<CampaignReport | null> => {
  const { payload } = req
  const campaign = await loadCampaign({ id, payload, req })
  if (!campaign) return null
  const query = await campaignReportQuery({ campaignId: id, payload, req })
  const failureReasons = await campaignFailureReasons({ campaignId: id, payload, req })
  const stored = campaign.stats ?? {}
  const skipped = Number(stored.skipped ?? 0) || 0
  const stats = campaign.snapshotAt
    ? { ...query.counts, skipped }
    : { audience: Number(stored.audience ?? 0) || 0, delivered: 0, failed: 0, pending: Number(stored.pending ?? 0) || 0, sent: 0, skipped }
  const { deliveryRate, failureRate } = campaignRates(stats)
  return {
    delivery: { bucketMs: query.bucketMs, points: query.points },
    failureReasons,
    id: campaign.id,
    rates: { deliveryRate, failureRate },
    stats,
    status: String(campaign.status ?? 'draft'),
    statusReason: campaign.statusReason ?? null,
  }
}
