import type { CollectionBeforeChangeHook } from 'payload'

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

  it('should make exactly one admin when two first-registers really overlap', async () => {
    await t.payload.delete({ collection: 'users', overrideAccess: true, where: { id: { exists: true } } })
    // A barrier after the built-in hook: each registration waits inside its create until the other
    // has arrived, so both have counted zero users before either writes (SQLite runs without
    // transactions, so only a database constraint can keep the second one out).
    const arrivals: string[] = []
    let release!: () => void
    const bothArrived = new Promise<void>((resolve) => (release = resolve))
    const barrier: CollectionBeforeChangeHook = async ({ data, operation }) => {
      if (operation !== 'create') return data
      arrivals.push(String(data.email))
      if (arrivals.length === 2) release()
      let timer: NodeJS.Timeout | undefined
      await Promise.race([bothArrived, new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))])
      clearTimeout(timer)
      return data
    }
    const hooks = t.payload.collections.users.config.hooks
    hooks.beforeChange.push(barrier)
    try {
      const register = (email: string) =>
        t.request('/api/users/first-register', {
          body: JSON.stringify({ email, password: 'race-123456', roles: ['viewer'] }),
          headers: jsonHeaders(),
          method: 'POST',
        })
      const responses = await Promise.all([register('one@race.test'), register('two@race.test')])
      expect(arrivals.sort()).toEqual(['one@race.test', 'two@race.test'])
      const statuses = responses.map((res) => res.status).sort()
      expect(statuses).toEqual([200, 403])
      const loser = responses.find((res) => res.status === 403)!
      expect(await loser.json()).toEqual({ errors: [{ message: expect.stringMatching(/first user has already been registered/i) }] })
      const winner = (await responses.find((res) => res.status === 200)!.json()) as { user: { email: string; roles: string[] } }
      expect(winner.user.roles).toEqual(['admin'])
      const users = await t.payload.find({ collection: 'users', overrideAccess: true })
      expect(users.docs.map((user) => [user.email, user.roles])).toEqual([[winner.user.email, ['admin']]])
    } finally {
      hooks.beforeChange.splice(hooks.beforeChange.indexOf(barrier), 1)
    }
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
