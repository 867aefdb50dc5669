import type { PayloadRequest, Where } from 'payload'

import type { RuleClock, RuleGroup } from '../domain/segments/types.js'

import { compileRulesToWhere } from '../domain/segments/compileWhere.js'

/** A rule tree as a Payload `where` (MongoDB's path), or the reason it cannot be one exactly. */
export const audienceWhere = ({ clock, rules }: { clock: RuleClock; rules: RuleGroup }): { ok: true; where: Where } | { message: string; ok: false; path: string } => {
  const compiled = compileRulesToWhere({ clock, rules })
  if (compiled.ok) return compiled
  return { message: `This rule cannot be evaluated on MongoDB: ${compiled.reason}`, ok: false, path: compiled.path }
}

/** Count and one page of customers for a `where`, through Payload (used where there is no SQL). */
export const findByWhere = async ({ limit, page, req, where }: { limit: number; page: number; req: PayloadRequest; where: Where }) =>
  req.payload.find({ collection: 'customers', depth: 0, limit, overrideAccess: false, page, req, sort: 'id', where })
