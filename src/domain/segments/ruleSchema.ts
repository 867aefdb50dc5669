import { z } from 'zod'

import type { FieldKind } from './fields.js'
import type { Operator, Rule, RuleGroup, RuleIssue, RuleNode, Scalar } from './types.js'

import { dateValueInterval } from './dates.js'
import { fieldKindOf, OPERATORS_BY_KIND } from './fields.js'
import { isRuleGroup, OPERATORS } from './types.js'

/** Deepest nesting of groups accepted (a guard against stack exhaustion, far above any real segment). */
export const MAX_RULE_DEPTH = 100
/** Most rules and groups in one tree. */
export const MAX_RULE_NODES = 2000
/** Most values in one `in`/`notIn` list. */
export const MAX_LIST_VALUES = 1000
/** Longest text value. */
export const MAX_TEXT_LENGTH = 1000
/** Largest `withinDays`/`beforeDaysAgo` (a century). */
export const MAX_DAYS = 36_500

const GROUP_KEYS = new Set(['combinator', 'id', 'not', 'rules'])
const RULE_KEYS = new Set(['field', 'id', 'operator', 'value', 'valueSource'])

type Check = { issues: RuleIssue[]; nodes: number }

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'string' ? `"${value.slice(0, 40)}"` : typeof value === 'object' ? 'an object' : String(value)

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

type ScalarCheck = { expected: string; test: (value: unknown) => boolean }

const NUMBER: ScalarCheck = { expected: 'a number', test: isFiniteNumber }
const INTEGER: ScalarCheck = { expected: 'a whole number', test: (v) => isFiniteNumber(v) && Number.isSafeInteger(v) }
const DAYS: ScalarCheck = { expected: `a whole number of days from 0 to ${MAX_DAYS}`, test: (v) => INTEGER.test(v) && (v as number) >= 0 && (v as number) <= MAX_DAYS }
const TEXT: ScalarCheck = { expected: `text (at most ${MAX_TEXT_LENGTH} characters)`, test: (v) => typeof v === 'string' && v.length <= MAX_TEXT_LENGTH }
const NON_EMPTY_TEXT: ScalarCheck = { expected: 'non-empty text', test: (v) => TEXT.test(v) && (v as string).length > 0 }
const BOOLEAN: ScalarCheck = { expected: 'true or false', test: (v) => typeof v === 'boolean' }
const TEXT_OR_NUMBER: ScalarCheck = { expected: 'text, a number, true or false', test: (v) => TEXT.test(v) || isFiniteNumber(v) || typeof v === 'boolean' }
// Dates are checked with the zone-free parser: the zone only moves the interval, never validity.
const DATE: ScalarCheck = {
  expected: 'an ISO 8601 date such as "2025-03-01" or "2025-03-01T10:00:00+05:30"',
  test: (v) => typeof v === 'string' && dateValueInterval({ timeZone: 'UTC', value: v }) !== null,
}

const scalarCheckFor = (kind: FieldKind, operator: Operator): ScalarCheck => {
  if (operator === 'withinDays' || operator === 'beforeDaysAgo') return DAYS
  if (operator === 'contains' || operator === 'beginsWith' || operator === 'endsWith') return NON_EMPTY_TEXT
  switch (kind) {
    case 'attribute':
      return TEXT_OR_NUMBER
    case 'boolean':
      return BOOLEAN
    case 'date':
      return DATE
    case 'inactiveDays':
      return INTEGER
    case 'number':
      return NUMBER
    case 'tags':
      return NON_EMPTY_TEXT
    case 'text':
      return TEXT
  }
}

/** Checks a value against its operator's shape; returns the canonical value or pushes an issue. */
const checkValue = (kind: FieldKind, operator: Operator, value: unknown, path: string, issues: RuleIssue[]): Scalar | Scalar[] | undefined => {
  if (operator === 'null' || operator === 'notNull') return undefined
  const scalar = scalarCheckFor(kind, operator)
  if (operator === 'between') {
    if (!Array.isArray(value) || value.length !== 2) {
      issues.push({ message: `"between" needs a list of two values [low, high], got ${describe(value)}`, path })
      return undefined
    }
    value.forEach((item, index) => {
      if (!scalar.test(item)) issues.push({ message: `Expected ${scalar.expected}, got ${describe(item)}`, path: `${path}[${index}]` })
    })
    return value as Scalar[]
  }
  if (operator === 'in' || operator === 'notIn') {
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST_VALUES) {
      issues.push({ message: `"${operator}" needs a list of 1 to ${MAX_LIST_VALUES} values, got ${describe(value)}`, path })
      return undefined
    }
    value.forEach((item, index) => {
      if (!scalar.test(item)) issues.push({ message: `Expected ${scalar.expected}, got ${describe(item)}`, path: `${path}[${index}]` })
    })
    return value as Scalar[]
  }
  if (!scalar.test(value)) {
    issues.push({ message: `Expected ${scalar.expected}, got ${value === undefined ? 'no value' : describe(value)}`, path })
    return undefined
  }
  return value as Scalar
}

const checkRule = (input: Record<string, unknown>, path: string, check: Check): Rule | undefined => {
  const prefix = path === '' ? '' : `${path}.`
  for (const key of Object.keys(input)) {
    if (!RULE_KEYS.has(key)) check.issues.push({ message: `Unknown key "${key}" in a rule (allowed: field, operator, value)`, path: `${prefix}${key}` })
  }
  if (input.valueSource !== undefined && input.valueSource !== 'value') {
    check.issues.push({ message: 'Only valueSource "value" is supported (rules compare a field with a value)', path: `${prefix}valueSource` })
  }
  const { field, operator } = input
  const kind = typeof field === 'string' ? fieldKindOf(field) : null
  if (kind === null) {
    check.issues.push({
      message: `Unknown field ${describe(field)}: use spend, visits, orders, inactiveDays, lastOrderAt, lastVisitAt, createdAt, city, email, name, phone, tags, marketingOptOut or attributes.<key>`,
      path: `${prefix}field`,
    })
    return undefined
  }
  if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator)) {
    check.issues.push({ message: `Unknown operator ${describe(operator)}: use ${OPERATORS.join(', ')}`, path: `${prefix}operator` })
    return undefined
  }
  const allowed = OPERATORS_BY_KIND[kind]
  if (!allowed.includes(operator as Operator)) {
    check.issues.push({ message: `Operator "${operator}" does not apply to ${field as string}: use ${allowed.join(', ')}`, path: `${prefix}operator` })
    return undefined
  }
  const before = check.issues.length
  const value = checkValue(kind, operator as Operator, input.value, `${prefix}value`, check.issues)
  if (check.issues.length > before) return undefined
  const rule: Rule = { field: field as Rule['field'], operator: operator as Operator }
  if (value !== undefined) rule.value = value
  return rule
}

const checkGroup = (input: Record<string, unknown>, path: string, depth: number, check: Check): RuleGroup | undefined => {
  const prefix = path === '' ? '' : `${path}.`
  if (depth > MAX_RULE_DEPTH) {
    check.issues.push({ message: `Groups are nested more than ${MAX_RULE_DEPTH} deep`, path: path || 'rules' })
    return undefined
  }
  for (const key of Object.keys(input)) {
    if (!GROUP_KEYS.has(key)) check.issues.push({ message: `Unknown key "${key}" in a group (allowed: combinator, not, rules)`, path: `${prefix}${key}` })
  }
  const combinator = typeof input.combinator === 'string' ? input.combinator.toLowerCase() : input.combinator
  if (combinator !== 'and' && combinator !== 'or') {
    check.issues.push({ message: `A group's combinator must be "and" or "or", got ${describe(input.combinator)}`, path: `${prefix}combinator` })
  }
  if (input.not !== undefined && typeof input.not !== 'boolean') {
    check.issues.push({ message: `"not" must be true or false, got ${describe(input.not)}`, path: `${prefix}not` })
  }
  if (!Array.isArray(input.rules) || input.rules.length === 0) {
    check.issues.push({ message: 'A group needs a non-empty list of rules', path: `${prefix}rules` })
    return undefined
  }
  const rules: RuleNode[] = []
  input.rules.forEach((child: unknown, index: number) => {
    const childPath = `${prefix}rules[${index}]`
    if (++check.nodes > MAX_RULE_NODES) {
      if (check.nodes === MAX_RULE_NODES + 1) check.issues.push({ message: `A segment may hold at most ${MAX_RULE_NODES} rules and groups`, path: childPath })
      return
    }
    if (!isRecord(child)) {
      check.issues.push({ message: `Expected a rule or a group, got ${describe(child)}`, path: childPath })
      return
    }
    const node = 'combinator' in child || 'rules' in child ? checkGroup(child, childPath, depth + 1, check) : checkRule(child, childPath, check)
    if (node) rules.push(node)
  })
  const group: RuleGroup = { combinator: combinator === 'or' ? 'or' : 'and', rules }
  if (input.not === true) group.not = true
  return group
}

/**
 * Canonical form of a valid tree (what `parse(format(tree))` returns): `not` only when true; a
 * non-negated inner group with one child is that child; an inner group with its parent's combinator
 * is merged into it; a group with one child says `and`; a negated root becomes the only child of an
 * `and` root; a root whose only child is a non-negated group is that group.
 */
export const canonicalRules = (root: RuleGroup): RuleGroup => {
  const simplify = (group: RuleGroup): RuleGroup => {
    let rules: RuleNode[] = []
    for (const child of group.rules) {
      if (!isRuleGroup(child)) {
        rules.push(child)
        continue
      }
      const inner = simplify(child)
      rules.push(!inner.not && inner.rules.length === 1 ? inner.rules[0]! : inner)
    }
    if (rules.length === 1 && isRuleGroup(rules[0]!) && !rules[0].not) {
      const only = rules[0]
      return group.not ? { ...only, not: true } : only
    }
    const combinator = rules.length === 1 ? 'and' : group.combinator
    if (rules.length > 1) rules = rules.flatMap((node) => (isRuleGroup(node) && !node.not && node.combinator === combinator ? node.rules : [node]))
    return group.not ? { combinator, not: true, rules } : { combinator, rules }
  }
  const out = simplify(root)
  return out.not ? { combinator: 'and', rules: [out] } : out
}

/** Result of `validateRules`: the canonical tree, or every problem with its path. */
export type RuleValidation = { issues: RuleIssue[]; ok: false } | { ok: true; rules: RuleGroup }

/**
 * Validates a rule tree (react-querybuilder JSON) against the contract: known fields, operators that
 * apply to them, values of the right type. Paths name the rule: `rules[1].rules[0].value`.
 */
export const validateRules = (input: unknown): RuleValidation => {
  if (!isRecord(input)) return { issues: [{ message: `Rules must be a group {"combinator":"and"|"or","rules":[…]}, got ${describe(input)}`, path: 'rules' }], ok: false }
  const check: Check = { issues: [], nodes: 0 }
  const group = checkGroup(input, '', 0, check)
  if (check.issues.length > 0 || !group) {
    return { issues: check.issues.map((issue) => ({ ...issue, path: issue.path || 'rules' })), ok: false }
  }
  return { ok: true, rules: canonicalRules(group) }
}

/**
 * THE rule-tree schema (zod), for every entry point: endpoints, the segments collection, AI output.
 * It validates with `validateRules` and outputs the canonical tree; each issue keeps its rule path.
 */
export const ruleTreeSchema = z.unknown().transform((input, ctx): RuleGroup => {
  const result = validateRules(input)
  if (result.ok) return result.rules
  for (const issue of result.issues) ctx.addIssue({ code: 'custom', message: issue.message, params: { rulePath: issue.path } })
  return z.NEVER
})
