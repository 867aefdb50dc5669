import type { CrmServer } from '../../src/server/createServer.js'

import { randomBytes } from 'node:crypto'
import os from 'node:os'

import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { createCrmServer } from '../../src/server/createServer.js'
import { closePayload } from '../helpers/bootPayload.js'
import { createTestDatabase, type TestDatabase } from '../helpers/testDb.js'

/**
 * The real Express server over real HTTP (API only; the admin build is covered by the `npm start`
 * test): the same request path users and headless clients take.
 */
describe('HTTP server', () => {
  let db: TestDatabase
  let crm: CrmServer
  let token = ''

  const http = (path: string, init: RequestInit = {}) => fetch(`${crm.url}${path}`, init)
  const json = (body: unknown, extra: Record<string, string> = {}): RequestInit => ({
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...extra },
    method: 'POST',
  })

  beforeAll(async () => {
    db = await createTestDatabase('server')
    const database = parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url })
    const config = buildCrmConfig({
      env: { database, publicUrl: 'http://127.0.0.1', secret: randomBytes(16).toString('hex') },
      extra: { logger: { options: { level: 'warn' } } },
    })
    crm = await createCrmServer({ config, database, host: '127.0.0.1', port: 0, withAdmin: false, workerName: 'http-test-worker' })
  })

  afterAll(async () => {
    await crm?.close()
    if (crm) await closePayload(crm.payload)
    await db?.cleanup()
  })

  it('should answer /api/health with the database kind and the queue counts', async () => {
    const res = await http('/api/health')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { db: string; ok: boolean; queue: Record<string, unknown> }
    expect(body).toMatchObject({ db: process.env.TEST_DB, ok: true })
    expect(body.queue).toMatchObject({ status: 'running', workers: 1 })
    // Anonymous callers get counts only: worker names carry host names and pids.
    expect(body.queue.workerNames).toBeUndefined()
    for (const key of ['due', 'running', 'failed']) expect(typeof body.queue[key]).toBe('number')
  })

  it('should keep the jobs dashboard for admins: anonymous browsers go to the login', async () => {
    const anonymous = await http('/admin/jobs', { headers: { accept: 'text/html' }, redirect: 'manual' })
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toMatch(/^\/admin\/login/)
    expect((await http('/admin/jobs/api', { headers: { accept: 'application/json' } })).status).toBe(401)
  })

  it('should register the first user over HTTP and sign in with a session cookie', async () => {
    const register = await http('/api/users/first-register', json({ email: 'owner@crm.test', password: 'owner-123456' }))
    expect(register.status).toBe(200)
    const login = await http('/api/users/login', json({ email: 'owner@crm.test', password: 'owner-123456' }))
    expect(login.status).toBe(200)
    token = ((await login.json()) as { token: string }).token
    const cookie = login.headers.getSetCookie().find((value) => value.startsWith('payload-token='))
    expect(cookie).toBeDefined()
    // Browsers send Origin; Payload checks it against its CSRF allow-list before trusting a cookie.
    const me = await http('/api/users/me', { headers: { cookie: cookie!.split(';')[0]!, origin: 'http://127.0.0.1' } })
    expect(((await me.json()) as { user: { email: string; roles: string[] } }).user).toMatchObject({ email: 'owner@crm.test', roles: ['admin'] })
  })

  it('should open the jobs dashboard to the admin', async () => {
    const res = await http('/admin/jobs/', { headers: { accept: 'text/html', authorization: `JWT ${token}` } })
    expect(res.status).toBe(200)
    expect(await res.text()).toMatch(/agendash/i)
  })

  it('should serve REST with JWT auth and refuse anonymous clients', async () => {
    const created = await http('/api/customers', json({ city: 'Pune', email: 'Ravi@Example.com', name: 'Ravi', tags: ['vip'] }, { authorization: `JWT ${token}` }))
    expect(created.status).toBe(201)
    const list = await http('/api/customers?limit=10&where[city][equals]=Pune', { headers: { authorization: `JWT ${token}` } })
    const body = (await list.json()) as { docs: { email: string; tags: string[] }[]; totalDocs: number }
    expect(body.totalDocs).toBe(1)
    expect(body.docs[0]).toMatchObject({ email: 'ravi@example.com', tags: ['vip'] })
    expect([401, 403]).toContain((await http('/api/customers')).status)
  })

  it('should serve GraphQL with the same access rules', async () => {
    const query = { query: '{ Customers { totalDocs docs { email city } } }' }
    const authed = await http('/api/graphql', json(query, { authorization: `JWT ${token}` }))
    expect(authed.status).toBe(200)
    const authedBody = (await authed.json()) as { data: { Customers: { docs: { email: string }[]; totalDocs: number } } }
    expect(authedBody.data.Customers.totalDocs).toBe(1)
    const anonymous = await http('/api/graphql', json(query))
    const anonymousBody = (await anonymous.json()) as { data?: { Customers: unknown }; errors?: { message: string }[] }
    expect(anonymousBody.data?.Customers ?? null).toBeNull()
    expect(anonymousBody.errors?.[0]?.message).toMatch(/not allowed/i)
  })

  it('should answer malformed JSON with a 4xx and no stack trace', async () => {
    const res = await http('/api/customers', {
      body: '{"email": ',
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      method: 'POST',
    })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    const text = await res.text()
    expect(text).not.toMatch(/\n\s+at /)
  })

  it('should answer unknown API routes with a JSON 404', async () => {
    for (const path of ['/api/does-not-exist', '/api/customers/1/no/such/route']) {
      const res = await http(path, { headers: { authorization: `JWT ${token}` } })
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      const body = (await res.json()) as { errors: { message: string }[] }
      expect(body).toEqual({ errors: [{ message: expect.stringMatching(/not found/i) }] })
    }
  })
})
