import fc from 'fast-check'

import { ruleTreeArbitrary, SAMPLE_POOL } from '../../../../test/helpers/segmentArbitraries.js'
import { canonicalRules, validateRules } from '../ruleSchema.js'
import { formatDsl } from './format.js'
import { parseDsl } from './parse.js'
import { tokenize } from './tokenize.js'

const VOCABULARY = [
  'spend', 'visits', 'orders', 'inactiveDays', 'lastOrderAt', 'city', 'tags', 'name', 'attributes.size', 'marketingOptOut',
  'AND', 'OR', 'NOT', 'IN', 'BETWEEN', 'CONTAINS', 'BEGINS', 'ENDS', 'WITH', 'IS', 'NULL', 'WITHIN', 'BEFORE', 'DAYS', 'AGO',
  'inactive', 'for', 'INR', '₹', 'true', 'false', '(', ')', ',', '=', '!=', '<>', '>', '>=', '<', '<=', '10', '10,000', '10k',
  '1.5', '-3', '"Pune"', "'x'", '2025-03-01', '"', '\\',
]

describe('DSL round trip and robustness', () => {
  it('should give back the canonical tree: parse(format(tree)) equals canonical(tree)', () => {
    fc.assert(
      fc.property(ruleTreeArbitrary(SAMPLE_POOL, 4), (tree) => {
        const validation = validateRules(tree)
        expect(validation.ok).toBe(true)
        if (!validation.ok) return
        const text = formatDsl(validation.rules)
        const parsed = parseDsl(text)
        if (!parsed.ok) throw new Error(`${text}: ${JSON.stringify(parsed.errors)}`)
        expect(parsed.rules).toEqual(validation.rules)
        expect(canonicalRules(parsed.rules)).toEqual(parsed.rules)
        expect(formatDsl(parsed.rules)).toBe(text)
      }),
      { numRuns: 1000 },
    )
  })

  it('should never write a thousands separator', () => {
    expect(formatDsl({ combinator: 'and', rules: [{ field: 'spend', operator: 'in', value: [10000, 1, 1000] }] })).toBe('spend IN (10000, 1, 1000)')
  })

  it('should answer 10,000 random token sequences from its own vocabulary with a tree or an error, never a crash', () => {
    let parsedCount = 0
    // Pure random sequences rarely form a rule; half the runs are well-formed comparisons joined by AND/OR,
    // so the property is exercised on successful parses too (not only on errors).
    const randomTokens = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 14, minLength: 1 })
    const comparison = fc
      .tuple(fc.constantFrom('spend', 'visits', 'orders'), fc.constantFrom('>', '<', '=', '>=', '<=', '!='), fc.constantFrom('10', '10,000', '10k'))
      .map((parts) => parts.join(' '))
    const wellFormed = fc
      .tuple(fc.array(comparison, { maxLength: 4, minLength: 1 }), fc.constantFrom('AND', 'OR'))
      .map(([comparisons, joiner]) => comparisons.join(` ${joiner} `).split(' '))
    fc.assert(
      fc.property(fc.oneof(randomTokens, wellFormed), (tokens) => {
        const result = parseDsl(tokens.join(' '))
        if (result.ok) parsedCount++
        else for (const error of result.errors) expect(error.position).toBeGreaterThanOrEqual(0)
      }),
      { numRuns: 10_000 },
    )
    expect(parsedCount).toBeGreaterThan(0)
  })

  it('should never crash on random strings, deep parentheses or huge numbers', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: 'grapheme' }), (text) => {
        const result = parseDsl(text)
        expect(typeof result.ok).toBe('boolean')
      }),
      { numRuns: 3000 },
    )
    expect(parseDsl(`${'('.repeat(5000)}visits = 1${')'.repeat(5000)}`).ok).toBe(false)
    expect(parseDsl('spend > 1e999').ok).toBe(false)
    expect(() => tokenize('"unterminated')).toThrow(/closing/)
  })
})
