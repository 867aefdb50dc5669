import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { bootTestPayload } from '../helpers/bootPayload.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

type Values = { values: string[] }

/** `GET /api/segments/values`: the distinct values behind the admin rule builder's pickers. */
describe('segment builder values', () => {
  let t: TestPayload
  let viewer: TestUser
  let marketer: TestUser

  const get = (query: string, token?: string) => t.request(`/api/segments/values?${query}`, { headers: jsonHeaders(token) })
  const values = async (query: string): Promise<string[]> => {
    const res = await get(query, viewer.token)
    expect(res.status).toBe(200)
    return ((await res.json()) as Values).values
  }

  beforeAll(async () => {
    t = await bootTestPayload('segments-values')
    await createUserWithRole(t.payload, 'admin')
    viewer = await createUserWithRole(t.payload, 'viewer')
    marketer = await createUserWithRole(t.payload, 'marketer')
    const rows = [
      { attributes: { plan: 'gold', seats: 3 }, city: 'Pune', email: 'a@x.test', tags: ['vip', 'new'] },
      { attributes: { plan: 'silver', trial: true }, city: 'PUNE', email: 'b@x.test', tags: ['VIP'] },
      { attributes: { plan: 'gold', nested: { a: 1 } }, city: 'São Paulo', email: 'c@x.test', tags: ['churn-risk'] },
      { city: 'Delhi', email: 'd@x.test' },
      { attributes: ['not', 'an', 'object'], email: 'e@x.test' },
    ]
    for (const data of rows) await t.payload.create({ collection: 'customers', data: data as never, overrideAccess: true })
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should answer 401 to anonymous callers and let viewers and marketers read', async () => {
    expect((await get('field=city')).status).toBe(401)
    expect((await get('field=city', marketer.token)).status).toBe(200)
    expect((await get('field=city', viewer.token)).status).toBe(200)
  })

  it('should list distinct cities and tags as stored, sorted, filtered ignoring case', async () => {
    expect(await values('field=city')).toEqual(['Delhi', 'Pune', 'PUNE', 'São Paulo'].sort((a, b) => a.localeCompare(b)))
    expect(await values('field=city&q=s%C3%83O')).toEqual(['São Paulo'])
    expect(await values('field=city&q=pu')).toEqual(expect.arrayContaining(['Pune', 'PUNE']))
    expect((await values('field=city&q=pu')).length).toBe(2)
    expect(await values('field=tags')).toEqual(['churn-risk', 'new', 'vip', 'VIP'].sort((a, b) => a.localeCompare(b)))
    expect(await values('field=tags&limit=1')).toHaveLength(1)
  })

  it('should list attribute keys of object attributes and one key\'s scalar values', async () => {
    expect(await values('field=attributes')).toEqual(['nested', 'plan', 'seats', 'trial'])
    expect(await values('field=attributes.plan')).toEqual(['gold', 'silver'])
    expect(await values('field=attributes.seats')).toEqual(['3'])
    expect(await values('field=attributes.trial')).toEqual(['true'])
    expect(await values('field=attributes.nested')).toEqual([])
  })

  it('should refuse unknown fields and oversized limits with a 400 naming the parameter', async () => {
    const bad = await get('field=email', viewer.token)
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('field')
    expect((await get('field=attributes.bad-key', viewer.token)).status).toBe(400)
    expect((await get('field=city&limit=1000', viewer.token)).status).toBe(400)
  })

  it('should not give API-created campaigns a segment from the query string (only the admin create view does)', async () => {
    const segment = await t.payload.create({ collection: 'segments', data: { dsl: 'visits > 1', name: 's' }, overrideAccess: true })
    const res = await t.request(`/api/campaigns?segment=${segment.id}`, { body: JSON.stringify({ message: 'Hi {{name}}', name: 'c' }), headers: jsonHeaders(marketer.token), method: 'POST' })
    expect(res.status).toBe(201)
    expect(((await res.json()) as { doc: { segment?: unknown } }).doc.segment ?? null).toBeNull()
  })
})
