import fc from 'fast-check'

import type { Rule, RuleGroup, RuleNode, Scalar } from '../../src/domain/segments/types.js'

/** Values to draw rule values from (the seeded customers' own values, so rules select someone). */
export type ValuePool = {
  attributes: Record<string, Scalar[]>
  cities: string[]
  dates: string[]
  emails: string[]
  names: string[]
  numbers: { orders: number[]; spend: number[]; visits: number[] }
  phones: string[]
  tags: string[]
}

const mangleCase = (text: string): fc.Arbitrary<string> =>
  fc.constantFrom(text, text.toUpperCase(), text.toLowerCase(), text.length > 0 ? text[0]!.toUpperCase() + text.slice(1).toLowerCase() : text)

/** A piece of a stored text: whole, a prefix, a suffix or a middle part, in any case. */
const pieceOf = (texts: string[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(...texts), fc.nat(), fc.nat())
    .map(([text, a, b]) => {
      const chars = [...text]
      const from = a % Math.max(1, chars.length)
      const to = from + 1 + (b % Math.max(1, chars.length - from))
      return chars.slice(from, to).join('') || text
    })
    .filter((text) => text.length > 0)
    .chain(mangleCase)

const withNoise = (values: number[]): fc.Arbitrary<number> =>
  fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 4 }, { arbitrary: fc.integer({ max: Math.max(10, ...values), min: -5 }), weight: 1 })

const textRule = (field: Rule['field'], texts: string[]): fc.Arbitrary<Rule> =>
  fc.oneof(
    fc.record({ field: fc.constant(field), operator: fc.constantFrom('=', '!=' as const), value: fc.constantFrom(...texts).chain(mangleCase) }),
    fc.record({ field: fc.constant(field), operator: fc.constantFrom('in', 'notIn' as const), value: fc.array(fc.constantFrom(...texts).chain(mangleCase), { maxLength: 4, minLength: 1 }) }),
    fc.record({ field: fc.constant(field), operator: fc.constantFrom('contains', 'beginsWith', 'endsWith' as const), value: pieceOf(texts) }),
    fc.record({ field: fc.constant(field), operator: fc.constantFrom('null', 'notNull' as const) }),
  )

const numberRule = (field: Rule['field'], values: fc.Arbitrary<number>): fc.Arbitrary<Rule> =>
  fc.oneof(
    fc.record({ field: fc.constant(field), operator: fc.constantFrom('=', '!=', '>', '>=', '<', '<=' as const), value: values }),
    fc.record({ field: fc.constant(field), operator: fc.constant('between' as const), value: fc.tuple(values, values).map(([a, b]) => [Math.min(a, b), Math.max(a, b)]) }),
    fc.record({ field: fc.constant(field), operator: fc.constantFrom('in', 'notIn' as const), value: fc.array(values, { maxLength: 4, minLength: 1 }) }),
  )

const dateRule = (field: Rule['field'], dates: string[]): fc.Arbitrary<Rule> =>
  fc.oneof(
    fc.record({ field: fc.constant(field), operator: fc.constantFrom('=', '!=', '>', '>=', '<', '<=' as const), value: fc.constantFrom(...dates) }),
    fc.record({ field: fc.constant(field), operator: fc.constant('between' as const), value: fc.tuple(fc.constantFrom(...dates), fc.constantFrom(...dates)).map(([a, b]) => (a < b ? [a, b] : [b, a])) }),
    fc.record({ field: fc.constant(field), operator: fc.constantFrom('withinDays', 'beforeDaysAgo' as const), value: fc.integer({ max: 800, min: 0 }) }),
    fc.record({ field: fc.constant(field), operator: fc.constantFrom('null', 'notNull' as const) }),
  )

/** Random valid rules over every field and operator of the contract, valued from `pool`. */
export const ruleArbitrary = (pool: ValuePool): fc.Arbitrary<Rule> => {
  const attributeKeys = Object.keys(pool.attributes)
  const attributeRule = fc.oneof({ arbitrary: fc.constantFrom(...attributeKeys), weight: 6 }, { arbitrary: fc.constant('missingKey'), weight: 1 }).chain((key) => {
    const field = `attributes.${key}` as Rule['field']
    const values = pool.attributes[key] ?? ['x']
    const value = fc.oneof(fc.constantFrom(...values), fc.integer({ max: 100, min: -10 }), fc.constantFrom(...values).map(String))
    return fc.oneof(
      fc.record({ field: fc.constant(field), operator: fc.constantFrom('=', '!=', '>', '>=', '<', '<=' as const), value }),
      fc.record({ field: fc.constant(field), operator: fc.constant('between' as const), value: fc.tuple(value, value) }),
      fc.record({ field: fc.constant(field), operator: fc.constantFrom('in', 'notIn' as const), value: fc.array(value, { maxLength: 3, minLength: 1 }) }),
      fc.record({ field: fc.constant(field), operator: fc.constantFrom('contains', 'beginsWith', 'endsWith' as const), value: pieceOf(values.map(String).filter((text) => text.length > 0)) }),
      fc.record({ field: fc.constant(field), operator: fc.constantFrom('null', 'notNull' as const) }),
    ) as fc.Arbitrary<Rule>
  })
  return fc.oneof(
    numberRule('spend', withNoise(pool.numbers.spend)),
    numberRule('visits', withNoise(pool.numbers.visits)),
    numberRule('orders', withNoise(pool.numbers.orders)),
    fc.oneof(
      numberRule('spend', withNoise(pool.numbers.spend)).map((rule) => ({ ...rule })),
      fc.record({ field: fc.constant('spend' as const), operator: fc.constantFrom('null', 'notNull' as const) }),
    ),
    numberRule('inactiveDays', fc.integer({ max: 800, min: 0 })),
    dateRule('lastOrderAt', pool.dates),
    dateRule('lastVisitAt', pool.dates),
    dateRule('createdAt', pool.dates),
    textRule('city', pool.cities),
    textRule('email', pool.emails),
    textRule('name', pool.names),
    textRule('phone', pool.phones),
    fc.oneof(
      fc.record({ field: fc.constant('tags' as const), operator: fc.constant('contains' as const), value: fc.constantFrom(...pool.tags).chain(mangleCase) }),
      fc.record({ field: fc.constant('tags' as const), operator: fc.constantFrom('in', 'notIn' as const), value: fc.array(fc.constantFrom(...pool.tags).chain(mangleCase), { maxLength: 3, minLength: 1 }) }),
      fc.record({ field: fc.constant('tags' as const), operator: fc.constantFrom('null', 'notNull' as const) }),
    ),
    fc.record({ field: fc.constant('marketingOptOut' as const), operator: fc.constantFrom('=', '!=' as const), value: fc.boolean() }),
    attributeRule,
  ) as fc.Arbitrary<Rule>
}

/** Random rule trees (groups nested up to `depth`, random `not`s) over `ruleArbitrary(pool)`. */
export const ruleTreeArbitrary = (pool: ValuePool, depth = 3, rule: fc.Arbitrary<Rule> = ruleArbitrary(pool)): fc.Arbitrary<RuleGroup> => {
  const { tree } = fc.letrec<{ node: RuleNode; tree: RuleGroup }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', maxDepth: depth, withCrossShrink: true }, rule, tie('tree')),
    tree: fc
      .record({ combinator: fc.constantFrom('and', 'or' as const), not: fc.integer({ max: 3, min: 0 }).map((n) => n === 0), rules: fc.array(tie('node'), { maxLength: 3, minLength: 1 }) })
      .map(({ combinator, not, rules }): RuleGroup => (not ? { combinator, not: true, rules } : { combinator, rules })),
  }))
  return tree
}

/** A pool of awkward values for pure tests (quotes, backslashes, non-ASCII, numbers as text). */
export const SAMPLE_POOL: ValuePool = {
  attributes: { preferredChannel: ['whatsapp', 'SMS', 'e-mail'], size: ['10', '10.5', 'XL', 7], vip: [true, 'yes'] },
  cities: ['Pune', 'Mumbai', 'São Paulo', 'İstanbul', 'Ελλάδα', 'Москва', 'Quote"City', 'Back\\slash'],
  dates: ['2025-03-01', '2025-03-01T10:00:00+05:30', '2025-06-15T08:30:00Z', '2024-12-31T23:59:59', '2026-11-01'],
  emails: ['asha@example.org', 'josé@example.in', 'x@y.co'],
  names: ['Asha Rao', 'JOSÉ Álvarez', 'Σοφία', 'Дмитрий', "O'Brien", 'Zoë'],
  numbers: { orders: [0, 1, 3, 12], spend: [0, 499.5, 10_000, 125_000], visits: [0, 1, 5, 40] },
  phones: ['+919812345678', '020-555'],
  tags: ['vip', 'Churned', 'NEW', 'früh'],
}
