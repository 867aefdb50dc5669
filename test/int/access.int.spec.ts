import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { bootTestPayload } from '../helpers/bootPayload.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

const CRM_COLLECTIONS = ['customers', 'orders', 'segments', 'campaigns', 'communication-logs'] as const

describe('access control', () => {
  let t: TestPayload
  let admin: TestUser
  let marketer: TestUser
  let viewer: TestUser

  beforeAll(async () => {
    t = await bootTestPayload('access')
    admin = await createUserWithRole(t.payload, 'admin')
    marketer = await createUserWithRole(t.payload, 'marketer')
    viewer = await createUserWithRole(t.payload, 'viewer')
    await t.payload.create({ collection: 'customers', data: { email: 'seeded@crm.test', name: 'Seeded' }, overrideAccess: true })
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it.each(CRM_COLLECTIONS)('should refuse anonymous reads of %s', async (slug) => {
    const res = await t.request(`/api/${slug}`)
    expect([401, 403]).toContain(res.status)
    const body = (await res.json()) as { docs?: unknown }
    expect(body.docs).toBeUndefined()
  })

  it('should refuse anonymous reads of users', async () => {
    expect([401, 403]).toContain((await t.request('/api/users')).status)
  })

  it('should refuse anonymous writes', async () => {
    const res = await t.request('/api/customers', {
      body: JSON.stringify({ email: 'anon@crm.test' }),
      headers: jsonHeaders(),
      method: 'POST',
    })
    expect([401, 403]).toContain(res.status)
  })

  it('should keep /api/health public', async () => {
    const res = await t.request('/api/health')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { db: string; ok: boolean; queue: unknown }
    expect(body.ok).toBe(true)
    expect(body.db).toBe(process.env.TEST_DB)
    expect(body.queue).toBeDefined()
  })

  it.each(CRM_COLLECTIONS)('should let every role read %s', async (slug) => {
    for (const user of [admin, marketer, viewer]) {
      const res = await t.request(`/api/${slug}`, { headers: jsonHeaders(user.token) })
      expect(res.status).toBe(200)
    }
  })

  it('should let admins and marketers write customers but not viewers', async () => {
    for (const [user, expected] of [
      [admin, 201],
      [marketer, 201],
      [viewer, 403],
    ] as const) {
      const res = await t.request('/api/customers', {
        body: JSON.stringify({ email: `by-${user.email}` }),
        headers: jsonHeaders(user.token),
        method: 'POST',
      })
      expect(res.status).toBe(expected)
    }
  })

  it('should let viewers read but not update or delete', async () => {
    const { docs } = await t.payload.find({ collection: 'customers', limit: 1, overrideAccess: true })
    const id = docs[0]!.id
    const patch = await t.request(`/api/customers/${id}`, {
      body: JSON.stringify({ name: 'Changed' }),
      headers: jsonHeaders(viewer.token),
      method: 'PATCH',
    })
    expect(patch.status).toBe(403)
    const del = await t.request(`/api/customers/${id}`, { headers: jsonHeaders(viewer.token), method: 'DELETE' })
    expect(del.status).toBe(403)
    const read = await t.request(`/api/customers/${id}`, { headers: jsonHeaders(viewer.token) })
    expect(read.status).toBe(200)
  })

  it('should let only admins manage users', async () => {
    const byMarketer = await t.request('/api/users', {
      body: JSON.stringify({ email: 'new@crm.test', password: 'secret-123456' }),
      headers: jsonHeaders(marketer.token),
      method: 'POST',
    })
    expect(byMarketer.status).toBe(403)
    const byAdmin = await t.request('/api/users', {
      body: JSON.stringify({ email: 'new@crm.test', password: 'secret-123456' }),
      headers: jsonHeaders(admin.token),
      method: 'POST',
    })
    expect(byAdmin.status).toBe(201)
    const created = (await byAdmin.json()) as { doc: { roles: string[] } }
    expect(created.doc.roles).toEqual(['viewer'])
  })

  it('should show non-admins only their own user and refuse self-promotion', async () => {
    const list = await t.request('/api/users', { headers: jsonHeaders(marketer.token) })
    const body = (await list.json()) as { docs: { email: string }[] }
    expect(body.docs.map((doc) => doc.email)).toEqual([marketer.email])
    await t.request(`/api/users/${marketer.id}`, {
      body: JSON.stringify({ roles: ['admin'] }),
      headers: jsonHeaders(marketer.token),
      method: 'PATCH',
    })
    const after = await t.payload.findByID({ collection: 'users', id: marketer.id, overrideAccess: true })
    expect(after.roles).toEqual(['marketer'])
  })

  it('should keep communication logs read-only for people', async () => {
    const res = await t.request('/api/communication-logs', {
      body: JSON.stringify({ recipient: 'x@crm.test' }),
      headers: jsonHeaders(admin.token),
      method: 'POST',
    })
    expect(res.status).toBe(403)
  })

  it('should authenticate headless clients with a Payload API key', async () => {
    const apiKey = 'test-api-key-0123456789abcdef'
    const patch = await t.request(`/api/users/${marketer.id}`, {
      body: JSON.stringify({ apiKey, enableAPIKey: true }),
      headers: jsonHeaders(admin.token),
      method: 'PATCH',
    })
    expect(patch.status).toBe(200)
    const res = await t.request('/api/customers?limit=1', { headers: { authorization: `users API-Key ${apiKey}` } })
    expect(res.status).toBe(200)
    const wrong = await t.request('/api/customers?limit=1', { headers: { authorization: 'users API-Key nope' } })
    expect([401, 403]).toContain(wrong.status)
  })
})
