import type { RuleGroup, RuleNode, Scalar } from '../segments/types.js'

import { isRuleGroup } from '../segments/types.js'

/** Fields whose values identify a person: their values never reach a model. */
export const PERSONAL_FIELDS = new Set(['email', 'name', 'phone'])

const hide = (value: Scalar | Scalar[] | undefined): Scalar | Scalar[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value.map(() => '[redacted]') : typeof value === 'string' ? '[redacted]' : value

/** The same tree with the values of rules on `email`, `name` and `phone` replaced by `[redacted]`. */
export const redactRuleValues = (group: RuleGroup): RuleGroup => ({
  ...group,
  rules: group.rules.map((node: RuleNode): RuleNode => {
    if (isRuleGroup(node)) return redactRuleValues(node)
    if (!PERSONAL_FIELDS.has(node.field) || node.value === undefined) return node
    return { ...node, value: hide(node.value) }
  }),
})
