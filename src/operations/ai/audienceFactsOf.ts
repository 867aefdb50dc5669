import type { PayloadRequest } from 'payload'

import type { AudienceFacts } from '../../domain/ai/types.js'
import type { RuleClock } from '../../domain/segments/types.js'

import { redactRuleValues } from '../../domain/ai/redactRuleValues.js'
import { formatDsl } from '../../domain/segments/dsl/format.js'
import { validateRules } from '../../domain/segments/ruleSchema.js'
import { audienceAggregates, segmentSqlTarget } from '../../segments/audience.js'
import { audienceWhere, findByWhere } from '../../segments/whereAudience.js'
import { AiNotFound, AiUnusable } from './aiRequestErrors.js'

/**
 * What a prompt may say about a saved segment: its rules as DSL and aggregates computed in the
 * database (size, average spend, visits, orders). No customer row is ever read here.
 */
export const audienceFactsOf = async ({ clock, currency, req, segmentId }: { clock: RuleClock; currency: string; req: PayloadRequest; segmentId: number | string }): Promise<AudienceFacts> => {
  const segment = await req.payload.findByID({ collection: 'segments', depth: 0, disableErrors: true, id: segmentId, overrideAccess: false, req, select: { rules: true } })
  if (!segment) throw new AiNotFound(`No segment with id ${segmentId}`)
  const validation = validateRules(segment.rules)
  if (!validation.ok) throw new AiUnusable('The segment has invalid rules; save it again with valid ones')
  // Rules may quote an email, a name or a phone number: the model sees those values redacted.
  const dsl = formatDsl(redactRuleValues(validation.rules))
  if (!segmentSqlTarget(req.payload)) {
    const where = audienceWhere({ clock, rules: validation.rules })
    const count = where.ok ? (await findByWhere({ limit: 1, page: 1, req, where: where.where })).totalDocs : 0
    return { averageOrders: null, averageSpend: null, averageVisits: null, count, currency, dsl }
  }
  const aggregates = await audienceAggregates({ clock, payload: req.payload, req, rules: validation.rules })
  return { ...aggregates, currency, dsl }
}
