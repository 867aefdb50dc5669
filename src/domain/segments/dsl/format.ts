import type { Rule, RuleGroup, RuleNode, Scalar } from '../types.js'

import { isRuleGroup } from '../types.js'

/** A value as DSL text: numbers plainly (never a thousands separator), text in double quotes. */
export const formatValue = (value: Scalar): string => {
  if (typeof value === 'number') return String(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

const list = (values: Scalar[]): string => `(${values.map(formatValue).join(', ')})`

/** One comparison as DSL text. */
export const formatRule = (rule: Rule): string => {
  const { field, operator, value } = rule
  switch (operator) {
    case 'between': {
      const [low, high] = value as Scalar[]
      return `${field} BETWEEN ${formatValue(low!)} AND ${formatValue(high!)}`
    }
    case 'in':
      return `${field} IN ${list(value as Scalar[])}`
    case 'notIn':
      return `${field} NOT IN ${list(value as Scalar[])}`
    case 'contains':
      return `${field} CONTAINS ${formatValue(value as Scalar)}`
    case 'beginsWith':
      return `${field} BEGINS WITH ${formatValue(value as Scalar)}`
    case 'endsWith':
      return `${field} ENDS WITH ${formatValue(value as Scalar)}`
    case 'null':
      return `${field} IS NULL`
    case 'notNull':
      return `${field} IS NOT NULL`
    case 'withinDays':
      return `${field} WITHIN ${value as number} DAYS`
    case 'beforeDaysAgo':
      return `${field} BEFORE ${value as number} DAYS AGO`
    default:
      return `${field} ${operator} ${formatValue(value as Scalar)}`
  }
}

const body = (group: RuleGroup): string => group.rules.map(operand).join(group.combinator === 'and' ? ' AND ' : ' OR ')

/** A node as an operand of AND/OR/NOT: rules bare, groups in parentheses, negations with NOT. */
const operand = (node: RuleNode): string => {
  if (!isRuleGroup(node)) return formatRule(node)
  if (!node.not) return `(${body(node)})`
  if (node.rules.length === 1) return `NOT ${operand(node.rules[0]!)}`
  return `NOT (${body(node)})`
}

/**
 * Writes a (valid, canonical) rule tree as canonical DSL: upper-case keywords, every nested group in
 * parentheses, `inactiveDays >= N` rather than `inactive for N days`. `parseDsl(formatDsl(t))`
 * returns `canonicalRules(t)`.
 */
export const formatDsl = (rules: RuleGroup): string => (rules.not ? operand(rules) : body(rules))
