import type { RuleGroupType, RuleProcessor } from '@react-querybuilder/core'

import { defaultRuleProcessorParameterized, formatQuery } from '@react-querybuilder/core'
import Database from 'better-sqlite3'
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core'
import fc from 'fast-check'

import type { CustomerFacts } from '../src/domain/segments/evaluate.js'
import type { RuleGroup, RuleNode } from '../src/domain/segments/types.js'

import { evaluateRules } from '../src/domain/segments/evaluate.js'
import { validateRules } from '../src/domain/segments/ruleSchema.js'
import { compileRulesToSql } from '../src/segments/compileSql.js'

/**
 * `npx tsx bench/rqbCompare.ts [trees]`: the time-boxed comparison of `@react-querybuilder/core`'s
 * `formatQuery` ('parameterized', a rule processor mapping our field names to columns) with our SQL
 * compiler, on the fields both can express without custom semantics (spend, visits, orders: numbers
 * with missing values). Random rule trees (fast-check, the property tests' shape: nested groups,
 * NOT, every number operator) run on SQLite (better-sqlite3, in memory) against the in-memory
 * evaluator (the contract's meaning); prints agreement and compile speed as JSON lines.
 */
const TREES = Number(process.argv[2] ?? 2000)
const CUSTOMERS = 3000
const COLUMN: Record<string, string> = { orders: 'order_count', spend: 'total_spend', visits: 'visits' }

const random = fc.sample(fc.tuple(fc.option(fc.integer({ max: 40, min: 0 }), { freq: 6 }), fc.option(fc.integer({ max: 30_000, min: 0 }), { freq: 6 }), fc.option(fc.integer({ max: 8, min: 0 }), { freq: 6 })), { numRuns: CUSTOMERS, seed: 7 })
const facts: (CustomerFacts & { id: number })[] = random.map(([visits, spend, orders], index) => ({
  attributes: null,
  city: null,
  createdAt: new Date('2025-01-01T00:00:00Z'),
  email: null,
  id: index + 1,
  lastOrderAt: null,
  lastVisitAt: null,
  marketingOptOut: null,
  name: null,
  orderCount: orders,
  phone: null,
  tags: [],
  totalSpend: spend,
  visits,
}))
const db = new Database(':memory:')
db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, visits NUMERIC, total_spend NUMERIC, order_count NUMERIC)')
const insert = db.prepare('INSERT INTO customers VALUES (?, ?, ?, ?)')
for (const fact of facts) insert.run(fact.id, fact.visits, fact.totalSpend, fact.orderCount)

const field = fc.constantFrom('spend', 'visits', 'orders')
const number = fc.integer({ max: 30_000, min: 0 }).map((n) => (n > 40 ? n : n))
const small = fc.integer({ max: 40, min: 0 })
const value = fc.oneof(small, number)
const rule: fc.Arbitrary<RuleNode> = fc.oneof(
  fc.record({ field, operator: fc.constantFrom('=', '!=', '<', '<=', '>', '>='), value }),
  fc.record({ field, operator: fc.constant('between'), value: fc.tuple(small, small).map(([a, b]) => [Math.min(a, b), Math.max(a, b)]) }),
  fc.record({ field, operator: fc.constantFrom('in', 'notIn'), value: fc.array(small, { maxLength: 4, minLength: 1 }) }),
  fc.record({ field, operator: fc.constantFrom('null', 'notNull') }),
) as fc.Arbitrary<RuleNode>
const { tree } = fc.letrec<{ group: RuleGroup; node: RuleNode; tree: RuleGroup }>((tie) => ({
  group: fc.record({ combinator: fc.constantFrom('and', 'or'), not: fc.boolean(), rules: fc.array(tie('node'), { maxLength: 4, minLength: 1 }) }) as fc.Arbitrary<RuleGroup>,
  node: fc.oneof({ depthSize: 'small', maxDepth: 4, withCrossShrink: true }, rule, tie('group')),
  tree: tie('group') as fc.Arbitrary<RuleGroup>,
}))
const trees = fc.sample(tree, { numRuns: TREES, seed: 42 }).map((raw) => {
  const checked = validateRules(raw)
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues))
  return checked.rules
})

const clock = { now: new Date(), timeZone: 'UTC' }
const ruleProcessor: RuleProcessor = (r, options) => defaultRuleProcessorParameterized({ ...r, field: COLUMN[r.field] ?? r.field }, options)
const rqb = (rules: RuleGroup) => formatQuery(rules as unknown as RuleGroupType, { format: 'parameterized', parseNumbers: true, ruleProcessor })
const dialect = new SQLiteSyncDialect()
const ours = (rules: RuleGroup) => {
  const compiled = compileRulesToSql({ clock, rules, target: { dialect: 'sqlite', prefix: '' } })
  // The generated trees are shallower than the depth at which the compiler switches to CTEs.
  if (compiled.ctes.length > 0) throw new Error('unexpected CTE')
  return dialect.sqlToQuery(compiled.where)
}
const idsOf = (where: string, params: unknown[]) => (db.prepare(`SELECT id FROM customers c WHERE ${where} ORDER BY id`).all(...(params as never[])) as { id: number }[]).map((row) => row.id)

let rqbAgree = 0
let oursAgree = 0
let nonTrivial = 0
const rqbFailures: Record<string, number> = {}
let example: undefined | { dsl: unknown; expected: number; rqb: number; sql: string }
for (const rules of trees) {
  const expected = facts.filter((customer) => evaluateRules({ clock, customer, rules })).map((customer) => customer.id)
  if (expected.length > 0 && expected.length < facts.length) nonTrivial++
  const mine = ours(rules)
  if (JSON.stringify(idsOf(mine.sql, mine.params)) === JSON.stringify(expected)) oursAgree++
  const theirs = rqb(rules)
  let got: number[] | undefined
  try {
    got = idsOf(theirs.sql.replace(/\b(visits|total_spend|order_count)\b/g, 'c.$1'), theirs.params)
  } catch (err) {
    rqbFailures[`error: ${(err as Error).message.slice(0, 60)}`] = (rqbFailures[`error: ${(err as Error).message.slice(0, 60)}`] ?? 0) + 1
  }
  if (got && JSON.stringify(got) === JSON.stringify(expected)) rqbAgree++
  else if (got) {
    const text = JSON.stringify(rules)
    const reason = /"not":true/.test(text) ? 'a NOT group (NULLs drop out of NOT (…))' : /"!="|"notIn"/.test(text) ? '!= / notIn without the missing values' : 'other'
    rqbFailures[reason] = (rqbFailures[reason] ?? 0) + 1
    if (!example || theirs.sql.length < example.sql.length) example = { dsl: rules, expected: expected.length, rqb: got.length, sql: theirs.sql }
  }
}
const timeIt = (fn: (rules: RuleGroup) => unknown) => {
  for (const rules of trees.slice(0, 200)) fn(rules)
  const started = performance.now()
  for (const rules of trees) fn(rules)
  return ((performance.now() - started) * 1000) / trees.length
}
console.log(JSON.stringify({ customers: CUSTOMERS, nonTrivial, trees: trees.length }))
console.log(JSON.stringify({ agreeWithEvaluator: oursAgree, compiler: 'ours', compileMicrosecondsPerTree: Math.round(timeIt(ours)) }))
console.log(JSON.stringify({ agreeWithEvaluator: rqbAgree, compiler: 'formatQuery parameterized', compileMicrosecondsPerTree: Math.round(timeIt(rqb)), disagreements: rqbFailures }))
console.log(JSON.stringify({ shortestDisagreement: example }))
