import type { PayloadRequest } from 'payload'

import type { RuleClock, RuleGroup } from '../domain/segments/types.js'

import { audienceIds, countAudience } from './audience.js'
import { loadCustomersById } from './previewSegment.js'

/** Payload's paginated list shape. */
export type PaginatedDocs = {
  docs: Record<string, unknown>[]
  hasNextPage: boolean
  hasPrevPage: boolean
  limit: number
  nextPage: null | number
  page: number
  pagingCounter: number
  prevPage: null | number
  totalDocs: number
  totalPages: number
}

/** One page (1-based) of a segment's members in id order, in Payload's paginated shape. */
export const segmentMembers = async ({ clock, limit, page, req, rules }: { clock: RuleClock; limit: number; page: number; req: PayloadRequest; rules: RuleGroup }): Promise<PaginatedDocs> => {
  const [totalDocs, ids] = await Promise.all([
    countAudience({ clock, payload: req.payload, req, rules }),
    audienceIds({ clock, limit, offset: (page - 1) * limit, payload: req.payload, req, rules }),
  ])
  const totalPages = Math.max(1, Math.ceil(totalDocs / limit))
  return {
    docs: await loadCustomersById({ ids, req }),
    hasNextPage: page < totalPages,
    hasPrevPage: page > 1,
    limit,
    nextPage: page < totalPages ? page + 1 : null,
    page,
    pagingCounter: (page - 1) * limit + 1,
    prevPage: page > 1 ? page - 1 : null,
    totalDocs,
    totalPages,
  }
}
