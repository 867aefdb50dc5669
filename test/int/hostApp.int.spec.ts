import type { Payload, SanitizedConfig } from 'payload'

import { GRAPHQL_POST, REST_DELETE, REST_GET, REST_PATCH, REST_POST } from '@payloadcms/next/routes'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateImportMap, getPayload, handleEndpoints } from 'payload'
import { renderToStaticMarkup } from 'react-dom/server'

import { assignFirstUserAdmin } from '../../src/collections/Users/hooks/assignFirstUserAdmin.js'
import { buildHostConfig, HOST_ROUTES } from '../host-app/payload.config.js'
import { closePayload } from '../helpers/bootPayload.js'
import { createTestDatabase, type TestDatabase } from '../helpers/testDb.js'

/**
 * `crmPlugin()` in a Payload app that is not ours (test/host-app): the host's own `users` (no roles)
 * and `posts`, its own routes (`/cms`, `/backend`), its own migrations folder, served through
 * Payload's Next route handlers (no Express). Add a `describe` here for every new CRM surface that
 * must also hold in a host app.
 */
const hostDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../host-app')
const HOST = 'http://host.test'

type Json = Record<string, any>

describe('crmPlugin in a host app', () => {
  let db: TestDatabase
  let scratchDir: string
  let config: Promise<SanitizedConfig>
  let payload: Payload
  const tokens: Record<'admin' | 'marketer' | 'viewer', string> = { admin: '', marketer: '', viewer: '' }

  /** One request through the host's `app/(payload)/backend/[...slug]/route.ts` handlers. */
  const api = async (method: 'DELETE' | 'GET' | 'PATCH' | 'POST', route: string, init: { body?: unknown; token?: string } = {}) => {
    const handler = { DELETE: REST_DELETE, GET: REST_GET, PATCH: REST_PATCH, POST: REST_POST }[method](config)
    const url = new URL(`${HOST}${HOST_ROUTES.api}${route}`)
    const request = new Request(url, {
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `JWT ${init.token}` } : {}) },
      method,
    })
    const slug = url.pathname.slice(HOST_ROUTES.api.length + 1).split('/')
    const response = await handler(request, { params: Promise.resolve({ slug }) })
    const text = await response.text()
    return { body: (text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as Json, status: response.status }
  }

  const login = async (email: string, password: string) => {
    const { body, status } = await api('POST', '/users/login', { body: { email, password } })
    expect(status).toBe(200)
    return body.token as string
  }

  beforeAll(async () => {
    db = await createTestDatabase('host_app')
    scratchDir = path.join(hostDir, `.scratch-${db.kind}-${randomBytes(4).toString('hex')}`)
    mkdirSync(path.join(scratchDir, 'migrations'), { recursive: true })
    const importMapFile = path.join(scratchDir, 'importMap.js')
    writeFileSync(importMapFile, 'export const importMap = {}\n')
    config = buildHostConfig({ databaseUrl: db.url, importMapFile, migrationDir: path.join(scratchDir, 'migrations'), secret: randomBytes(16).toString('hex') })
    // The default cache key, as in a Next app: the route handlers look the instance up by it.
    payload = await getPayload({ config })
  })

  afterAll(async () => {
    if (payload) await closePayload(payload)
    await db?.cleanup()
    if (scratchDir) rmSync(scratchDir, { force: true, recursive: true })
  })

  describe('schema through the host own migrations', () => {
    it('should create the CRM tables from the host migrate:create and our hand-written indexes from crmMigration', async () => {
      const migrationDir = path.join(scratchDir, 'migrations')
      // What `payload migrate:create initial` does in the host app.
      await payload.db.createMigration({ forceAcceptWarning: true, migrationName: 'initial', payload })
      const [generated] = readdirSync(migrationDir).filter((file) => file.endsWith('_initial.ts'))
      expect(generated).toBeDefined()
      expect(readFileSync(path.join(migrationDir, generated!), 'utf8')).toMatch(/CREATE TABLE \\?[`"]customers\\?[`"]/)
      // The documented second step: a migration file that re-exports ours, named to sort after it.
      writeFileSync(
        path.join(migrationDir, generated!.replace(/_initial\.ts$/, '_mini_crm_indexes.ts')),
        `import { crmMigration } from 'mini-crm/migrations'\n\nexport const { down, up } = crmMigration('${db.kind}')\n`,
      )
      // What `payload migrate` does (reads the host's migrationDir).
      await payload.db.migrate()

      const applied = await payload.find({ collection: 'payload-migrations', overrideAccess: true, pagination: false })
      expect(applied.docs.map((doc) => doc.name).sort()).toEqual([
        generated!.replace(/\.ts$/, ''),
        generated!.replace(/_initial\.ts$/, '_mini_crm_indexes'),
      ])
      const indexQuery =
        db.kind === 'sqlite'
          ? `SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'customers_texts_parent_id_idx'`
          : `SELECT indexname AS name FROM pg_indexes WHERE indexname = 'customers_texts_parent_id_idx'`
      expect(await runRaw(payload, indexQuery)).toHaveLength(1)
    })
  })

  describe('auth collection and access rules', () => {
    it('should make the host first user a CRM admin through the roles field the plugin added', async () => {
      const { body, status } = await api('POST', '/users/first-register', {
        body: { displayName: 'Founder', email: 'founder@host.test', password: 'founder-123456' },
      })
      expect(status).toBe(200)
      expect(body.user.roles).toEqual(['admin'])
      expect(body.user.displayName).toBe('Founder')
      tokens.admin = await login('founder@host.test', 'founder-123456')
    })

    it('should let a CRM admin give host users CRM roles, defaulting to viewer', async () => {
      const marketer = await api('POST', '/users', { body: { email: 'mia@host.test', password: 'mia-123456', roles: ['marketer'] }, token: tokens.admin })
      expect(marketer.status).toBe(201)
      expect(marketer.body.doc.roles).toEqual(['marketer'])
      const viewer = await api('POST', '/users', { body: { email: 'vic@host.test', password: 'vic-123456' }, token: tokens.admin })
      expect(viewer.status).toBe(201)
      expect(viewer.body.doc.roles).toEqual(['viewer'])
      tokens.marketer = await login('mia@host.test', 'mia-123456')
      tokens.viewer = await login('vic@host.test', 'vic-123456')
    })

    it('should refuse CRM collections to anonymous requests while the host collection stays public', async () => {
      expect([401, 403]).toContain((await api('GET', '/customers')).status)
      expect([401, 403]).toContain((await api('POST', '/customers', { body: { email: 'anon@host.test' } })).status)
      expect((await api('GET', '/posts')).status).toBe(200)
    })

    it('should let a marketer write customers and a viewer only read them', async () => {
      const created = await api('POST', '/customers', { body: { email: 'Asha@Example.COM', name: 'Asha' }, token: tokens.marketer })
      expect(created.status).toBe(201)
      expect(created.body.doc.email).toBe('asha@example.com')
      expect((await api('POST', '/customers', { body: { email: 'nope@host.test' }, token: tokens.viewer })).status).toBe(403)
      const list = await api('GET', '/customers', { token: tokens.viewer })
      expect(list.status).toBe(200)
      expect(list.body.totalDocs).toBe(1)
      expect((await api('DELETE', `/customers/${created.body.doc.id}`, { token: tokens.viewer })).status).toBe(403)
    })

    it('should keep the host rules on its own users collection (a viewer may not promote itself)', async () => {
      const me = await api('GET', '/users/me', { token: tokens.viewer })
      const patched = await api('PATCH', `/users/${me.body.user.id}`, { body: { displayName: 'Vic', roles: ['admin'] }, token: tokens.viewer })
      // Payload's default update access lets a signed-in user save; the CRM roles field only lets admins change roles.
      expect(patched.status).toBe(200)
      const stored = await payload.findByID({ collection: 'users', id: me.body.user.id, overrideAccess: true })
      expect(stored).toMatchObject({ displayName: 'Vic', roles: ['viewer'] })
    })

    it('should answer GraphQL on the host API route with the same access rules', async () => {
      const graphql = (token?: string) =>
        GRAPHQL_POST(config)(
          new Request(`${HOST}${HOST_ROUTES.api}/graphql`, {
            body: JSON.stringify({ query: '{ Customers { totalDocs } }' }),
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `JWT ${token}` } : {}) },
            method: 'POST',
          }),
        )
      const allowed = (await (await graphql(tokens.viewer)).json()) as Json
      expect(allowed.data.Customers.totalDocs).toBe(1)
      const anonymous = (await (await graphql()).json()) as Json
      expect(anonymous.data?.Customers ?? null).toBeNull()
      expect(anonymous.errors?.[0]?.message).toMatch(/not allowed/i)
    })
  })

  describe('custom endpoints', () => {
    it('should serve /health and the OpenAPI description under the host API route', async () => {
      const health = await api('GET', '/health')
      expect(health.status).toBe(200)
      expect(health.body).toMatchObject({ db: db.kind, ok: true })
      const openapi = await api('GET', '/openapi.json')
      expect(openapi.status).toBe(200)
      expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/backend/customers', '/backend/posts', '/backend/health']))
      const docs = await api('GET', '/docs')
      expect(docs.status).toBe(200)
      expect(String(docs.body)).toContain('src="/backend/docs/swagger-ui-bundle.js"')
    })
  })

  describe('admin components', () => {
    it('should map the components to package entry points in the host import map', async () => {
      await generateImportMap(await config, { force: true, log: false })
      const map = readFileSync(path.join(scratchDir, 'importMap.js'), 'utf8')
      expect(map).toContain(`from 'mini-crm/client'`)
      expect(map).toContain(`from 'mini-crm/rsc'`)
      expect(map).toContain('"mini-crm/client#CrmNavLinks"')
      expect(map).toContain('"mini-crm/rsc#CrmDashboard"')
      // No path into our repository: a host's `/…` paths would resolve against its own folder.
      expect(map).not.toMatch(/from '[./]/)
    })

    it('should import the components from the package entries, with links under the host routes', async () => {
      const client = await import('mini-crm/client')
      expect(typeof client.CrmNavLinks).toBe('function')
      const { CrmDashboard } = await import('mini-crm/rsc')
      const user = (await payload.find({ collection: 'users', overrideAccess: true, where: { email: { equals: 'founder@host.test' } } })).docs[0]
      const html = renderToStaticMarkup(await CrmDashboard({ payload, user: user as never }))
      expect(html).toContain('href="/cms/collections/customers"')
      expect(html).toMatch(/data-testid="crm-count-customers"[^]*?>1</)
      expect(html).not.toContain('href="/admin')
    })
  })

  describe('job runtime started by the host', () => {
    it('should start from mini-crm/jobs without our server, run a CRM job, report it in /health and stop', async () => {
      const { enqueueJob, startCrmJobRuntime } = await import('mini-crm/jobs')
      // A short lock lifetime: Agenda keeps a lock watchdog timer of half of it after each job.
      const runtime = await startCrmJobRuntime({ agenda: { lockLifetimeMs: 4000 }, payload, workerName: `host-worker-${db.kind}` })
      if (!runtime) throw new Error('the runtime did not start')
      try {
        const customer = await payload.create({ collection: 'customers', data: { email: 'job@host.test' }, overrideAccess: true })
        // A stale aggregate for the job to repair (derived fields are written by the system only).
        await payload.update({ collection: 'customers', data: { totalSpend: 999 }, id: customer.id, overrideAccess: true })
        // Worker names are for admins; anonymous callers see counts only.
        const health = await api('GET', '/health', { token: tokens.admin })
        expect(health.body.queue).toMatchObject({ status: 'running', workerNames: [`host-worker-${db.kind}`], workers: 1 })
        const anonymous = await api('GET', '/health')
        expect(anonymous.body.queue).toMatchObject({ status: 'running', workers: 1 })
        expect(anonymous.body.queue).not.toHaveProperty('workerNames')

        await enqueueJob({ agenda: runtime.agenda, data: { customerIds: [customer.id] }, name: 'crm.recomputeAggregates' })
        const deadline = Date.now() + 20_000
        let totalSpend: null | number | undefined = 999
        while (totalSpend !== 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100))
          totalSpend = (await payload.findByID({ collection: 'customers', id: customer.id, overrideAccess: true })).totalSpend
        }
        expect(totalSpend).toBe(0)
      } finally {
        expect(await runtime.stop({ timeoutMs: 5000 })).toEqual({ timedOut: false })
      }
      expect((await api('GET', '/health')).body.queue).toEqual({ status: 'not-started' })
    })
  })
})

describe('crmPlugin({ disabled: true }) in a host app', () => {
  let db: TestDatabase
  let scratchDir: string
  let disabled: SanitizedConfig
  let enabled: SanitizedConfig
  let payload: Payload

  beforeAll(async () => {
    db = await createTestDatabase('host_disabled')
    scratchDir = path.join(hostDir, `.scratch-disabled-${db.kind}-${randomBytes(4).toString('hex')}`)
    mkdirSync(scratchDir, { recursive: true })
    const importMapFile = path.join(scratchDir, 'importMap.js')
    writeFileSync(importMapFile, 'export const importMap = {}\n')
    const args = { databaseUrl: db.url, importMapFile, migrationDir: path.join(scratchDir, 'migrations'), secret: randomBytes(16).toString('hex') }
    enabled = await buildHostConfig(args)
    disabled = await buildHostConfig({ ...args, plugin: { disabled: true } })
    payload = await getPayload({ config: disabled, key: 'host-disabled' })
  })

  afterAll(async () => {
    if (payload) await closePayload(payload)
    await db?.cleanup()
    if (scratchDir) rmSync(scratchDir, { force: true, recursive: true })
  })

  const collection = (config: SanitizedConfig, slug: string) => config.collections.find((entry) => entry.slug === slug)!
  const fieldNames = (config: SanitizedConfig, slug: string) => collection(config, slug).flattenedFields.map((field) => field.name)

  it('should keep the same collections and fields, so the schema and migrations do not change', () => {
    for (const slug of ['users', 'customers', 'orders', 'segments', 'campaigns', 'communication-logs']) {
      expect(fieldNames(disabled, slug)).toEqual(fieldNames(enabled, slug))
    }
    expect(fieldNames(disabled, 'users')).toContain('roles')
  })

  it('should register no hooks on the CRM collections or the host users', () => {
    const hookCount = (config: SanitizedConfig, slug: string) =>
      Object.values(collection(config, slug).hooks ?? {}).reduce((sum, hooks) => sum + ((hooks as unknown[] | undefined)?.length ?? 0), 0)
    const fieldHookCount = (config: SanitizedConfig, slug: string) =>
      collection(config, slug).flattenedFields.reduce(
        (sum, field) =>
          sum +
          Object.entries(('hooks' in field && field.hooks) || {})
            // Payload itself adds `beforeDuplicate` to unique fields.
            .filter(([name]) => name !== 'beforeDuplicate')
            .reduce((n, [, hooks]) => n + ((hooks as unknown[]).length ?? 0), 0),
        0,
      )
    // The enabled plugin does add hooks (so this comparison can fail).
    expect(hookCount(enabled, 'orders') + hookCount(enabled, 'users')).toBeGreaterThan(0)
    for (const slug of ['customers', 'orders', 'segments', 'campaigns', 'communication-logs']) {
      expect({ slug, hooks: hookCount(disabled, slug) + fieldHookCount(disabled, slug) }).toEqual({ slug, hooks: 0 })
    }
    // The host's users keep Payload's own auth hooks, and get no CRM hook.
    expect(collection(enabled, 'users').hooks.beforeChange).toContain(assignFirstUserAdmin)
    expect(collection(disabled, 'users').hooks.beforeChange).not.toContain(assignFirstUserAdmin)
  })

  it('should serve none of the CRM endpoints', async () => {
    const request = (route: string) =>
      handleEndpoints({ config: disabled, payloadInstanceCacheKey: 'host-disabled', request: new Request(`${HOST}${HOST_ROUTES.api}${route}`) })
    expect((await request('/health')).status).toBe(404)
    expect((await request('/openapi.json')).status).toBe(404)
    expect(disabled.endpoints.map((endpoint) => endpoint.path)).not.toEqual(expect.arrayContaining(['/health']))
    expect(enabled.endpoints.map((endpoint) => endpoint.path)).toEqual(expect.arrayContaining(['/health', '/openapi.json']))
  })

  it('should add no admin components', async () => {
    expect(JSON.stringify(disabled.admin.components)).not.toContain('mini-crm')
    await generateImportMap(disabled, { force: true, log: false })
    expect(readFileSync(path.join(scratchDir, 'importMap.js'), 'utf8')).not.toContain('mini-crm')
  })

  it('should start no job runtime', async () => {
    const { startCrmJobRuntime } = await import('mini-crm/jobs')
    expect(await startCrmJobRuntime({ payload })).toBeNull()
  })
})

/** A raw read on the host's own connection (to look at indexes Payload knows nothing about). */
const runRaw = async (payload: Payload, query: string): Promise<unknown[]> => {
  const { sql } = await import('drizzle-orm')
  const { runSql } = await import('../../src/bulk/connection.js')
  return runSql({ payload, query: sql.raw(query) })
}
