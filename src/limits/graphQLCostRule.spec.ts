import { buildSchema, parse, validate } from 'graphql'

import { createGraphQLCostRule } from './graphQLCostRule.js'

// The shape Payload generates: a paginated list with `limit`/`pagination` arguments and a `docs` list.
const schema = buildSchema(`
  type Order { id: ID amount: Float }
  type Customer { email: String name: String tags: [String] orders: [Order] }
  type Customers { docs: [Customer] totalDocs: Int hasNextPage: Boolean }
  type Query { Customers(limit: Int, page: Int, pagination: Boolean): Customers }
`)

/** The cost the rule computed, read from its error against a budget of 1 (every query costs more). */
const costOf = (query: string, variables?: Record<string, unknown>): number => {
  const errors = validate(schema, parse(query), [createGraphQLCostRule({ maxCost: 1, maxPageSize: 1000, variables })])
  const match = /estimated cost is (\d+)/.exec(errors[0]?.message ?? '')
  if (!match) throw new Error(`no cost error: ${errors.map((error) => error.message).join('; ')}`)
  return Number(match[1])
}

describe('createGraphQLCostRule', () => {
  it.each([
    ['one page of 1,000 with two fields', '{ Customers(limit: 1000) { docs { email name } } }', 1 + 100 + 1000 * 3],
    ['Payload’s default limit of 10', '{ Customers { docs { email name } } }', 1 + 100 + 10 * 3],
    ['a limit above the cap counted as the cap', '{ Customers(limit: 50000) { docs { email } } }', 1 + 100 + 1000 * 2],
    ['limit 0 counted as the cap', '{ Customers(limit: 0) { docs { email } } }', 1 + 100 + 1000 * 2],
    ['pagination: false counted as the cap', '{ Customers(pagination: false) { docs { email } } }', 1 + 100 + 1000 * 2],
    ['a scalar list counted once', '{ Customers(limit: 5) { docs { tags } } }', 1 + 100 + 5 * 2],
    ['a list of objects without limit counted as 10', '{ Customers(limit: 5) { docs { orders { id } } } }', 1 + 100 + 5 * (1 + 1 + 10 * 1)],
  ])('should cost %s', (_, query, expected) => {
    expect(costOf(query)).toBe(expected)
  })

  it('should add up aliases and fragments, and read limit from variables', () => {
    const query = `query ($n: Int) { a: Customers(limit: $n) { ...F } b: Customers(limit: 2) { ...F } } fragment F on Customers { docs { email } }`
    expect(costOf(query, { n: 100 })).toBe(1 + 100 + 100 * 2 + (1 + 100 + 2 * 2))
  })

  it('should pass a query within the budget and refuse one past it, saying why', () => {
    const rule = createGraphQLCostRule({ maxCost: 20_000, maxPageSize: 1000 })
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: Customers(limit: 1000) { docs { email name } }`).join(' ')} }`
    expect(validate(schema, parse(aliases(6)), [rule])).toEqual([])
    const [error] = validate(schema, parse(aliases(200)), [rule])
    expect(error?.message).toMatch(/too expensive: its estimated cost is 620200, the limit is 20000\. .*page through with "page"/)
  })
})
