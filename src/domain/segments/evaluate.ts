import type { Rule, RuleClock, RuleGroup, RuleNode, Scalar } from './types.js'

import { dateValueInterval, DAY, startOfDayDaysAgo } from './dates.js'
import { attributeKeyOf, fieldKindOf } from './fields.js'
import { compareCodePoints, foldCase } from './foldCase.js'
import { NUMERIC_TEXT_RE, numericValueOf } from './numbers.js'
import { isRuleGroup } from './types.js'

/** What the evaluator reads of a customer (the collection's fields; `null` = missing). */
export type CustomerFacts = {
  attributes: null | Record<string, unknown>
  city: null | string
  createdAt: Date
  email: null | string
  lastOrderAt: Date | null
  lastVisitAt: Date | null
  marketingOptOut: boolean | null
  name: null | string
  orderCount: null | number
  phone: null | string
  tags: readonly string[]
  totalSpend: null | number
  visits: null | number
}

const compareNumbers = (operator: string, left: number, right: number): boolean => {
  switch (operator) {
    case '=':
      return left === right
    case '>':
      return left > right
    case '>=':
      return left >= right
    case '<':
      return left < right
    case '<=':
      return left <= right
  }
  return false
}

const compareTexts = (operator: string, left: string, right: string): boolean => {
  const order = compareCodePoints(left, right)
  return compareNumbers(operator, order, 0)
}

/** Text comparison ignoring case, on a present value (missing values were handled by the caller). */
const textMatches = (operator: string, stored: string, value: string): boolean => {
  const left = foldCase(stored)
  const right = foldCase(value)
  if (operator === 'contains') return left.includes(right)
  if (operator === 'beginsWith') return left.startsWith(right)
  if (operator === 'endsWith') return left.endsWith(right)
  return compareTexts(operator, left, right)
}

/** An attribute as the contract reads it: numbers compare as numbers, strings and booleans as text; objects, arrays and null are missing. */
const attributeOf = (attributes: CustomerFacts['attributes'], key: string): { num: null | number; text: null | string } | null => {
  const raw = attributes?.[key]
  if (typeof raw === 'number') return Number.isFinite(raw) ? { num: raw, text: null } : null
  if (typeof raw === 'boolean') return { num: null, text: String(raw) }
  if (typeof raw === 'string') return { num: NUMERIC_TEXT_RE.test(raw) ? Number(raw) : null, text: raw }
  return null
}

const attributeMatches = (operator: string, stored: { num: null | number; text: null | string }, value: Scalar): boolean => {
  if (operator === 'contains' || operator === 'beginsWith' || operator === 'endsWith') {
    return stored.text !== null && textMatches(operator, stored.text, String(value))
  }
  const wanted = numericValueOf(value)
  if (wanted !== null && stored.num !== null) return compareNumbers(operator, stored.num, wanted)
  return stored.text !== null && textMatches(operator, stored.text, String(value))
}

const dateMatches = ({ clock, operator, stored, value }: { clock: RuleClock; operator: string; stored: Date; value: Scalar | Scalar[] | undefined }): boolean => {
  const t = stored.getTime()
  if (operator === 'withinDays') return t >= startOfDayDaysAgo({ days: value as number, now: clock.now, timeZone: clock.timeZone }) && t <= clock.now.getTime()
  if (operator === 'beforeDaysAgo') return t < startOfDayDaysAgo({ days: value as number, now: clock.now, timeZone: clock.timeZone })
  const interval = (text: Scalar) => dateValueInterval({ timeZone: clock.timeZone, value: String(text) })!
  if (operator === 'between') {
    const [lo, hi] = value as Scalar[]
    return t >= interval(lo!).start && t < interval(hi!).end
  }
  const { end, start } = interval(value as Scalar)
  if (operator === '=') return t >= start && t < end
  if (operator === '>') return t >= end
  if (operator === '>=') return t >= start
  if (operator === '<') return t < start
  if (operator === '<=') return t < end
  return false
}

/** Positive form of a rule (the negative operators are its negation). */
const POSITIVE: Record<string, string> = { '!=': '=', notIn: 'in', notNull: 'null' }

const scalarMatches = ({ clock, customer, operator, rule, value }: { clock: RuleClock; customer: CustomerFacts; operator: string; rule: Rule; value: Scalar }): boolean => {
  const kind = fieldKindOf(rule.field)
  switch (kind) {
    case 'number': {
      const stored = rule.field === 'spend' ? customer.totalSpend : rule.field === 'visits' ? customer.visits : customer.orderCount
      return stored !== null && compareNumbers(operator, stored, value as number)
    }
    case 'inactiveDays': {
      const since = customer.lastOrderAt ?? customer.createdAt
      return compareNumbers(operator, Math.floor((clock.now.getTime() - since.getTime()) / DAY), value as number)
    }
    case 'text': {
      const stored = customer[rule.field as 'city' | 'email' | 'name' | 'phone']
      return stored !== null && textMatches(operator, stored, value as string)
    }
    case 'boolean':
      return customer.marketingOptOut !== null && customer.marketingOptOut === value
    case 'tags':
      return customer.tags.some((tag) => foldCase(tag) === foldCase(value as string))
    case 'attribute': {
      const stored = attributeOf(customer.attributes, attributeKeyOf(rule.field)!)
      return stored !== null && attributeMatches(operator, stored, value)
    }
    case 'date': {
      const stored = customer[rule.field as 'createdAt' | 'lastOrderAt' | 'lastVisitAt']
      return stored !== null && dateMatches({ clock, operator, stored, value })
    }
  }
  return false
}

const isMissing = (rule: Rule, customer: CustomerFacts): boolean => {
  switch (rule.field) {
    case 'spend':
      return customer.totalSpend === null
    case 'visits':
      return customer.visits === null
    case 'orders':
      return customer.orderCount === null
    case 'tags':
      return customer.tags.length === 0
    case 'marketingOptOut':
      return customer.marketingOptOut === null
    case 'inactiveDays':
      return false
    case 'city':
    case 'email':
    case 'name':
    case 'phone':
    case 'createdAt':
    case 'lastOrderAt':
    case 'lastVisitAt':
      return customer[rule.field] === null
  }
  return attributeOf(customer.attributes, attributeKeyOf(rule.field)!) === null
}

const ruleMatches = (rule: Rule, customer: CustomerFacts, clock: RuleClock): boolean => {
  const positive = POSITIVE[rule.operator]
  if (positive) return !ruleMatches({ ...rule, operator: positive as Rule['operator'] }, customer, clock)
  if (rule.operator === 'null') return isMissing(rule, customer)
  if (rule.operator === 'in') {
    return (rule.value as Scalar[]).some((value) => scalarMatches({ clock, customer, operator: rule.field === 'tags' ? 'contains' : '=', rule, value }))
  }
  if (rule.operator === 'between' && fieldKindOf(rule.field) !== 'date') {
    const [lo, hi] = rule.value as Scalar[]
    return scalarMatches({ clock, customer, operator: '>=', rule, value: lo! }) && scalarMatches({ clock, customer, operator: '<=', rule, value: hi! })
  }
  if (rule.operator === 'between' || rule.operator === 'withinDays' || rule.operator === 'beforeDaysAgo') {
    const stored = customer[rule.field as 'createdAt' | 'lastOrderAt' | 'lastVisitAt']
    return stored !== null && dateMatches({ clock, operator: rule.operator, stored, value: rule.value })
  }
  return scalarMatches({ clock, customer, operator: rule.operator, rule, value: rule.value as Scalar })
}

/**
 * The reference meaning of a rule tree, in memory: does `customer` belong to the segment at
 * `clock.now` in `clock.timeZone`? The SQL and `where` compilers are tested against it.
 */
export const evaluateRules = ({ clock, customer, rules }: { clock: RuleClock; customer: CustomerFacts; rules: RuleNode }): boolean => {
  if (!isRuleGroup(rules)) return ruleMatches(rules, customer, clock)
  const group: RuleGroup = rules
  const result =
    group.combinator === 'and'
      ? group.rules.every((child) => evaluateRules({ clock, customer, rules: child }))
      : group.rules.some((child) => evaluateRules({ clock, customer, rules: child }))
  return group.not ? !result : result
}
