import type { PayloadRequest } from 'payload'

import type { RuleClock, RuleGroup } from '../domain/segments/types.js'

import { previewAudience } from './audience.js'

/** How many customers a preview shows. */
export const PREVIEW_SAMPLE_SIZE = 10

/** Customers by id, as Payload documents in id order, read with the caller's access. */
export const loadCustomersById = async ({ ids, req }: { ids: number[]; req: PayloadRequest }): Promise<Record<string, unknown>[]> => {
  if (ids.length === 0) return []
  const { docs } = await req.payload.find({
    collection: 'customers',
    depth: 0,
    limit: ids.length,
    overrideAccess: false,
    pagination: false,
    req,
    sort: 'id',
    where: { id: { in: ids } },
  })
  return docs as unknown as Record<string, unknown>[]
}

/** Audience size and the first customers (by id) of a rule tree, both from the database. */
export const previewSegment = async ({ clock, req, rules }: { clock: RuleClock; req: PayloadRequest; rules: RuleGroup }): Promise<{ count: number; sample: Record<string, unknown>[] }> => {
  const { count, ids } = await previewAudience({ clock, limit: PREVIEW_SAMPLE_SIZE, payload: req.payload, req, rules })
  return { count, sample: await loadCustomersById({ ids, req }) }
}
