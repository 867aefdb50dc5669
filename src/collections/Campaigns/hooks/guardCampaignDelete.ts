import type { CollectionBeforeDeleteHook } from 'payload'

import { deleteCampaignLogs } from '../../../bulk/index.js'
import { ConflictError } from '../../../errors/conflictError.js'
import { SLUGS } from '../../slugs.js'

/**
 * A campaign that is `sending` cannot be deleted (409: cancel it first); any other campaign goes
 * with its communication logs, whose `campaign` column cannot be left empty.
 */
export const guardCampaignDelete: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const campaign = await req.payload.db.findOne<{ id: number | string; name?: string; status?: string }>({
    collection: SLUGS.campaigns,
    req,
    select: { name: true, status: true },
    where: { id: { equals: id } },
  })
  if (campaign?.status === 'sending') {
    throw new ConflictError(`Campaign "${campaign.name ?? id}" is sending: cancel it before deleting it.`)
  }
  await deleteCampaignLogs({ campaignId: id, payload: req.payload, req })
}
