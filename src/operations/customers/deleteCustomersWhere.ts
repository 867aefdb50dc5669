import type { PayloadRequest, Where } from 'payload'

import { eraseCustomers } from '../../bulk/index.js'
import { SLUGS } from '../../constants.js'

/** Customers erased per transaction: one id-only page read, then five set-based statements. */
const BATCH_SIZE = 5000
/** At most this many deleted ids are echoed back (lists never return more than 1,000 documents). */
const MAX_IDS_RETURNED = 1000

export type DeleteCustomersWhereResult = { deleted: number; ids: (number | string)[] }

/**
 * Deletes every customer matching `where`, set-based: reads matching ids a batch at a time and
 * erases each batch with `eraseCustomers` — orders deleted, pending logs taken out of sends, other
 * logs anonymised — in one transaction per batch, never one Payload delete per document. Memory
 * follows the batch. For admins (whose read access is unconditional): the `where` is checked once
 * through Payload (unknown fields → 400), then ids are read through the adapter, without hooks.
 */
export const deleteCustomersWhere = async ({ req, where }: { req: PayloadRequest; where: Where }): Promise<DeleteCustomersWhereResult> => {
  await req.payload.count({ collection: SLUGS.customers, overrideAccess: false, req, where })
  const ids: (number | string)[] = []
  let deleted = 0
  for (;;) {
    // Always the first page: the previous batch is gone.
    const page = await req.payload.db.find({ collection: SLUGS.customers, limit: BATCH_SIZE, pagination: false, req, select: { id: true }, sort: 'id', where })
    if (page.docs.length === 0) break
    const batch = page.docs.map((doc) => doc.id)
    const count = await eraseCustomers({ customerIds: batch, payload: req.payload })
    deleted += count
    for (const id of batch) if (ids.length < MAX_IDS_RETURNED) ids.push(id)
    // A batch that deleted nothing would come back forever: stop instead.
    if (count === 0 || page.docs.length < BATCH_SIZE) break
  }
  return { deleted, ids }
}
