import { stringify } from 'qs-esm'

import type { RuleClock } from './types.js'

import { compileRulesToWhere } from './compileWhere.js'
import { validateRules } from './ruleSchema.js'

/**
 * Where to see a saved segment's members: the admin's customers list filtered by the segment's
 * rules as a Payload `where` (for rules in the `where` compiler's subset), otherwise the reason and
 * the CSV export of its members (computed by the SQL compiler, which covers every rule).
 */
export type MembersLink =
  | { csvHref: string; href: string; kind: 'list' }
  | { csvHref: string; kind: 'outside'; path: string; reason: string }
  | { kind: 'invalid'; reason: string }

const join = (base: string, path: string): string => `${base.replace(/\/+$/, '')}${path}`

export const segmentMembersLink = ({
  adminRoute,
  apiRoute,
  clock,
  id,
  rules,
}: {
  adminRoute: string
  apiRoute: string
  clock: RuleClock
  id: number | string
  rules: unknown
}): MembersLink => {
  const validation = validateRules(rules)
  if (!validation.ok) return { kind: 'invalid', reason: `The saved rules are invalid (${validation.issues[0]!.path}: ${validation.issues[0]!.message})` }
  const csvHref = join(apiRoute, `/customers/export?${stringify({ segment: String(id) })}`)
  const compiled = compileRulesToWhere({ clock, rules: validation.rules })
  if (!compiled.ok) return { csvHref, kind: 'outside', path: compiled.path, reason: compiled.reason }
  return { csvHref, href: join(adminRoute, `/collections/customers?${stringify({ where: compiled.where }, { encodeValuesOnly: true })}`), kind: 'list' }
}
