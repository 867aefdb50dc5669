import type { Where } from 'payload'

import type { Rule, RuleClock, RuleNode, Scalar } from './types.js'

import { dateValueInterval, DAY, startOfDayDaysAgo } from './dates.js'
import { fieldKindOf } from './fields.js'
import { isRuleGroup } from './types.js'

/** `compileRulesToWhere`'s answer: a Payload `where`, or why the rules are outside what it can say exactly. */
export type WhereCompilation = { ok: true; where: Where } | { ok: false; path: string; reason: string }

class OutsideSubset extends Error {
  constructor(
    readonly reason: string,
    readonly path: string,
  ) {
    super(reason)
  }
}

const PROPERTY: Record<string, string> = {
  createdAt: 'createdAt',
  lastOrderAt: 'lastOrderAt',
  lastVisitAt: 'lastVisitAt',
  marketingOptOut: 'marketingOptOut',
  orders: 'orderCount',
  spend: 'totalSpend',
  visits: 'visits',
  city: 'city',
  email: 'email',
  name: 'name',
  phone: 'phone',
}

const iso = (ms: number): string => new Date(ms).toISOString()
const missing = (property: string): Where => ({ [property]: { exists: false } })
const present = (property: string): Where => ({ [property]: { exists: true } })
const all = (parts: Where[]): Where => (parts.length === 1 ? parts[0]! : { and: parts })
const any = (parts: Where[]): Where => (parts.length === 1 ? parts[0]! : { or: parts })

type Range = { gte?: number | string; gt?: number | string; lt?: number | string; lte?: number | string }

/** A value range on one property, and its exact negation (the complement, missing values included). */
const range = (property: string, bounds: Range, negate: boolean): Where => {
  const ops: [keyof Range, string, string][] = [
    ['gt', 'greater_than', 'less_than_equal'],
    ['gte', 'greater_than_equal', 'less_than'],
    ['lt', 'less_than', 'greater_than_equal'],
    ['lte', 'less_than_equal', 'greater_than'],
  ]
  const used = ops.filter(([key]) => bounds[key] !== undefined)
  if (!negate) return all([present(property), ...used.map(([key, op]) => ({ [property]: { [op]: bounds[key] } }))])
  return any([missing(property), ...used.map(([key, , opposite]) => ({ [property]: { [opposite]: bounds[key] } }))])
}

const numberRule = (property: string, rule: Rule, negate: boolean): Where => {
  const value = rule.value as number
  switch (rule.operator) {
    case '=':
      return negate ? any([missing(property), { [property]: { not_equals: value } }]) : { [property]: { equals: value } }
    case '>':
      return range(property, { gt: value }, negate)
    case '>=':
      return range(property, { gte: value }, negate)
    case '<':
      return range(property, { lt: value }, negate)
    case '<=':
      return range(property, { lte: value }, negate)
    case 'between': {
      const [low, high] = rule.value as number[]
      return range(property, { gte: low!, lte: high! }, negate)
    }
    case 'in':
      return negate ? any([missing(property), { [property]: { not_in: rule.value as number[] } }]) : { [property]: { in: rule.value as number[] } }
  }
  throw new OutsideSubset(`operator ${rule.operator} on ${rule.field}`, 'operator')
}

const dateRule = (property: string, rule: Rule, clock: RuleClock, negate: boolean): Where => {
  const interval = (value: Scalar) => dateValueInterval({ timeZone: clock.timeZone, value: String(value) })!
  const boundary = () => iso(startOfDayDaysAgo({ days: rule.value as number, now: clock.now, timeZone: clock.timeZone }))
  switch (rule.operator) {
    case 'withinDays':
      return range(property, { gte: boundary(), lte: iso(clock.now.getTime()) }, negate)
    case 'beforeDaysAgo':
      return range(property, { lt: boundary() }, negate)
    case 'between': {
      const [low, high] = rule.value as Scalar[]
      return range(property, { gte: iso(interval(low!).start), lt: iso(interval(high!).end) }, negate)
    }
  }
  const { end, start } = interval(rule.value as Scalar)
  const bounds: Record<string, Range> = { '<': { lt: iso(start) }, '<=': { lt: iso(end) }, '=': { gte: iso(start), lt: iso(end) }, '>': { gte: iso(end) }, '>=': { gte: iso(start) } }
  return range(property, bounds[rule.operator]!, negate)
}

/** floor((now − (lastOrderAt ?? createdAt)) / day) >= days, exactly, and its negation. */
const inactiveAtLeast = (clock: RuleClock, days: number, negate: boolean): Where => {
  const bound = iso(clock.now.getTime() - days * DAY)
  if (!negate) return any([{ lastOrderAt: { less_than_equal: bound } }, all([missing('lastOrderAt'), { createdAt: { less_than_equal: bound } }])])
  return any([{ lastOrderAt: { greater_than: bound } }, all([missing('lastOrderAt'), { createdAt: { greater_than: bound } }])])
}

const inactiveRule = (rule: Rule, clock: RuleClock, negate: boolean): Where => {
  const exactly = (days: number, not: boolean): Where =>
    not ? any([inactiveAtLeast(clock, days, true), inactiveAtLeast(clock, days + 1, false)]) : all([inactiveAtLeast(clock, days, false), inactiveAtLeast(clock, days + 1, true)])
  const value = rule.value as number
  switch (rule.operator) {
    case '>=':
      return inactiveAtLeast(clock, value, negate)
    case '>':
      return inactiveAtLeast(clock, value + 1, negate)
    case '<':
      return inactiveAtLeast(clock, value, !negate)
    case '<=':
      return inactiveAtLeast(clock, value + 1, !negate)
    case '=':
      return exactly(value, negate)
    case 'between': {
      const [low, high] = rule.value as number[]
      return negate ? any([inactiveAtLeast(clock, low!, true), inactiveAtLeast(clock, high! + 1, false)]) : all([inactiveAtLeast(clock, low!, false), inactiveAtLeast(clock, high! + 1, true)])
    }
    case 'in':
      return negate ? all((rule.value as number[]).map((days) => exactly(days, true))) : any((rule.value as number[]).map((days) => exactly(days, false)))
  }
  throw new OutsideSubset(`operator ${rule.operator} on inactiveDays`, 'operator')
}

const ruleWhere = (rule: Rule, clock: RuleClock, negate: boolean): Where => {
  const positive = ({ '!=': '=', notIn: 'in', notNull: 'null' } as Record<string, Rule['operator']>)[rule.operator]
  if (positive) return ruleWhere({ ...rule, operator: positive }, clock, !negate)
  const kind = fieldKindOf(rule.field)
  const property = PROPERTY[rule.field]
  if (rule.operator === 'null' && property) return negate ? present(property) : missing(property)
  switch (kind) {
    case 'number':
      return numberRule(property!, rule, negate)
    case 'date':
      return dateRule(property!, rule, clock, negate)
    case 'inactiveDays':
      return inactiveRule(rule, clock, negate)
    case 'boolean':
      return negate ? any([missing(property!), { [property!]: { not_equals: rule.value } }]) : { [property!]: { equals: rule.value } }
    case 'text':
      throw new OutsideSubset(`${rule.field} ${rule.operator}: Payload's text operators do not ignore case the way segments do (equals is case-sensitive; like/contains fold case differently per database)`, 'operator')
    case 'tags':
      throw new OutsideSubset('tags: Payload compares list items case-sensitively, segments ignore case', 'field')
    default:
      throw new OutsideSubset(`${rule.field}: JSON attributes compare as numbers or text per value, which Payload's operators cannot express`, 'field')
  }
}

/**
 * Compiles a (validated) rule tree to a Payload `where` with exactly the meaning of `evaluateRules`,
 * for the subset Payload's operators can express: numbers (spend, visits, orders), dates (all
 * operators, relative ones resolved at `clock`), inactiveDays, marketingOptOut, and IS [NOT] NULL on
 * the built-in fields. Negations are pushed down to the rules (Payload has no NOT), with missing
 * values included as the contract says. Anything else answers `{ ok: false, reason, path }`.
 */
export const compileRulesToWhere = ({ clock, rules }: { clock: RuleClock; rules: RuleNode }): WhereCompilation => {
  const walk = (node: RuleNode, negate: boolean, path: string): Where => {
    if (!isRuleGroup(node)) {
      try {
        return ruleWhere(node, clock, negate)
      } catch (err) {
        if (err instanceof OutsideSubset) throw new OutsideSubset(err.reason, path)
        throw err
      }
    }
    const negated = negate !== Boolean(node.not)
    const combinator = negated ? (node.combinator === 'and' ? 'or' : 'and') : node.combinator
    const parts = node.rules.map((child, index) => walk(child, negated, `${path ? `${path}.` : ''}rules[${index}]`))
    return combinator === 'and' ? all(parts) : any(parts)
  }
  try {
    return { ok: true, where: walk(rules, false, '') }
  } catch (err) {
    if (err instanceof OutsideSubset) return { ok: false, path: err.path, reason: err.reason }
    throw err
  }
}
