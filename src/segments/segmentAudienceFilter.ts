import type { PayloadRequest, Where } from 'payload'

import type { ApiErrorItem } from '../endpoints/errorResponse.js'
import type { MemberIdsAfter } from '../operations/ingest/exportCsv.js'

import { crmOptionsOf } from '../crmOptionsOf.js'
import { resolveSegmentInput } from '../domain/segments/resolveSegmentInput.js'
import { validateRules } from '../domain/segments/ruleSchema.js'
import { audienceIds, segmentSqlTarget } from './audience.js'
import { audienceWhere } from './whereAudience.js'

/** How a list of customers is limited to a segment's members: SQL id pages, or (MongoDB) a `where`. */
export type AudienceFilter = { memberIdsAfter?: MemberIdsAfter; where?: Where }

type Failure = { errors: ApiErrorItem[]; ok: false; status: number }

/**
 * The members filter for `?segment=<id>` (a saved segment, read with the caller's access) or
 * `?rules=<JSON>` / `?dsl=<text>` (given inline). `undefined` when none was given.
 */
export const segmentAudienceFilter = async ({
  dsl,
  req,
  rules,
  segment,
}: {
  dsl?: string
  req: PayloadRequest
  rules?: string
  segment?: string
}): Promise<({ ok: true } & AudienceFilter) | Failure | undefined> => {
  if (segment === undefined && dsl === undefined && rules === undefined) return undefined
  if (segment !== undefined && (dsl !== undefined || rules !== undefined)) {
    return { errors: [{ location: 'query', message: 'Give either segment=<id> or rules/dsl, not both', path: 'segment' }], ok: false, status: 400 }
  }
  let tree: unknown
  if (segment !== undefined) {
    const saved = await req.payload.findByID({ collection: 'segments', depth: 0, disableErrors: true, id: segment, overrideAccess: false, req })
    if (!saved) return { errors: [{ location: 'query', message: `No segment with id ${segment}`, path: 'segment' }], ok: false, status: 404 }
    const validation = validateRules(saved.rules)
    if (!validation.ok) return { errors: [{ message: 'The saved segment has invalid rules; save it again with valid ones', path: 'rules' }], ok: false, status: 409 }
    tree = validation.rules
  } else {
    let parsedRules: unknown
    if (rules !== undefined) {
      try {
        parsedRules = JSON.parse(rules)
      } catch {
        return { errors: [{ location: 'query', message: 'rules must be a JSON rule tree', path: 'rules' }], ok: false, status: 400 }
      }
    }
    const resolved = resolveSegmentInput({ dsl, rules: parsedRules })
    if (!resolved.ok) return { errors: resolved.issues.map((issue) => ({ location: 'query', ...issue })), ok: false, status: 400 }
    tree = resolved.rules
  }
  const canonical = validateRules(tree)
  if (!canonical.ok) return { errors: canonical.issues.map((issue) => ({ location: 'query', ...issue })), ok: false, status: 400 }
  // One clock for the whole export, so relative dates do not move between pages.
  const clock = { now: new Date(), timeZone: crmOptionsOf(req.payload).storeTimezone }
  if (segmentSqlTarget(req.payload) === null) {
    const where = audienceWhere({ clock, rules: canonical.rules })
    if (!where.ok) return { errors: [{ location: 'query', message: where.message, path: where.path }], ok: false, status: 400 }
    return { ok: true, where: where.where }
  }
  return {
    memberIdsAfter: (afterId, limit) => audienceIds({ afterId: afterId === undefined ? undefined : Number(afterId), clock, limit, payload: req.payload, req, rules: canonical.rules }),
    ok: true,
  }
}
