import type { Payload, PayloadRequest } from 'payload'

import type { Id } from '../types.js'

/**
 * MongoDB path of `eraseCustomers` (wired, untested here: no MongoDB server on our machines), with
 * the same effects through the Local API. Returns how many customers were deleted.
 */
export const eraseCustomersMongo = async ({
  customerIds,
  deleteCustomers,
  payload,
  req,
}: {
  customerIds: readonly Id[]
  deleteCustomers: boolean
  payload: Payload
  req?: Partial<PayloadRequest>
}): Promise<number> => {
  const ofCustomers = { customer: { in: [...customerIds] } }
  const pending = await payload.find({
    collection: 'communication-logs',
    depth: 0,
    limit: 0,
    overrideAccess: true,
    pagination: false,
    req,
    where: { and: [ofCustomers, { status: { equals: 'pending' } }] },
  })
  const perCampaign = new Map<Id, number>()
  for (const log of pending.docs) {
    const campaign = typeof log.campaign === 'object' && log.campaign !== null ? log.campaign.id : log.campaign
    perCampaign.set(campaign, (perCampaign.get(campaign) ?? 0) + 1)
  }
  for (const [id, n] of perCampaign) {
    const campaign = await payload.findByID({ collection: 'campaigns', depth: 0, id, overrideAccess: true, req })
    const stats = campaign.stats ?? {}
    await payload.update({
      collection: 'campaigns',
      data: {
        stats: {
          ...stats,
          audience: Math.max((stats.audience ?? 0) - n, 0),
          pending: Math.max((stats.pending ?? 0) - n, 0),
          skipped: (stats.skipped ?? 0) + n,
        },
      },
      id,
      overrideAccess: true,
      req,
    })
  }
  await payload.delete({ collection: 'communication-logs', overrideAccess: true, req, where: { and: [ofCustomers, { status: { equals: 'pending' } }] } })
  await payload.update({ collection: 'communication-logs', data: { customer: null, message: null, recipient: null }, overrideAccess: true, req, where: ofCustomers })
  await payload.delete({ collection: 'orders', overrideAccess: true, req, where: ofCustomers })
  if (!deleteCustomers) return 0
  const deleted = await payload.delete({ collection: 'customers', overrideAccess: true, req, where: { id: { in: [...customerIds] } } })
  return deleted.docs.length
}
