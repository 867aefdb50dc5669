import type { TestPayload } from '../helpers/bootPayload.js'

import { bootTestPayload } from '../helpers/bootPayload.js'
import { jsonHeaders } from '../helpers/users.js'

describe('first user', () => {
  let t: TestPayload

  beforeAll(async () => {
    t = await bootTestPayload('first_user')
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should make the first registered user an admin even if it asks for another role', async () => {
    const res = await t.request('/api/users/first-register', {
      body: JSON.stringify({ email: 'Founder@Example.com', password: 'founder-123456', roles: ['viewer'] }),
      headers: jsonHeaders(),
      method: 'POST',
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { token: string; user: { roles: string[] } }
    expect(body.user.roles).toEqual(['admin'])
    expect(body.token).toBeTruthy()
  })

  it('should refuse a second first-register', async () => {
    const res = await t.request('/api/users/first-register', {
      body: JSON.stringify({ email: 'second@example.com', password: 'second-123456' }),
      headers: jsonHeaders(),
      method: 'POST',
    })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    const count = await t.payload.count({ collection: 'users', overrideAccess: true })
    expect(count.totalDocs).toBe(1)
  })

  it('should give later users the viewer role by default', async () => {
    const user = await t.payload.create({
      collection: 'users',
      data: { email: 'later@example.com', password: 'later-123456' } as { email: string; password: string; roles: ('admin' | 'marketer' | 'viewer')[] },
      overrideAccess: true,
    })
    expect(user.roles).toEqual(['viewer'])
  })
})
