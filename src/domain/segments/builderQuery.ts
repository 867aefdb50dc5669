import type { FieldKind } from './fields.js'

import { fieldKindOf } from './fields.js'
import { NUMERIC_TEXT_RE } from './numbers.js'

/** A node as react-querybuilder holds it: ids, string values from inputs, lists as text or arrays. */
export type BuilderNode = { [key: string]: unknown }

const LIST_OPERATORS = new Set(['in', 'notIn'])
const DAY_OPERATORS = new Set(['withinDays', 'beforeDaysAgo'])
const UNARY_OPERATORS = new Set(['null', 'notNull'])

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Text typed for a list (`Pune, Delhi`) as its items; arrays stay arrays. */
const listOf = (value: unknown): unknown[] => {
  if (Array.isArray(value)) return value
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter((item) => item !== '')
  return value === undefined || value === null ? [] : [value]
}

/** A number typed as text (`12`, `-3.5`) becomes a number; anything else is kept for the validator to name. */
const numberOf = (value: unknown): unknown => (typeof value === 'string' && NUMERIC_TEXT_RE.test(value.trim()) ? Number(value.trim()) : value)

const booleanOf = (value: unknown): unknown => (value === 'true' ? true : value === 'false' ? false : value)

const scalarFor = (kind: FieldKind | null, operator: string, value: unknown): unknown => {
  if (DAY_OPERATORS.has(operator)) return numberOf(value)
  if (kind === 'number' || kind === 'inactiveDays') return numberOf(value)
  if (kind === 'boolean') return booleanOf(value)
  return typeof value === 'string' ? value.trim() : value
}

const ruleOf = (node: Record<string, unknown>): Record<string, unknown> => {
  const { field, operator, value } = node
  const out: Record<string, unknown> = { field, operator }
  if (typeof operator !== 'string' || UNARY_OPERATORS.has(operator)) return out
  const kind = typeof field === 'string' ? fieldKindOf(field) : null
  if (LIST_OPERATORS.has(operator) || operator === 'between') out.value = listOf(value).map((item) => scalarFor(kind, operator, item))
  else out.value = scalarFor(kind, operator, value)
  return out
}

/**
 * react-querybuilder's query as a rule tree for `validateRules`: ids and `valueSource` dropped, `not`
 * kept only when true, values typed by the field (numbers and day counts from text inputs,
 * `true`/`false` from a select, comma-separated lists as arrays), no value for `null`/`notNull`.
 * The shape (group nesting) is kept as built, so validation paths point at what the user sees;
 * canonicalising is `validateRules`'s job.
 */
export const builderToRuleTree = (node: unknown): unknown => {
  if (!isRecord(node)) return node
  if (!Array.isArray(node.rules)) return ruleOf(node)
  return { combinator: node.combinator, ...(node.not === true ? { not: true } : {}), rules: node.rules.map(builderToRuleTree) }
}

/** Where a validation issue points in the builder: the rule or group (indices from the root) and the part of it. */
export type IssueLocation = { part: 'field' | 'group' | 'operator' | 'rule' | 'value'; path: number[] }

/**
 * Reads a validator path (`rules[1].rules[0].value`, `rules[2]`, `rules`) as builder indices (`[1, 0]`)
 * plus the part it names. Paths into a group's own list (`rules[1].rules`) name that group.
 */
export const issueLocation = (issuePath: string): IssueLocation | null => {
  const path: number[] = []
  let rest = issuePath
  for (;;) {
    const match = /^rules\[(\d+)\]\.?/.exec(rest)
    if (!match) break
    path.push(Number(match[1]))
    rest = rest.slice(match[0].length)
  }
  if (rest === '') return { part: path.length === 0 ? 'group' : 'rule', path }
  if (rest === 'rules' || rest === 'combinator' || rest === 'not') return { part: 'group', path }
  if (rest.startsWith('value')) return { part: 'value', path }
  if (rest === 'field' || rest === 'operator') return { part: rest, path }
  return path.length > 0 || rest.startsWith('rules') ? { part: 'rule', path } : null
}

/** Is the group empty (react-querybuilder's starting point, which the server refuses)? */
export const isEmptyGroup = (node: unknown): boolean => isRecord(node) && Array.isArray(node.rules) && node.rules.length === 0
