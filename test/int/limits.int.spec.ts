import type { CollectionAfterOperationHook, CollectionBeforeOperationHook } from 'payload'

import type { JobRuntime } from '../../src/jobs/runtime.js'
import type { CrmServer } from '../../src/server/createServer.js'

import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { handleEndpoints } from 'payload'
import { z } from 'zod'

import { sql } from 'drizzle-orm'

import { runSql, upsertCustomers } from '../../src/bulk/index.js'
import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { defineEndpoint } from '../../src/endpoints/defineEndpoint.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { getQueueHealth } from '../../src/jobs/queueHealth.js'
import { WORKERS_TABLE } from '../../src/jobs/queueStore.js'
import { startJobRuntime } from '../../src/jobs/runtime.js'
import { setQueueHealthProvider } from '../../src/jobs/queueHealthRegistry.js'
import { withCrmBodyLimit } from '../../src/limits/withBodyLimit.js'
import { createCrmServer } from '../../src/server/createServer.js'
import { closePayload } from '../helpers/bootPayload.js'
import { createTestDatabase, type TestDatabase } from '../helpers/testDb.js'
import { createUserWithRole } from '../helpers/users.js'

const CUSTOMERS = 2500
const KIB = 1024
const LIMITS = { bodyBytes: { ingest: 128 * KIB, json: 64 * KIB, upload: 256 * KIB } }

type Page = { docs: unknown[]; hasNextPage: boolean; limit: number; page: number; totalDocs: number; totalPages: number }
type ErrorBody = { errors: { message: string }[] }

/** Test-only endpoints declaring the larger body limits, echoing how many bytes they read. */
const echoBytes = (path: string, bodyLimit: 'ingest' | 'upload') =>
  defineEndpoint({
    auth: 'public',
    bodyLimit,
    handler: async ({ req }) => Response.json({ bytes: (await req.text!()).length }),
    isHidden: true,
    method: 'post',
    path,
    responses: { 200: { description: 'bytes read', schema: z.object({ bytes: z.number() }) } },
    summary: 'test',
  })

/**
 * What one request may ask of the server: page caps on REST and GraphQL, the GraphQL cost budget,
 * fairness between a heavy request and the health probe, body-size limits, and the health answers.
 * The real Express server over HTTP, plus Payload's router called directly to show the limits live
 * in the plugin, not in Express.
 */
describe('Request limits', () => {
  let db: TestDatabase
  let crm: CrmServer
  let adminToken = ''

  const http = (path: string, init: RequestInit = {}) => fetch(`${crm.url}${path}`, init)
  const authed = (extra: Record<string, string> = {}) => ({ authorization: `JWT ${adminToken}`, ...extra })
  // The GraphQL-over-HTTP media type: validation errors answer 400 (with plain JSON they answer 200).
  const graphql = (query: string) =>
    http('/api/graphql', {
      body: JSON.stringify({ query }),
      headers: authed({ accept: 'application/graphql-response+json', 'content-type': 'application/json' }),
      method: 'POST',
    })
  const customersQuery = (alias: string, args: string) => `${alias}: Customers(${args}) { totalDocs hasNextPage limit docs { email name } }`
  /** The query shape: 4 fields per alias, so 200 aliases stay under Payload's own complexity limit (1000). */
  const leanQuery = (alias: string, limit: number) => `${alias}: Customers(limit: ${limit}) { docs { email name } }`

  beforeAll(async () => {
    db = await createTestDatabase('limits')
    const database = parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url })
    const config = buildCrmConfig({
      env: { database, publicUrl: 'http://127.0.0.1', secret: randomBytes(16).toString('hex') },
      extra: {
        endpoints: [echoBytes('/test-ingest', 'ingest'), echoBytes('/test-upload', 'upload')],
        logger: { options: { level: process.env.TEST_LOG_LEVEL || 'fatal' } },
      },
      plugin: { limits: LIMITS },
    })
    crm = await createCrmServer({ config, database, host: '127.0.0.1', port: 0, withAdmin: false, workerName: 'limits-test-worker' })
    adminToken = (await createUserWithRole(crm.payload, 'admin')).token
    const rows = Array.from({ length: CUSTOMERS }, (_, i) => ({ email: `c${String(i).padStart(5, '0')}@limits.test`, name: `Customer ${i}` }))
    await upsertCustomers({ payload: crm.payload, returnIds: false, rows })
  })

  afterAll(async () => {
    await crm?.close()
    if (crm) await closePayload(crm.payload)
    await db?.cleanup()
  })

  describe('list pages', () => {
    it.each(['limit=0', 'pagination=false', 'limit=1000000', 'limit=-1'])(
      'should answer GET /api/customers?%s with one page of 1,000 and the true totals',
      async (query) => {
        const res = await http(`/api/customers?${query}&depth=0`, { headers: authed() })
        expect(res.status).toBe(200)
        const page = (await res.json()) as Page
        expect(page.docs).toHaveLength(1000)
        expect(page).toMatchObject({ hasNextPage: true, limit: 1000, page: 1, totalDocs: CUSTOMERS, totalPages: 3 })
      },
    )

    it.each(['customers', 'orders', 'segments', 'campaigns', 'communication-logs'])('should cap %s lists too', async (slug) => {
      for (const query of ['limit=0', 'pagination=false']) {
        const res = await http(`/api/${slug}?${query}`, { headers: authed() })
        expect(res.status).toBe(200)
        expect(((await res.json()) as Page).limit).toBe(1000)
      }
    })

    it('should keep smaller limits and serve the last capped page', async () => {
      const small = (await (await http('/api/customers?limit=7', { headers: authed() })).json()) as Page
      expect(small.docs).toHaveLength(7)
      expect(small.limit).toBe(7)
      const last = (await (await http('/api/customers?limit=5000&page=3', { headers: authed() })).json()) as Page
      expect(last.docs).toHaveLength(CUSTOMERS - 2000)
      expect(last).toMatchObject({ hasNextPage: false, page: 3, totalDocs: CUSTOMERS })
    })

    it('should answer malformed paging and ids with a 4xx naming the problem, never a database error', async () => {
      const expectError = async (res: Response, status: number, message: RegExp) => {
        expect(res.status).toBe(status)
        expect(((await res.json()) as ErrorBody).errors[0]!.message).toMatch(message)
      }
      await expectError(await http('/api/customers?limit=many', { headers: authed() }), 400, /limit must be a whole number \(got "many"\)/)
      await expectError(await http('/api/customers?page=-1', { headers: authed() }), 400, /page must be a whole number from 1 \(got "-1"\)/)
      await expectError(await http('/api/customers?page=1.5', { headers: authed() }), 400, /page must be a whole number/)
      await expectError(await http('/api/customers/abc', { headers: authed() }), 404, /not found/i)
      await expectError(await http('/api/orders/1.5', { headers: authed() }), 404, /not found/i)
      await expectError(await http('/api/customers/abc', { headers: authed(), method: 'DELETE' }), 404, /not found/i)
    })

    it('should cap distinct values read for a user (REST has no distinct route; the admin and Local API do)', async () => {
      const user = await crm.payload.find({ collection: 'users', limit: 1, where: { roles: { contains: 'admin' } } })
      const distinct = await crm.payload.findDistinct({ collection: 'customers', field: 'email', overrideAccess: false, user: user.docs[0] })
      expect(distinct.values).toHaveLength(1000)
      expect(distinct.totalDocs).toBe(CUSTOMERS)
    })

    it('should cap GraphQL lists whatever limit or pagination asks', async () => {
      const res = await graphql(`{ ${customersQuery('big', 'limit: 50000')} ${customersQuery('all', 'pagination: false')} }`)
      expect(res.status).toBe(200)
      const { data } = (await res.json()) as { data: Record<string, Page> }
      for (const list of [data.big!, data.all!]) {
        expect(list.docs).toHaveLength(1000)
        expect(list).toMatchObject({ hasNextPage: true, limit: 1000, totalDocs: CUSTOMERS })
      }
    })

    it("should leave the server's own Local API reads whole", async () => {
      const all = await crm.payload.find({ collection: 'customers', depth: 0, pagination: false })
      expect(all.docs).toHaveLength(CUSTOMERS)
    })
  })

  describe('GraphQL cost', () => {
    it('should refuse 200 aliases of 1,000 customers before running them, saying why', async () => {
      const aliases = Array.from({ length: 200 }, (_, i) => leanQuery(`a${i}`, 1000)).join(' ')
      const reads: number[] = []
      const probe: CollectionBeforeOperationHook = ({ args }) => {
        reads.push(1)
        return args
      }
      const hooks = crm.payload.collections.customers.config.hooks.beforeOperation
      hooks.push(probe)
      try {
        const res = await graphql(`{ ${aliases} }`)
        expect(res.status).toBe(400)
        const body = (await res.json()) as { data?: unknown; errors: { message: string }[] }
        expect(body.data).toBeUndefined()
        // Only ours: Payload's own complexity limit lets this query through.
        expect(body.errors.map((error) => error.message)).toEqual([expect.stringMatching(/too expensive: its estimated cost is \d+, the limit is 20000/)])
        expect(reads).toHaveLength(0)
      } finally {
        hooks.splice(hooks.indexOf(probe), 1)
      }
    })

    it('should count limit: the same aliases asking for 5 documents each pass', async () => {
      const res = await graphql(`{ ${Array.from({ length: 20 }, (_, i) => leanQuery(`a${i}`, 5)).join(' ')} }`)
      expect(res.status).toBe(200)
      const { data } = (await res.json()) as { data: Record<string, Page> }
      expect(Object.keys(data)).toHaveLength(20)
      expect(data.a19!.docs).toHaveLength(5)
    })
  })

  describe('fairness', () => {
    it('should answer /api/health while a heavy GraphQL request is still reading', async () => {
      const events: string[] = []
      const hooks = crm.payload.collections.customers.config.hooks
      let signalFirstRead: () => void = () => undefined
      const firstRead = new Promise<void>((resolve) => (signalFirstRead = resolve))
      const start: CollectionBeforeOperationHook = ({ args }) => {
        events.push('read-start')
        signalFirstRead()
        return args
      }
      const end: CollectionAfterOperationHook = ({ result }) => {
        events.push('read-end')
        return result
      }
      hooks.beforeOperation.push(start)
      hooks.afterOperation = [...(hooks.afterOperation ?? []), end]
      try {
        // Six pages of 1,000: just within the default cost budget.
        const heavyQuery = `{ ${Array.from({ length: 6 }, (_, i) => leanQuery(`h${i}`, 1000)).join(' ')} }`
        const heavy = graphql(heavyQuery).then(async (res) => {
          expect(res.status).toBe(200)
          await res.json()
          events.push('heavy-done')
        })
        // Health is sent only once the heavy request is inside its reads.
        await firstRead
        const health = http('/api/health').then(async (res) => {
          expect(res.status).toBe(200)
          await res.json()
          events.push('health-done')
        })
        await Promise.all([heavy, health])
      } finally {
        hooks.beforeOperation.splice(hooks.beforeOperation.indexOf(start), 1)
        hooks.afterOperation = hooks.afterOperation.filter((hook) => hook !== end)
      }
      expect(events.filter((event) => event === 'read-end')).toHaveLength(6)
      const healthAt = events.indexOf('health-done')
      expect(healthAt).toBeLessThan(events.indexOf('heavy-done'))
      // SQLite answers synchronously, so before the fix the six reads ran back to back with health
      // waiting behind all of them; now health gets in between. (PostgreSQL's reads wait on the
      // network: their queries are all out before health arrives, so only the line above applies.)
      if (db.kind === 'sqlite') expect(healthAt).toBeLessThan(events.lastIndexOf('read-end'))
    })
  })

  describe('body sizes', () => {
    /** A customer of about `bytes` bytes: attributes of 1 KiB each (no single value near the 64 KiB cell limit). */
    const bigJson = (bytes: number) =>
      JSON.stringify({
        attributes: Object.fromEntries(Array.from({ length: Math.ceil(bytes / KIB) }, (_, i) => [`note${i}`, 'x'.repeat(KIB - 20)])),
        email: `big${bytes}@limits.test`,
      })

    it('should answer 413 with a JSON error past the JSON limit, and take bodies under it', async () => {
      const res = await http('/api/customers', { body: bigJson(70 * KIB), headers: authed({ 'content-type': 'application/json' }), method: 'POST' })
      expect(res.status).toBe(413)
      expect(res.headers.get('content-type')).toMatch(/application\/json/)
      expect(((await res.json()) as ErrorBody).errors[0]!.message).toMatch(/larger than this endpoint accepts \(64 KiB\)/)
      const ok = await http('/api/customers', { body: bigJson(60 * KIB), headers: authed({ 'content-type': 'application/json' }), method: 'POST' })
      expect(ok.status).toBe(201)
    })

    it('should count a chunked body without Content-Length while streaming it', async () => {
      const chunk = new TextEncoder().encode('x'.repeat(16 * KIB))
      let sent = 0
      const body = new ReadableStream<Uint8Array>({
        pull: (controller) => {
          if (sent >= 20) return controller.close()
          sent += 1
          controller.enqueue(chunk)
        },
      })
      const res = await http('/api/customers', {
        body,
        duplex: 'half',
        headers: authed({ 'content-type': 'application/json' }),
        method: 'POST',
      } as RequestInit)
      expect(res.status).toBe(413)
      expect(((await res.json()) as ErrorBody).errors[0]!.message).toMatch(/larger than this endpoint accepts/)
    })

    it('should bound method-override bodies (read by Payload before any endpoint) by the JSON limit', async () => {
      const post = (bytes: number) =>
        http('/api/customers', {
          body: JSON.stringify({ depth: 0, limit: 1, pad: 'x'.repeat(bytes) }),
          headers: authed({ 'content-type': 'application/json', 'x-http-method-override': 'GET' }),
          method: 'POST',
        })
      const ok = await post(KIB)
      expect(ok.status).toBe(200)
      expect(((await ok.json()) as Page).totalDocs).toBeGreaterThanOrEqual(CUSTOMERS)
      expect((await post(70 * KIB)).status).toBe(413)
    })

    it('should bound GraphQL bodies by the JSON limit', async () => {
      const query = `{ Customers(limit: 1) { totalDocs } } # ${'x'.repeat(70 * KIB)}`
      const res = await graphql(query)
      expect(res.status).toBe(413)
      expect(((await res.json()) as ErrorBody).errors[0]!.message).toMatch(/larger than this endpoint accepts/)
    })

    it('should give ingest and upload endpoints their own larger limits', async () => {
      const post = (path: string, bytes: number) => http(path, { body: 'x'.repeat(bytes), headers: { 'content-type': 'text/plain' }, method: 'POST' })
      expect(await (await post('/api/test-ingest', 100 * KIB)).json()).toEqual({ bytes: 100 * KIB })
      expect((await post('/api/test-ingest', 130 * KIB)).status).toBe(413)
      expect(await (await post('/api/test-upload', 200 * KIB)).json()).toEqual({ bytes: 200 * KIB })
      expect((await post('/api/test-upload', 260 * KIB)).status).toBe(413)
    })

    it("should bound a host app's GraphQL route through withCrmBodyLimit, declared length or not", async () => {
      const { GRAPHQL_POST } = await import('@payloadcms/next/routes')
      const post = withCrmBodyLimit({ config: crm.payload.config, handler: GRAPHQL_POST(crm.payload.config) })
      const request = (query: string, isChunked: boolean) => {
        const bytes = new TextEncoder().encode(JSON.stringify({ query }))
        const body = isChunked ? new Blob([bytes]).stream() : bytes
        return new Request('http://127.0.0.1/api/graphql', {
          body,
          duplex: 'half',
          headers: authed({ 'content-type': 'application/json' }),
          method: 'POST',
        } as RequestInit)
      }
      const small = await post(request('{ Customers(limit: 1) { totalDocs } }', true), undefined)
      expect(((await small.json()) as { data: { Customers: { totalDocs: number } } }).data.Customers.totalDocs).toBeGreaterThanOrEqual(CUSTOMERS)
      for (const isChunked of [false, true]) {
        const res = await post(request(`{ Customers(limit: 1) { totalDocs } } # ${'x'.repeat(70 * KIB)}`, isChunked), undefined)
        expect(res.status).toBe(413)
        expect(((await res.json()) as ErrorBody).errors[0]!.message).toMatch(/64 KiB/)
      }
    })

    it('should enforce the limit in the plugin, through Payload’s own router without Express', async () => {
      const request = new Request('http://127.0.0.1/api/customers', {
        body: bigJson(70 * KIB),
        headers: authed({ 'content-type': 'application/json' }),
        method: 'POST',
      })
      const res = await handleEndpoints({ config: crm.payload.config, request })
      expect(res.status).toBe(413)
      expect(((await res.json()) as ErrorBody).errors[0]!.message).toMatch(/64 KiB/)
    })
  })

  describe('health', () => {
    it('should show anonymous callers counts only, and admins the worker names', async () => {
      const anonymous = (await (await http('/api/health')).json()) as { ok: boolean; queue: Record<string, unknown> }
      expect(anonymous.ok).toBe(true)
      expect(anonymous.queue).toMatchObject({ status: 'running', workers: 1 })
      expect(JSON.stringify(anonymous)).not.toMatch(/limits-test-worker|workerNames|pid|host/i)
      const admin = (await (await http('/api/health', { headers: authed() })).json()) as { queue: Record<string, unknown> }
      expect(admin.queue).toMatchObject({ status: 'running', workerNames: ['limits-test-worker'], workers: 1 })
    })

    it('should answer 503 ok:false when the database does not answer its query', async () => {
      const rename = (from: string, to: string) => runSql({ payload: crm.payload, query: sql.raw(`ALTER TABLE "${from}" RENAME TO "${to}"`) })
      // Health probes the one table every Payload app has (a host app may have no `users`).
      await rename('payload_migrations', 'payload_migrations_gone')
      try {
        const res = await http('/api/health')
        expect(res.status).toBe(503)
        expect(await res.json()).toEqual({ db: db.kind, error: 'database unavailable', ok: false })
      } finally {
        await rename('payload_migrations_gone', 'payload_migrations')
      }
      expect((await http('/api/health')).status).toBe(200)
    })

    it('should answer 503 ok:false when no job worker is alive', async () => {
      setQueueHealthProvider(crm.payload, async () => ({ due: 0, workerNames: [], workers: 0 }))
      const res = await http('/api/health')
      expect(res.status).toBe(503)
      expect(await res.json()).toMatchObject({ error: 'job runtime unavailable', ok: false, queue: { status: 'error', workers: 0 } })
    })

    it("should answer 503 ok:false when the job runtime's store stops answering", async () => {
      let runtime: JobRuntime | undefined
      const rename = (from: string, to: string) => runSql({ payload: crm.payload, query: sql.raw(`ALTER TABLE "${from}" RENAME TO "${to}"`) })
      try {
        runtime = await startJobRuntime({
          database: parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url }),
          payload: crm.payload,
          workerName: 'limits-second-worker',
        })
        const agenda = runtime.agenda
        setQueueHealthProvider(crm.payload, () => getQueueHealth(agenda))
        expect((await http('/api/health')).status).toBe(200)
        // The store's table gone: every query of the runtime fails, as with a broken connection.
        await rename(WORKERS_TABLE, `${WORKERS_TABLE}_gone`)
        try {
          const res = await http('/api/health')
          expect(res.status).toBe(503)
          expect(await res.json()).toMatchObject({ error: 'job runtime unavailable', ok: false, queue: { status: 'error' } })
        } finally {
          await rename(`${WORKERS_TABLE}_gone`, WORKERS_TABLE)
        }
        expect((await http('/api/health')).status).toBe(200)
      } finally {
        await runtime?.stop({ timeoutMs: 1000 })
        setQueueHealthProvider(crm.payload, null)
      }
    })
  })
})
