import type { CustomerFacts } from '../../src/domain/segments/evaluate.js'
import type { RuleGroup } from '../../src/domain/segments/types.js'
import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { parse } from 'csv-parse/sync'

import { CSV_EXPORT_PAGE_ROWS } from '../../src/constants.js'
import { parseDsl } from '../../src/domain/segments/dsl/parse.js'
import { evaluateRules } from '../../src/domain/segments/evaluate.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { loadCustomerFacts, seedSegmentCustomers } from '../helpers/segmentFixtures.js'
import { createUserWithRole } from '../helpers/users.js'

type ErrorBody = { errors: { location?: string; message: string; path?: string; position?: number }[] }

/** `GET /api/customers/export?segment=<id>` (or `?dsl=` / `?rules=`): a segment's members as CSV. */
describe('segment members as CSV', () => {
  let t: TestPayload
  let marketer: TestUser
  let viewer: TestUser
  let facts: (CustomerFacts & { email: null | string; id: number })[]

  const get = (search: string, token = marketer.token) => t.request(`/api/customers/export${search}`, { headers: { authorization: `JWT ${token}` } })
  const exportedEmails = async (search: string): Promise<string[]> => {
    const res = await get(search)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    return (parse(await res.text(), { columns: true }) as { email: string }[]).map((row) => row.email)
  }
  const rulesOf = (dsl: string): RuleGroup => {
    const parsed = parseDsl(dsl)
    if (!parsed.ok) throw new Error(parsed.errors[0]!.message)
    return parsed.rules
  }
  // Expected members in id order, from the in-memory evaluator (seeded dates are far from day boundaries).
  const expectedEmails = (rules: RuleGroup): string[] =>
    facts.filter((customer) => evaluateRules({ clock: { now: new Date(), timeZone: 'UTC' }, customer, rules })).map((customer) => customer.email!)

  beforeAll(async () => {
    t = await bootTestPayload('segments-export')
    await createUserWithRole(t.payload, 'admin')
    marketer = await createUserWithRole(t.payload, 'marketer')
    viewer = await createUserWithRole(t.payload, 'viewer')
    // More customers than one export page, so the keyset paging over the segment's SQL is exercised.
    await seedSegmentCustomers({ count: CSV_EXPORT_PAGE_ROWS * 2 + 300, now: new Date(), payload: t.payload, seed: 5 })
    const docs = (await t.payload.find({ collection: 'customers', depth: 0, limit: 0, overrideAccess: true, pagination: false, sort: 'id' })).docs
    const emailById = new Map(docs.map((doc) => [doc.id, doc.email]))
    facts = (await loadCustomerFacts(t.payload)).map((fact) => ({ ...fact, email: emailById.get(fact.id) ?? null }))
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it("should stream exactly a saved segment's members, in id order, across several pages", async () => {
    const dsl = 'visits >= 3 OR city = "são paulo" OR tags CONTAINS "VIP"'
    const segment = await t.payload.create({ collection: 'segments', data: { dsl, name: 'export me' }, overrideAccess: true })
    const expected = expectedEmails(rulesOf(dsl))
    expect(expected.length).toBeGreaterThan(CSV_EXPORT_PAGE_ROWS)
    expect(expected.length).toBeLessThan(facts.length)
    expect(await exportedEmails(`?segment=${segment.id}`)).toEqual(expected)
  })

  it('should export the members of inline DSL or rules, and combine them with where', async () => {
    const dsl = 'city IN ("Москва", "istanbul") AND NOT visits < 2'
    const expected = expectedEmails(rulesOf(dsl))
    expect(expected.length).toBeGreaterThan(0)
    expect(await exportedEmails(`?dsl=${encodeURIComponent(dsl)}`)).toEqual(expected)
    expect(await exportedEmails(`?rules=${encodeURIComponent(JSON.stringify(rulesOf(dsl)))}`)).toEqual(expected)

    const withWhere = await exportedEmails(`?dsl=${encodeURIComponent(dsl)}&where[visits][greater_than_equal]=5`)
    const both = expectedEmails(rulesOf(`(${dsl}) AND visits >= 5`))
    expect(both.length).toBeLessThan(expected.length)
    expect(withWhere).toEqual(both)
  })

  it('should answer an empty segment with the header only', async () => {
    const res = await get(`?dsl=${encodeURIComponent('visits > 1000000')}`)
    expect(res.status).toBe(200)
    expect((await res.text()).trim().split('\n')).toHaveLength(1)
  })

  it('should answer 4xx naming the problem, never a 500', async () => {
    const errorOf = async (search: string, status: number) => {
      const res = await get(search)
      expect(res.status).toBe(status)
      return ((await res.json()) as ErrorBody).errors[0]!
    }
    expect(await errorOf(`?dsl=${encodeURIComponent('visits > "abc"')}`, 400)).toMatchObject({ location: 'query', path: 'dsl', position: 9 })
    expect(await errorOf(`?dsl=${encodeURIComponent('visits >')}`, 400)).toMatchObject({ path: 'dsl', position: 8 })
    expect(await errorOf('?rules=%7Bnot%20json', 400)).toMatchObject({ message: expect.stringContaining('JSON'), path: 'rules' })
    expect(await errorOf(`?rules=${encodeURIComponent(JSON.stringify({ combinator: 'and', rules: [{ field: 'colour', operator: '=', value: 1 }] }))}`, 400)).toMatchObject({ path: 'rules[0].field' })
    expect(await errorOf('?segment=1&dsl=visits%20%3E%201', 400)).toMatchObject({ path: 'segment' })
    expect(await errorOf('?segment=abc', 400)).toMatchObject({ path: 'segment' })
    expect(await errorOf('?segment=987654', 404)).toMatchObject({ message: expect.stringContaining('987654') })
  })

  it('should keep the export to marketers and admins', async () => {
    expect((await t.request('/api/customers/export?dsl=visits%20%3E%201')).status).toBe(401)
    expect((await get('?dsl=visits%20%3E%201', viewer.token)).status).toBe(403)
  })
})
