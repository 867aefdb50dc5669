import type { CustomerFacts } from '../../src/domain/segments/evaluate.js'
import type { RuleGroup } from '../../src/domain/segments/types.js'
import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { evaluateRules } from '../../src/domain/segments/evaluate.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { loadCustomerFacts, seedSegmentCustomers } from '../helpers/segmentFixtures.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

type ErrorBody = { errors: { message: string; path?: string; position?: number }[] }

describe('segment endpoints', () => {
  let t: TestPayload
  let viewer: TestUser
  let marketer: TestUser
  let facts: (CustomerFacts & { id: number })[]

  const post = (path: string, body: unknown, token?: string) =>
    t.request(`/api/segments${path}`, { body: typeof body === 'string' ? body : JSON.stringify(body), headers: jsonHeaders(token), method: 'POST' })
  // Expected members, computed in memory at (about) request time; the seeded dates are far from day boundaries.
  const expectedIds = (rules: RuleGroup): number[] =>
    facts.filter((customer) => evaluateRules({ clock: { now: new Date(), timeZone: 'UTC' }, customer, rules })).map((customer) => customer.id)

  beforeAll(async () => {
    t = await bootTestPayload('segments-endpoints')
    // The first user is always made an admin: create one so the others keep their roles.
    await createUserWithRole(t.payload, 'admin')
    viewer = await createUserWithRole(t.payload, 'viewer')
    marketer = await createUserWithRole(t.payload, 'marketer')
    await seedSegmentCustomers({ count: 150, now: new Date(), payload: t.payload, seed: 11 })
    facts = await loadCustomerFacts(t.payload)
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should answer 401 without a user and let a viewer preview', async () => {
    expect((await post('/preview', { dsl: 'visits > 3' })).status).toBe(401)
    expect((await post('/parse', { dsl: 'visits > 3' })).status).toBe(401)
    const res = await post('/preview', { dsl: 'visits > 3' }, viewer.token)
    expect(res.status).toBe(200)
  })

  it('should answer 403 when a viewer saves or recounts a segment', async () => {
    expect((await t.request('/api/segments', { body: JSON.stringify({ dsl: 'visits > 3', name: 'v' }), headers: jsonHeaders(viewer.token), method: 'POST' })).status).toBe(403)
    const segment = await t.payload.create({ collection: 'segments', data: { dsl: 'visits > 3', name: 'x' }, overrideAccess: true })
    expect((await post(`/${segment.id}/count`, {}, viewer.token)).status).toBe(403)
  })

  it('should preview from DSL or rules: the database count, a sample of 10 and both forms', async () => {
    const dsl = 'spend > INR 1,000 AND visits < 20 OR inactive for 90 days'
    const res = await post('/preview', { dsl }, viewer.token)
    const body = (await res.json()) as { count: number; dsl: string; rules: RuleGroup; sample: { email: string; id: number }[] }
    const expected = expectedIds(body.rules)
    expect(expected.length).toBeGreaterThan(10)
    expect(expected.length).toBeLessThan(facts.length)
    expect(body.count).toBe(expected.length)
    expect(body.sample.map((customer) => customer.id)).toEqual(expected.slice(0, 10))
    expect(body.sample[0]!.email).toMatch(/@/)
    expect(body.dsl).toBe('(spend > 1000 AND visits < 20) OR inactiveDays >= 90')
    const again = (await (await post('/preview', { rules: body.rules }, viewer.token)).json()) as { count: number }
    expect(again.count).toBe(expected.length)
  })

  it('should reject malformed JSON, unknown body fields, and bad rules with the rule path', async () => {
    const malformed = await post('/preview', '{"dsl": ', viewer.token)
    expect(malformed.status).toBe(400)
    expect(((await malformed.json()) as ErrorBody).errors[0]!.message).toMatch(/Malformed JSON/)

    const unknownKey = await post('/preview', { dls: 'visits > 1' }, viewer.token)
    expect(unknownKey.status).toBe(400)
    expect(JSON.stringify(await unknownKey.json())).toContain('dls')

    const unknownField = await post('/preview', { rules: { combinator: 'and', rules: [{ field: 'colour', operator: '=', value: 'red' }] } }, viewer.token)
    expect(unknownField.status).toBe(400)
    expect(((await unknownField.json()) as ErrorBody).errors[0]).toMatchObject({ message: expect.stringContaining('Unknown field "colour"'), path: 'rules[0].field' })

    const wrongType = await post(
      '/preview',
      { rules: { combinator: 'and', rules: [{ field: 'visits', operator: '>', value: 1 }, { combinator: 'or', rules: [{ field: 'spend', operator: '>', value: 'lots' }] }] } },
      viewer.token,
    )
    expect(wrongType.status).toBe(400)
    expect(((await wrongType.json()) as ErrorBody).errors[0]).toMatchObject({ path: 'rules[1].rules[0].value' })

    const badDsl = await post('/preview', { dsl: 'visits > 1 AND' }, viewer.token)
    expect(badDsl.status).toBe(400)
    expect(((await badDsl.json()) as ErrorBody).errors[0]).toMatchObject({ path: 'dsl', position: 14 })

    expect((await post('/preview', {}, viewer.token)).status).toBe(400)
  })

  it('should count a rule with 50 nested groups', async () => {
    const nest = (depth: number): RuleGroup =>
      depth === 0 ? { combinator: 'and', rules: [{ field: 'visits', operator: '>=', value: 5 }] } : { combinator: depth % 2 ? 'and' : 'or', not: true, rules: [nest(depth - 1)] }
    const rules = nest(50)
    const res = await post('/preview', { rules }, viewer.token)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { count: number }
    expect(body.count).toBe(expectedIds(rules).length)
    expect(body.count).toBe(facts.filter((customer) => customer.visits !== null && customer.visits >= 5).length)
    // 50 levels that do not collapse: alternating AND/OR groups of two rules each.
    const deep = (depth: number): RuleGroup =>
      depth === 0
        ? { combinator: 'or', rules: [{ field: 'visits', operator: '>=', value: 20 }, { field: 'city', operator: 'null' }] }
        : {
            combinator: depth % 2 ? 'and' : 'or',
            not: depth % 5 === 0,
            rules: [
              depth % 2 ? { field: 'email', operator: 'notNull' } : depth % 3 ? { field: 'visits', operator: '=', value: depth % 7 } : { field: 'attributes.size', operator: 'beginsWith', value: '1' },
              deep(depth - 1),
            ],
          }
    const deepRes = await post('/preview', { rules: deep(50) }, viewer.token)
    expect(deepRes.status).toBe(200)
    const deepCount = ((await deepRes.json()) as { count: number }).count
    expect(deepCount).toBe(expectedIds(deep(50)).length)
    expect(deepCount).toBeGreaterThan(0)
    expect(deepCount).toBeLessThan(facts.length)
  })

  it('should parse and format', async () => {
    const parsed = await post('/parse', { dsl: 'city in ("Pune", "Delhi") and not tags contains "vip"' }, viewer.token)
    expect(parsed.status).toBe(200)
    const { rules } = (await parsed.json()) as { rules: RuleGroup }
    expect(rules.rules[0]).toEqual({ field: 'city', operator: 'in', value: ['Pune', 'Delhi'] })
    const formatted = await post('/format', { rules }, viewer.token)
    expect(await formatted.json()).toMatchObject({ dsl: 'city IN ("Pune", "Delhi") AND NOT tags CONTAINS "vip"' })
    const bad = await post('/parse', { dsl: 'city = ' }, viewer.token)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as ErrorBody).errors[0]!.position).toBe(7)
  })

  it('should derive rules from dsl (and dsl from rules) on save and keep the audience count fresh', async () => {
    const created = await t.request('/api/segments', { body: JSON.stringify({ dsl: 'visits >= 10', name: 'Regulars' }), headers: jsonHeaders(marketer.token), method: 'POST' })
    expect(created.status).toBe(201)
    const { doc } = (await created.json()) as { doc: { audienceCount: number; countedAt: string; dsl: string; id: number; rules: RuleGroup } }
    expect(doc.rules).toEqual({ combinator: 'and', rules: [{ field: 'visits', operator: '>=', value: 10 }] })
    expect(doc.audienceCount).toBe(expectedIds(doc.rules).length)
    expect(Date.parse(doc.countedAt)).toBeGreaterThan(Date.now() - 60_000)

    const rules: RuleGroup = { combinator: 'or', rules: [{ field: 'visits', operator: '>=', value: 20 }, { field: 'city', operator: '=', value: 'pune' }] }
    const updated = await t.request(`/api/segments/${doc.id}`, { body: JSON.stringify({ rules }), headers: jsonHeaders(marketer.token), method: 'PATCH' })
    const after = ((await updated.json()) as { doc: { audienceCount: number; dsl: string } }).doc
    expect(after.dsl).toBe('visits >= 20 OR city = "pune"')
    expect(after.audienceCount).toBe(expectedIds(rules).length)

    const otherRules: RuleGroup = { combinator: 'and', rules: [{ field: 'visits', operator: '>=', value: 30 }] }
    const disagree = await t.request(`/api/segments/${doc.id}`, { body: JSON.stringify({ dsl: 'visits > 1', rules: otherRules }), headers: jsonHeaders(marketer.token), method: 'PATCH' })
    expect(disagree.status).toBe(400)
    const invalid = await t.request('/api/segments', { body: JSON.stringify({ dsl: 'visits >', name: 'Broken' }), headers: jsonHeaders(marketer.token), method: 'POST' })
    expect(invalid.status).toBe(400)
    expect(JSON.stringify(await invalid.json())).toContain('position 8')

    // A customer joins: the count refreshes on demand.
    await t.payload.create({ collection: 'customers', data: { city: 'PUNE', email: 'new-pune@crm.test' }, overrideAccess: true })
    const recount = await post(`/${doc.id}/count`, {}, marketer.token)
    expect(recount.status).toBe(200)
    expect(((await recount.json()) as { audienceCount: number }).audienceCount).toBe(after.audienceCount + 1)
  })

  it("should list a saved segment's members in Payload's paginated shape", async () => {
    const segment = await t.payload.create({ collection: 'segments', data: { dsl: 'visits >= 3', name: 'Members' }, overrideAccess: true })
    facts = await loadCustomerFacts(t.payload)
    const expected = expectedIds(segment.rules as RuleGroup)
    const res = await t.request(`/api/segments/${segment.id}/customers?page=2&limit=7`, { headers: jsonHeaders(viewer.token) })
    expect(res.status).toBe(200)
    const page = (await res.json()) as { docs: { id: number }[]; hasNextPage: boolean; hasPrevPage: boolean; limit: number; page: number; totalDocs: number; totalPages: number }
    expect(page).toMatchObject({ hasPrevPage: true, limit: 7, page: 2, totalDocs: expected.length, totalPages: Math.ceil(expected.length / 7) })
    expect(page.docs.map((customer) => customer.id)).toEqual(expected.slice(7, 14))
    expect((await t.request('/api/segments/999999/customers', { headers: jsonHeaders(viewer.token) })).status).toBe(404)
    expect((await t.request(`/api/segments/${segment.id}/customers?limit=5000`, { headers: jsonHeaders(viewer.token) })).status).toBe(400)
    expect((await t.request(`/api/segments/${segment.id}/customers`)).status).toBe(401)
  })

  it('should document the endpoints in the OpenAPI description', async () => {
    const doc = (await (await t.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/segments/preview', '/api/segments/parse', '/api/segments/format', '/api/segments/{id}/customers']))
  })
})
