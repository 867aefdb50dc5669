import type { Payload, PayloadRequest, TypedUser } from 'payload'

import type { DashboardAggregates } from '../../bulk/index.js'

import { readDashboardAggregates } from '../../bulk/index.js'
import { SLUGS } from '../../collections/slugs.js'
import { crmOptionsOf } from '../../crmOptionsOf.js'
import { monthBuckets } from '../../domain/dashboard/monthBuckets.js'

export type DashboardCampaign = {
  audience: number
  createdAt: string
  delivered: number
  /** delivered ÷ sent (0–1), null before anything was sent. */
  deliveryRate: null | number
  failed: number
  id: number | string
  name: string
  sent: number
  status: string
}

export type DashboardData = DashboardAggregates & {
  campaigns: DashboardCampaign[]
  counts: { campaigns: number; segments: number }
  currency: string
  generatedAt: string
  segments: { audienceCount: null | number; countedAt: null | string; id: number | string; name: string }[]
  timeZone: string
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : Number(value) || 0)

/**
 * Everything the admin dashboard shows, read with the caller's access: set-based totals, months,
 * cities (src/bulk), the largest segments by their stored count and the five newest campaigns with
 * delivery rates. Months are calendar months in STORE_TIMEZONE.
 */
export const readDashboard = async ({
  months = 12,
  now = new Date(),
  payload,
  req,
  user,
}: {
  months?: number
  now?: Date
  payload: Payload
  req?: Partial<PayloadRequest>
  user?: null | TypedUser
}): Promise<DashboardData> => {
  const { storeCurrency, storeTimezone } = crmOptionsOf(payload)
  const access = { overrideAccess: false, req, user: user ?? undefined }
  const [aggregates, segments, campaigns] = await Promise.all([
    readDashboardAggregates({ buckets: monthBuckets({ months, now, timeZone: storeTimezone }), payload, req }),
    payload.find({ ...access, collection: SLUGS.segments, depth: 0, limit: 8, sort: '-audienceCount' }),
    payload.find({ ...access, collection: SLUGS.campaigns, depth: 0, limit: 5, sort: '-createdAt' }),
  ])
  return {
    ...aggregates,
    campaigns: campaigns.docs.map((doc) => {
      const stats = (doc as { stats?: Record<string, unknown> | null }).stats ?? {}
      const sent = num(stats.sent)
      const delivered = num(stats.delivered)
      return {
        audience: num(stats.audience),
        createdAt: String(doc.createdAt),
        delivered,
        deliveryRate: sent > 0 ? delivered / sent : null,
        failed: num(stats.failed),
        id: doc.id,
        name: String((doc as { name?: unknown }).name ?? ''),
        sent,
        status: String((doc as { status?: unknown }).status ?? 'draft'),
      }
    }),
    counts: { campaigns: campaigns.totalDocs, segments: segments.totalDocs },
    currency: storeCurrency,
    generatedAt: now.toISOString(),
    segments: segments.docs.map((doc) => {
      const segment = doc as { audienceCount?: null | number; countedAt?: null | string; id: number | string; name?: string }
      return { audienceCount: segment.audienceCount ?? null, countedAt: segment.countedAt ?? null, id: segment.id, name: segment.name ?? '' }
    }),
    timeZone: storeTimezone,
  }
}
