import type { CollectionBeforeDeleteHook } from 'payload'

import { ConflictError } from '../../../errors/conflictError.js'
import { SLUGS } from '../../slugs.js'

/** Campaign states that still need their segment's audience. */
const ACTIVE_STATUSES = ['scheduled', 'sending']

/** A segment used by a `scheduled` or `sending` campaign cannot be deleted (409 naming the campaigns). */
export const guardSegmentDelete: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const users = await req.payload.db.find<{ name?: string; status?: string }>({
    collection: SLUGS.campaigns,
    limit: 5,
    pagination: false,
    req,
    select: { name: true, status: true },
    where: { and: [{ segment: { equals: id } }, { status: { in: ACTIVE_STATUSES } }] },
  })
  if (users.docs.length === 0) return
  const names = users.docs.map((campaign) => `"${campaign.name}" (${campaign.status})`).join(', ')
  throw new ConflictError(`This segment is used by ${names}: cancel those campaigns or wait until they finish before deleting it.`)
}
