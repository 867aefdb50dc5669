import type { RuleGroup, RuleIssue } from './types.js'

import { formatDsl } from './dsl/format.js'
import { parseDsl } from './dsl/parse.js'
import { validateRules } from './ruleSchema.js'

/** A segment given as `rules`, `dsl` or both: the canonical tree and its canonical DSL, or the problems. */
export type ResolvedSegment = { dsl: string; ok: true; rules: RuleGroup } | { issues: (RuleIssue & { position?: number })[]; ok: false }

/**
 * Turns what a client sent (`rules` and/or `dsl`) into one consistent pair. With both, they must
 * mean the same tree (after canonicalisation); with neither, it is an error.
 */
export const resolveSegmentInput = ({ dsl, rules }: { dsl?: null | string; rules?: unknown }): ResolvedSegment => {
  const hasRules = rules !== undefined && rules !== null
  const hasDsl = typeof dsl === 'string'
  if (!hasRules && !hasDsl) return { issues: [{ message: 'Send the segment as "rules" (a rule tree) or "dsl" (text)', path: 'rules' }], ok: false }
  let fromRules: RuleGroup | undefined
  if (hasRules) {
    const validation = validateRules(rules)
    if (!validation.ok) return { issues: validation.issues, ok: false }
    fromRules = validation.rules
  }
  let fromDsl: RuleGroup | undefined
  if (hasDsl) {
    const parsed = parseDsl(dsl)
    if (!parsed.ok) return { issues: parsed.errors.map((error) => ({ message: error.message, path: 'dsl', position: error.position })), ok: false }
    fromDsl = parsed.rules
  }
  if (fromRules && fromDsl && JSON.stringify(fromRules) !== JSON.stringify(fromDsl)) {
    return { issues: [{ message: `"rules" and "dsl" describe different segments (the rules read as: ${formatDsl(fromRules)}); send one of them`, path: 'dsl' }], ok: false }
  }
  const tree = (fromRules ?? fromDsl)!
  return { dsl: formatDsl(tree), ok: true, rules: tree }
}
