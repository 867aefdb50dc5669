import fc from 'fast-check'

import type { CustomerFacts } from '../../src/domain/segments/evaluate.js'
import type { RuleClock, RuleGroup } from '../../src/domain/segments/types.js'
import type { TestPayload } from '../helpers/bootPayload.js'

import { compileRulesToWhere } from '../../src/domain/segments/compileWhere.js'
import { parseDsl } from '../../src/domain/segments/dsl/parse.js'
import { evaluateRules } from '../../src/domain/segments/evaluate.js'
import { validateRules } from '../../src/domain/segments/ruleSchema.js'
import { sql } from 'drizzle-orm'

import { runSql } from '../../src/bulk/index.js'
import { audienceIds, compileAudience, countAudience, segmentSqlTarget } from '../../src/segments/audience.js'
import { compileRulesToSql, withClause } from '../../src/segments/compileSql.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { ruleArbitrary, ruleTreeArbitrary } from '../helpers/segmentArbitraries.js'
import { loadCustomerFacts, seedSegmentCustomers, valuePoolFrom } from '../helpers/segmentFixtures.js'

const NOW = new Date('2026-06-15T06:45:00.000Z')
// A zone east of UTC with a half-hour offset, so day boundaries differ from UTC's.
const CLOCK: RuleClock = { now: NOW, timeZone: 'Asia/Kolkata' }

describe('segment SQL compiler against the in-memory evaluator', () => {
  let t: TestPayload
  let facts: (CustomerFacts & { id: number })[]

  const memberIds = (rules: RuleGroup): number[] => facts.filter((customer) => evaluateRules({ clock: CLOCK, customer, rules })).map((customer) => customer.id)

  beforeAll(async () => {
    t = await bootTestPayload('segments-property')
    await seedSegmentCustomers({ count: 400, now: NOW, payload: t.payload, seed: 7 })
    facts = await loadCustomerFacts(t.payload)
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should seed customers with missing values, unicode text and every attribute kind', () => {
    expect(facts).toHaveLength(400)
    expect(facts.some((customer) => customer.city === null)).toBe(true)
    expect(facts.some((customer) => customer.name !== null && /[^\x00-\x7f]/.test(customer.name))).toBe(true)
    expect(facts.some((customer) => customer.lastOrderAt === null)).toBe(true)
    expect(facts.some((customer) => (customer.totalSpend ?? 0) > 0)).toBe(true)
    expect(facts.some((customer) => typeof customer.attributes?.size === 'number')).toBe(true)
  })

  it('should select exactly the customers the evaluator selects, for random rule trees', async () => {
    const pool = valuePoolFrom(facts)
    let informative = 0
    let runs = 0
    await fc.assert(
      fc.asyncProperty(ruleTreeArbitrary(pool), async (tree) => {
        const validation = validateRules(tree)
        if (!validation.ok) throw new Error(`generator made an invalid tree: ${JSON.stringify(validation.issues)}`)
        const rules = validation.rules
        const expected = memberIds(rules)
        // Canonicalisation never changes the meaning.
        expect(memberIds(tree)).toEqual(expected)
        const actual = await audienceIds({ clock: CLOCK, limit: 100_000, payload: t.payload, rules })
        expect(actual).toEqual(expected)
        expect(await countAudience({ clock: CLOCK, payload: t.payload, rules })).toBe(expected.length)
        // Compiled without looked-up spellings (skip scans inline), the answer is the same.
        const inline = compileRulesToSql({ clock: CLOCK, rules, target: segmentSqlTarget(t.payload)! })
        const rows = await runSql<{ id: number }>({ payload: t.payload, query: sql`${withClause(inline)}SELECT c."id" AS id FROM "customers" c WHERE ${inline.where} ORDER BY c."id"` })
        expect(rows.map((row) => Number(row.id))).toEqual(expected)
        runs++
        if (expected.length > 0 && expected.length < facts.length) informative++
      }),
      { numRuns: 200 },
    )
    // Rules that match nobody or everybody prove little: most must match some but not all.
    expect(informative / runs).toBeGreaterThan(0.5)
  })

  it('should count OR-heavy trees (counted by index-bounded branches) exactly as the evaluator does', async () => {
    const pool = valuePoolFrom(facts)
    // Rules an index bounds (numbers, dates, city =/IN, tags, inactiveDays), often negated, under OR
    // roots and NOT(AND) roots, mixed with other rules: the shapes counted branch by branch.
    const bounded = ruleArbitrary(pool).filter(
      (rule) =>
        ['createdAt', 'inactiveDays', 'lastOrderAt', 'lastVisitAt', 'orders', 'spend', 'visits'].includes(rule.field) ||
        (rule.field === 'city' && ['=', 'in', 'null', '!=', 'notNull'].includes(rule.operator)) ||
        (rule.field === 'tags' && ['contains', 'in'].includes(rule.operator)),
    )
    const branch = fc.oneof(
      { arbitrary: bounded, weight: 6 },
      { arbitrary: fc.array(fc.oneof(bounded, ruleArbitrary(pool)), { maxLength: 3, minLength: 2 }).map((rules): RuleGroup => ({ combinator: 'and', rules })), weight: 3 },
      { arbitrary: ruleTreeArbitrary(pool, 2), weight: 1 },
    )
    const orTree = fc.oneof(
      { arbitrary: fc.array(branch, { maxLength: 5, minLength: 2 }).map((rules): RuleGroup => ({ combinator: 'or', rules })), weight: 3 },
      // NOT (a AND b …) = NOT a OR NOT b …; NOT (a OR b) = an AND of negated rules (split on one of them).
      { arbitrary: fc.array(branch, { maxLength: 4, minLength: 2 }).map((rules): RuleGroup => ({ combinator: 'and', not: true, rules })), weight: 2 },
      { arbitrary: fc.array(fc.oneof(bounded, ruleArbitrary(pool)), { maxLength: 3, minLength: 1 }).map((rules): RuleGroup => ({ combinator: 'or', not: true, rules })), weight: 2 },
      // NOT (visits < n OR …): missing visits and visits >= n, counted as a sum of disjoint branches.
      {
        arbitrary: fc
          .tuple(fc.constantFrom('visits', 'spend', 'orders' as const), fc.constantFrom('<', '<=', '>', '>=' as const), fc.constantFrom(...pool.numbers.visits), ruleArbitrary(pool))
          .map(([field, operator, value, other]): RuleGroup => ({ combinator: 'or', not: true, rules: [{ field, operator, value }, other] })),
        weight: 2,
      },
    )
    let split = 0
    let disjoint = 0
    let informative = 0
    let runs = 0
    await fc.assert(
      fc.asyncProperty(orTree, async (tree) => {
        const validation = validateRules(tree)
        if (!validation.ok) throw new Error(`generator made an invalid tree: ${JSON.stringify(validation.issues)}`)
        const rules = validation.rules
        const expected = memberIds(rules)
        expect(await countAudience({ clock: CLOCK, payload: t.payload, rules })).toBe(expected.length)
        expect(await audienceIds({ clock: CLOCK, limit: 100_000, payload: t.payload, rules })).toEqual(expected)
        const { compiled } = await compileAudience({ clock: CLOCK, payload: t.payload, rules })
        if (compiled.count) split++
        if (compiled.count?.disjoint) disjoint++
        runs++
        if (expected.length > 0 && expected.length < facts.length) informative++
      }),
      { numRuns: 200 },
    )
    // The branch path must actually be exercised (both kinds), on informative rules.
    process.stderr.write(`OR-heavy trees: ${runs} runs, ${split} counted by branches (${disjoint} as a sum), ${informative} informative\n`)
    expect(split / runs).toBeGreaterThan(0.12)
    expect(disjoint).toBeGreaterThan(10)
    expect(informative / runs).toBeGreaterThan(0.5)
  })

  it('should count the benchmark shapes by branches, with the evaluator\'s answer', async () => {
    const sqlite = segmentSqlTarget(t.payload)!.dialect === 'sqlite'
    const cases: [string, boolean | undefined][] = [
      // SQLite answers a plain OR of column ranges itself (MULTI-INDEX OR): one scan there.
      ['(spend > 500 AND visits < 3) OR (orders >= 3 AND visits >= 20)', sqlite ? undefined : false],
      ['inactive for 400 days', true],
      ['inactiveDays > 30', true],
      ['NOT (city = "Pune" OR visits < 20)', true],
      ['(spend > 20k AND visits > 10) OR (city = "Pune" AND orders >= 3) OR (lastVisitAt WITHIN 3 DAYS AND visits > 5) OR (tags CONTAINS "vip" AND spend > 10) OR (inactiveDays > 700 AND visits > 30)', false],
    ]
    for (const [dsl, isDisjoint] of cases) {
      const parsed = parseDsl(dsl)
      if (!parsed.ok) throw new Error(parsed.errors[0]!.message)
      const { compiled } = await compileAudience({ clock: CLOCK, payload: t.payload, rules: parsed.rules })
      expect(compiled.count?.disjoint).toBe(isDisjoint)
      expect(await countAudience({ clock: CLOCK, payload: t.payload, rules: parsed.rules })).toBe(memberIds(parsed.rules).length)
    }
    // A lone tag rule (PostgreSQL: id = ANY(ARRAY(…))) and a plain AND keep one scan.
    for (const dsl of ['tags CONTAINS "VIP"', 'visits > 3 AND city = "Pune"']) {
      const parsed = parseDsl(dsl)
      if (!parsed.ok) throw new Error(parsed.errors[0]!.message)
      const { compiled } = await compileAudience({ clock: CLOCK, payload: t.payload, rules: parsed.rules })
      expect(compiled.count).toBeNull()
      expect(await countAudience({ clock: CLOCK, payload: t.payload, rules: parsed.rules })).toBe(memberIds(parsed.rules).length)
    }
  })

  it('should select the same customers through the Payload where compiler, on its subset', async () => {
    const pool = valuePoolFrom(facts)
    const subset = ruleArbitrary(pool).filter((rule) => compileRulesToWhere({ clock: CLOCK, rules: rule }).ok)
    let informative = 0
    let runs = 0
    await fc.assert(
      fc.asyncProperty(ruleTreeArbitrary(pool, 3, subset), async (tree) => {
        const validation = validateRules(tree)
        if (!validation.ok) throw new Error(JSON.stringify(validation.issues))
        const compiled = compileRulesToWhere({ clock: CLOCK, rules: validation.rules })
        if (!compiled.ok) throw new Error(`outside the subset: ${compiled.reason}`)
        const { docs } = await t.payload.find({ collection: 'customers', depth: 0, limit: 0, overrideAccess: true, pagination: false, select: {}, sort: 'id', where: compiled.where })
        const expected = memberIds(validation.rules)
        expect(docs.map((doc) => Number(doc.id))).toEqual(expected)
        runs++
        if (expected.length > 0 && expected.length < facts.length) informative++
      }),
      { numRuns: 100 },
    )
    expect(informative / runs).toBeGreaterThan(0.5)
  })

  it('should refuse, with a reason, rules the where compiler cannot express exactly', () => {
    const refused = compileRulesToWhere({ clock: CLOCK, rules: { combinator: 'and', rules: [{ field: 'visits', operator: '>', value: 1 }, { field: 'city', operator: '=', value: 'Pune' }] } })
    expect(refused).toMatchObject({ ok: false, path: 'rules[1]', reason: expect.stringContaining('case') })
    expect(compileRulesToWhere({ clock: CLOCK, rules: { combinator: 'and', rules: [{ field: 'tags', operator: 'contains', value: 'vip' }] } }).ok).toBe(false)
    expect(compileRulesToWhere({ clock: CLOCK, rules: { combinator: 'and', rules: [{ field: 'city', operator: 'null' }] } }).ok).toBe(true)
  })

  it('should ignore case identically for non-ASCII text in SQL and in memory', async () => {
    const cases: RuleGroup[] = [
      { combinator: 'and', rules: [{ field: 'city', operator: '=', value: 'são paulo' }] },
      { combinator: 'and', rules: [{ field: 'city', operator: 'in', value: ['ελλάδα', 'москва'] }] },
      { combinator: 'and', rules: [{ field: 'name', operator: 'contains', value: 'álv' }] },
      { combinator: 'and', rules: [{ field: 'name', operator: 'beginsWith', value: 'σοφ' }] },
      { combinator: 'and', rules: [{ field: 'tags', operator: 'contains', value: 'Früh' }] },
    ]
    for (const rules of cases) {
      const expected = memberIds(rules)
      expect(expected.length).toBeGreaterThan(0)
      // Both spellings of the stored value are found (e.g. "São Paulo" and "SÃO PAULO").
      const stored = new Set(facts.filter((customer) => expected.includes(customer.id)).map((customer) => JSON.stringify([customer.city, customer.name])))
      expect(stored.size).toBeGreaterThan(1)
      expect(await audienceIds({ clock: CLOCK, limit: 100_000, payload: t.payload, rules })).toEqual(expected)
    }
  })
})
