import type { CustomerFacts } from './evaluate.js'
import type { Rule, RuleClock } from './types.js'

import { evaluateRules } from './evaluate.js'

const clock: RuleClock = { now: new Date('2026-06-15T06:45:00Z'), timeZone: 'Asia/Kolkata' }

const customer = (overrides: Partial<CustomerFacts> = {}): CustomerFacts => ({
  attributes: null,
  city: null,
  createdAt: new Date('2025-01-01T00:00:00Z'),
  email: 'a@example.org',
  lastOrderAt: null,
  lastVisitAt: null,
  marketingOptOut: false,
  name: null,
  orderCount: 0,
  phone: null,
  tags: [],
  totalSpend: 0,
  visits: 0,
  ...overrides,
})

const matches = (rule: Rule, facts: Partial<CustomerFacts>, not = false) =>
  evaluateRules({ clock, customer: customer(facts), rules: { combinator: 'and', ...(not ? { not: true } : {}), rules: [rule] } })

describe('evaluateRules (the contract semantics)', () => {
  it('should never match a missing value positively, and always by negation', () => {
    expect(matches({ field: 'city', operator: '=', value: 'Pune' }, { city: null })).toBe(false)
    expect(matches({ field: 'city', operator: '!=', value: 'Pune' }, { city: null })).toBe(true)
    expect(matches({ field: 'city', operator: 'notIn', value: ['Pune'] }, { city: null })).toBe(true)
    expect(matches({ field: 'city', operator: 'contains', value: 'u' }, { city: null }, true)).toBe(true)
    expect(matches({ field: 'lastOrderAt', operator: 'beforeDaysAgo', value: 1 }, { lastOrderAt: null })).toBe(false)
  })

  it('should ignore case for text and read tags contains as "has the whole tag"', () => {
    expect(matches({ field: 'city', operator: '=', value: 'pune' }, { city: 'PUNE' })).toBe(true)
    expect(matches({ field: 'name', operator: 'beginsWith', value: 'jos' }, { name: 'JOSÉ' })).toBe(true)
    expect(matches({ field: 'name', operator: 'endsWith', value: 'é' }, { name: 'JOSÉ' })).toBe(true)
    expect(matches({ field: 'tags', operator: 'contains', value: 'VIP' }, { tags: ['vip'] })).toBe(true)
    expect(matches({ field: 'tags', operator: 'contains', value: 'vi' }, { tags: ['vip'] })).toBe(false)
  })

  it('should count inactiveDays as whole days since the last order, or since signup', () => {
    const almost90 = new Date(clock.now.getTime() - 90 * 86_400_000 + 1)
    expect(matches({ field: 'inactiveDays', operator: '>=', value: 90 }, { lastOrderAt: almost90 })).toBe(false)
    expect(matches({ field: 'inactiveDays', operator: '>=', value: 89 }, { lastOrderAt: almost90 })).toBe(true)
    expect(matches({ field: 'inactiveDays', operator: '>=', value: 90 }, { createdAt: new Date(clock.now.getTime() - 90 * 86_400_000) })).toBe(true)
  })

  it('should bound withinDays by the store-local day and never the future', () => {
    // 2026-06-15 00:00 in Kolkata is 2026-06-14T18:30Z; WITHIN 0 DAYS means "today, so far".
    expect(matches({ field: 'lastVisitAt', operator: 'withinDays', value: 0 }, { lastVisitAt: new Date('2026-06-14T18:30:00Z') })).toBe(true)
    expect(matches({ field: 'lastVisitAt', operator: 'withinDays', value: 0 }, { lastVisitAt: new Date('2026-06-14T18:29:59.999Z') })).toBe(false)
    expect(matches({ field: 'lastVisitAt', operator: 'withinDays', value: 30 }, { lastVisitAt: new Date('2026-06-16T00:00:00Z') })).toBe(false)
    expect(matches({ field: 'lastVisitAt', operator: 'beforeDaysAgo', value: 0 }, { lastVisitAt: new Date('2026-06-14T18:29:59.999Z') })).toBe(true)
  })

  it('should read a date without offset as a whole day in the store zone', () => {
    const rule: Rule = { field: 'createdAt', operator: '=', value: '2025-03-01' }
    expect(matches(rule, { createdAt: new Date('2025-02-28T18:30:00Z') })).toBe(true)
    expect(matches(rule, { createdAt: new Date('2025-03-01T18:30:00Z') })).toBe(false)
    expect(matches({ field: 'createdAt', operator: '>', value: '2025-03-01' }, { createdAt: new Date('2025-03-01T18:30:00Z') })).toBe(true)
  })

  it('should compare attributes as numbers when both sides are numeric, as text otherwise', () => {
    expect(matches({ field: 'attributes.size', operator: '=', value: 10 }, { attributes: { size: '10.0' } })).toBe(true)
    expect(matches({ field: 'attributes.size', operator: '>', value: 9 }, { attributes: { size: '10' } })).toBe(true)
    expect(matches({ field: 'attributes.size', operator: '>', value: '9' }, { attributes: { size: 10 } })).toBe(true)
    expect(matches({ field: 'attributes.size', operator: '=', value: 'xl' }, { attributes: { size: 'XL' } })).toBe(true)
    expect(matches({ field: 'attributes.size', operator: 'null' }, { attributes: { size: { nested: 1 } } })).toBe(true)
    expect(matches({ field: 'attributes.size', operator: '!=', value: 'xl' }, { attributes: null })).toBe(true)
  })
})

describe('foldCase table', () => {
  it('should map non-ASCII letters only to non-ASCII letters (the SQL compiler relies on it)', async () => {
    const { FOLD_PAIRS, foldCase } = await import('./foldCase.js')
    expect(FOLD_PAIRS.length).toBeGreaterThan(200)
    for (const [upper, lower] of FOLD_PAIRS) {
      expect(upper.codePointAt(0)!).toBeGreaterThan(127)
      expect(lower.codePointAt(0)!).toBeGreaterThan(127)
      expect([...lower]).toHaveLength(1)
    }
    expect(foldCase('SÃO Paulo ΣΟΦΊΑ ДМИТРИЙ İ')).toBe('são paulo σοφία дмитрий İ')
  })
})
