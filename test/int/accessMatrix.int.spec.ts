import type { GraphQLField, GraphQLInputType, GraphQLNamedType } from 'graphql'
import type { Endpoint, SanitizedConfig } from 'payload'

import { configToSchema } from '@payloadcms/graphql'
import { GRAPHQL_POST } from '@payloadcms/next/routes'
import { getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType } from 'graphql'

import type { TestPayload } from '../helpers/bootPayload.js'
import type { Caller, CollectionOp, Who } from './accessMatrix.expectations.js'

import { bootTestPayload } from '../helpers/bootPayload.js'
import { createUserWithRole } from '../helpers/users.js'
import { CALLERS, COLLECTIONS, ENDPOINTS, GRAPHQL, KNOWN_FAULTS } from './accessMatrix.expectations.js'

/**
 * Every door, every caller, against the hand-written table in accessMatrix.expectations.ts. The doors
 * are enumerated from the built config (collections, endpoints) and the GraphQL schema, so a door
 * added later fails here until its row exists. Every answer's body is also checked for stack traces
 * and secrets.
 */

/** Payload's own routes on every collection (checked through the collection rows) and on auth collections. */
const PAYLOAD_COLLECTION_ROUTES = new Set([
  'DELETE /', 'DELETE /:id', 'GET /', 'GET /:id', 'GET /:id/versions', 'GET /count', 'GET /versions', 'GET /versions/:id',
  'PATCH /', 'PATCH /:id', 'POST /', 'POST /:id/duplicate', 'POST /access/:id?', 'POST /versions/:id', 'GET /versions/:id?',
  'POST /access/:id', 'GET /access/:id?', 'POST /:id/restore', 'POST /restore',
])
const PAYLOAD_AUTH_ROUTES = new Set([
  'GET /init', 'GET /me', 'POST /verify/:id', 'GET /verify/:id', 'POST /first-register', 'POST /forgot-password', 'POST /login', 'POST /logout', 'POST /refresh-token',
  'POST /reset-password', 'POST /unlock', 'POST /verify/:token', 'GET /verify/:token',
])
/** Payload's own root routes: GraphQL (checked per operation below) and the access summary. */
const PAYLOAD_ROOT_ROUTES = new Set(['GET /access', 'POST /graphql', 'GET /graphql-playground', 'GET /graphql'])
/** Payload's own custom routes on its internal collections. */
const PAYLOAD_INTERNAL_ROUTES = new Set(['GET /payload-preferences/:key', 'DELETE /payload-preferences/:key', 'POST /payload-preferences/:key'])

const SECRET_PATTERN = / at \S+ \(\/|node_modules\/|"stack"/

type Outcome = 'allow' | 'deny'

describe('access matrix', () => {
  let t: TestPayload & { config: Promise<SanitizedConfig> }
  /** `POST /api/graphql` through Payload's own Next route handler (in process). */
  const graphql = (caller: Caller, query: string) =>
    GRAPHQL_POST(t.config)(
      new Request('http://localhost:3000/api/graphql', {
        body: JSON.stringify({ query }),
        headers: headersOf(caller, { 'content-type': 'application/json' }),
        method: 'POST',
      }),
    )
  const auth: Record<Caller, Record<string, string>> = {} as never
  const secrets: string[] = []
  let otherUserId: number | string
  const failures: string[] = []

  const headersOf = (caller: Caller, extra: Record<string, string> = {}) => ({ ...auth[caller], ...extra })

  /** Root (non-collection) endpoints with an `:id`: the collection of the document it names. */
  const ROOT_ID_COLLECTIONS: Record<string, string> = { 'GET /api/ingest/batches/:id': 'ingest-batches', 'POST /api/ai/campaign-summary/:id': 'campaigns' }
  const fixtures: Record<string, () => Promise<number | string>> = {
    campaigns: async () => (await t.payload.create({ collection: 'campaigns', data: { message: 'Hi {{name}}', name: `C-${Math.random()}` } as never, overrideAccess: true })).id,
    'communication-logs': async () => {
      const campaign = await fixtures.campaigns!()
      const customer = await fixtures.customers!()
      const log = await t.payload.create({ collection: 'communication-logs', data: { campaign: Number(campaign), customer: Number(customer), recipient: 'x@crm.test', status: 'pending' } as never, overrideAccess: true })
      return log.id
    },
    customers: async () => (await t.payload.create({ collection: 'customers', data: { email: `m-${Math.random().toString(36).slice(2)}@crm.test`, name: 'Matrix' }, overrideAccess: true })).id,
    orders: async () =>
      (await t.payload.create({ collection: 'orders', data: { amount: 5, customer: Number(await fixtures.customers!()), externalId: `MX-${Math.random()}`, orderedAt: '2025-03-01T10:00:00Z', status: 'paid' } as never, overrideAccess: true })).id,
    'crm-staging-chunks': async () => (await t.payload.create({ collection: 'crm-staging-chunks', data: { data: 'eA==', owner: `x-${Math.random()}`, seq: 0 } as never, overrideAccess: true })).id,
    imports: async () => (await t.payload.create({ collection: 'imports', data: { kind: 'customers', status: 'done' } as never, overrideAccess: true })).id,
    'ingest-batches': async () => (await t.payload.create({ collection: 'ingest-batches', data: { kind: 'customers', status: 'done' } as never, overrideAccess: true })).id,
    'payload-kv': async () => (await t.payload.create({ collection: 'payload-kv', data: { data: {}, key: `k-${Math.random()}` } as never, overrideAccess: true })).id,
    'payload-locked-documents': async () =>
      (await t.payload.create({ collection: 'payload-locked-documents', data: { globalSlug: 'none', user: { relationTo: 'users', value: otherUserId } } as never, overrideAccess: true })).id,
    'payload-migrations': async () => (await t.payload.create({ collection: 'payload-migrations', data: { batch: 99, name: `matrix-${Math.random()}` } as never, overrideAccess: true })).id,
    'payload-preferences': async () =>
      // Through the adapter: Payload's own validation ties a preference to the requesting user.
      (await t.payload.db.create({ collection: 'payload-preferences', data: { key: `p-${Math.random()}`, user: { relationTo: 'users', value: otherUserId }, value: {} } })).id as number,
    segments: async () => (await t.payload.create({ collection: 'segments', data: { dsl: 'visits > 3', name: `S-${Math.random()}` } as never, overrideAccess: true })).id,
    users: async () =>
      (await t.payload.create({ collection: 'users', data: { email: `u-${Math.random().toString(36).slice(2)}@crm.test`, password: 'other-123456', roles: ['viewer'] } as never, overrideAccess: true })).id,
  }

  /** Status → outcome; anything else (5xx, a leaked secret or stack) is recorded as a failure. */
  const judge = async (door: string, caller: Caller, res: Response, byId: boolean): Promise<Outcome> => {
    const body = await res.text()
    // 502/503 are deliberate answers (an upstream or the job runtime is unavailable); 500 is a fault.
    const knownFault = KNOWN_FAULTS[door]
    if (!knownFault && (res.status === 500 || (res.status === 501 && !/Cannot (GET|POST|PATCH|PUT|DELETE)/.test(body)) || res.status > 503)) failures.push(`${door} as ${caller}: ${res.status} ${body.slice(0, 200)}`)
    if (SECRET_PATTERN.test(body)) failures.push(`${door} as ${caller}: a stack trace in the answer`)
    for (const secret of secrets) if (body.includes(secret)) failures.push(`${door} as ${caller}: a secret in the answer`)
    if (res.status === 401 || res.status === 403) return 'deny'
    // No such route at all (Payload answers 501 "Cannot GET …"): a door that does not exist is closed.
    if (res.status === 501 && /Cannot (GET|POST|PATCH|PUT|DELETE)/.test(body)) return 'deny'
    if (res.status === 404 && byId) return 'deny'
    return 'allow'
  }

  const expectRow = (door: string, who: Who | undefined, outcomes: Record<Caller, Outcome>, hint: string, details: Partial<Record<Caller, string>> = {}) => {
    if (!who) {
      failures.push(`no row for ${door}: add a row for ${hint}`)
      return
    }
    for (const caller of CALLERS) {
      const expected: Outcome = who.includes(caller) ? 'allow' : 'deny'
      if (outcomes[caller] !== expected) failures.push(`${door} as ${caller}: expected ${expected}, got ${outcomes[caller]}${details[caller] ? ` (${details[caller]})` : ''}`)
    }
  }

  beforeAll(async () => {
    // Google sign-in configured (towards a closed loopback port) so its doors exist; its secret must never show.
    const google = { clientId: 'matrix.apps.googleusercontent.com', clientSecret: `matrix-google-secret-${Math.random()}`, issuer: 'http://127.0.0.1:9' }
    t = await bootTestPayload('access-matrix', { asDefault: true, plugin: { google } })
    secrets.push(t.payload.secret, google.clientSecret)
    auth.anonymous = {}
    for (const role of ['admin', 'marketer', 'viewer'] as const) {
      const user = await createUserWithRole(t.payload, role)
      auth[role] = { authorization: `JWT ${user.token}` }
      const apiKey = `matrix-${role}-${Math.random().toString(36).slice(2)}-key`
      await t.payload.create({ collection: 'users', data: { apiKey, email: `key-${role}@crm.test`, enableAPIKey: true, password: 'key-user-123456', roles: [role] } as never, overrideAccess: true })
      auth[`${role}Key`] = { authorization: `users API-Key ${apiKey}` }
    }
    otherUserId = (await t.payload.create({ collection: 'users', data: { email: 'other@crm.test', password: 'other-123456', roles: ['viewer'] } as never, overrideAccess: true })).id
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should give every caller exactly its row on every collection (REST)', async () => {
    const slugs = t.payload.config.collections.map((collection) => collection.slug)
    for (const slug of slugs) {
      const row = COLLECTIONS[slug]
      if (!row) {
        failures.push(`no row for collection ${slug}: add a row for COLLECTIONS['${slug}']`)
        continue
      }
      const fixture = fixtures[slug]
      if (!fixture) throw new Error(`accessMatrix: no fixture for collection ${slug}: add one to \`fixtures\``)
      for (const op of ['list', 'read', 'create', 'update', 'delete'] as CollectionOp[]) {
        const outcomes = {} as Record<Caller, Outcome>
        for (const caller of CALLERS) {
          const id = op === 'list' || op === 'create' ? undefined : await fixture()
          const path = id === undefined ? `/api/${slug}` : `/api/${slug}/${id}`
          const init: RequestInit =
            op === 'create' || op === 'update'
              ? { body: '{}', headers: headersOf(caller, { 'content-type': 'application/json' }), method: op === 'create' ? 'POST' : 'PATCH' }
              : { headers: headersOf(caller), method: op === 'delete' ? 'DELETE' : 'GET' }
          outcomes[caller] = await judge(`${op} ${slug}`, caller, await t.request(path, init), id !== undefined)
        }
        expectRow(`${op} ${slug}`, row[op], outcomes, `COLLECTIONS['${slug}'].${op}`)
      }
    }
    expect(failures).toEqual([])
  })

  it('should give every caller exactly its row on every custom endpoint', async () => {
    failures.length = 0
    const doors: { collection?: string; endpoint: Endpoint; key: string }[] = []
    for (const endpoint of t.payload.config.endpoints || []) {
      const route = `${endpoint.method.toUpperCase()} ${endpoint.path}`
      if (!PAYLOAD_ROOT_ROUTES.has(route)) doors.push({ endpoint, key: `${endpoint.method.toUpperCase()} /api${endpoint.path}` })
    }
    for (const collection of t.payload.config.collections) {
      for (const endpoint of collection.endpoints || []) {
        const route = `${endpoint.method.toUpperCase()} ${endpoint.path}`
        if (PAYLOAD_COLLECTION_ROUTES.has(route) && !endpoint.custom?.crmOpenApi) continue
        if (collection.auth && PAYLOAD_AUTH_ROUTES.has(route)) continue
        if (PAYLOAD_INTERNAL_ROUTES.has(`${endpoint.method.toUpperCase()} /${collection.slug}${endpoint.path}`)) continue
        const path = endpoint.path === '/' ? '' : endpoint.path
        doors.push({ collection: collection.slug, endpoint, key: `${endpoint.method.toUpperCase()} /api/${collection.slug}${path}` })
      }
    }
    expect(doors.length).toBeGreaterThan(10)
    for (const { collection, endpoint, key } of doors) {
      const who = ENDPOINTS[key]
      if (!who) {
        failures.push(`no row for ${key}: add a row for '${key}'`)
        continue
      }
      const outcomes = {} as Record<Caller, Outcome>
      for (const caller of CALLERS) {
        let hasId = false
        let path = key.slice(key.indexOf(' ') + 1)
        if (path.includes(':id')) {
          hasId = true
          // A root endpoint's `:id` names a document of the collection ROOT_ID_COLLECTIONS says.
          const idOf = collection ?? ROOT_ID_COLLECTIONS[key]
          const fixture = idOf ? fixtures[idOf] : undefined
          if (!fixture) throw new Error(`accessMatrix: which collection does ':id' of '${key}' name? add it to ROOT_ID_COLLECTIONS`)
          path = path.replace(':id', String(await fixture()))
        }
        path = path.replace(':asset', 'swagger-ui.css').replace(/\/:[^/]+\?/g, '')
        const method = endpoint.method.toUpperCase()
        const init: RequestInit = ['GET', 'HEAD'].includes(method)
          ? { headers: headersOf(caller), method }
          : { body: '{}', headers: headersOf(caller, { 'content-type': 'application/json' }), method }
        // A bulk delete with no `where` must not wipe anything: give it a filter matching nothing.
        const query = method === 'DELETE' && !hasId ? '?where[id][equals]=0' : ''
        outcomes[caller] = await judge(key, caller, await t.request(`${path}${query}`, init), hasId)
      }
      expectRow(key, who, outcomes, `'${key}'`)
    }
    const known = new Set(doors.map((door) => door.key))
    for (const key of Object.keys(ENDPOINTS)) if (!known.has(key)) failures.push(`row '${key}' names no endpoint in the config: remove it`)
    expect(failures).toEqual([])
  })

  it('should give every caller exactly its row on every GraphQL operation', async () => {
    failures.length = 0
    // The schema Payload serves, built from the config (introspection itself is over the query-cost limit).
    const { schema } = configToSchema(t.payload.config)
    // Ids that match no document: an access check that refuses comes before the lookup, so a denial
    // still shows, while allowed mutations cannot change anything.
    const missingId = 999_999

    /** A value of the right type for a required argument (ids point at a real customer). */
    const sample = (type: GraphQLInputType, depth = 0): string => {
      const inner = getNullableType(type) as GraphQLInputType
      if (isListType(inner)) return `[${sample(inner.ofType, depth)}]`
      const named = getNamedType(inner) as GraphQLNamedType
      if (isEnumType(named)) return named.getValues()[0]!.name
      if (isInputObjectType(named)) {
        if (depth > 3) return '{}'
        const fields = Object.values(named.getFields()).filter((field) => isNonNullType(field.type))
        return `{${fields.map((field) => `${field.name}: ${sample(field.type, depth + 1)}`).join(', ')}}`
      }
      if (isScalarType(named)) {
        switch (named.name) {
          case 'Boolean':
            return 'false'
          case 'Float':
          case 'Int':
            return String(missingId)
          case 'JSON':
          case 'JSONObject':
            return '{}'
          default:
            return JSON.stringify(String(missingId))
        }
      }
      return '""'
    }

    // Where a missing document would answer before the access check, the operation gets a real one.
    // Payload's default GraphQL type name of a collection: `communication-logs` → `CommunicationLog`.
    const typeNameOf = (slug: string) => slug.split('-').map((word) => word[0]!.toUpperCase() + word.slice(1)).join('').replace(/s$/, '')
    const singular = new Map(t.payload.config.collections.map((collection) => [typeNameOf(collection.slug), collection.slug]))
    const realArgs = async (field: GraphQLField<unknown, unknown>): Promise<Record<string, string>> => {
      if (field.name === 'unlockUser') return { email: JSON.stringify('other@crm.test') }
      const slug = singular.get(getNamedType(field.type).name)
      const idArg = field.args.find((arg) => arg.name === 'id')
      if (/^duplicate/.test(field.name) && slug && idArg) {
        const id = String(await fixtures[slug]!())
        return { id: ['Int', 'Float'].includes(getNamedType(idArg.type).name) ? id : JSON.stringify(id) }
      }
      return {}
    }

    const operation = (kind: 'mutation' | 'query', field: GraphQLField<unknown, unknown>, real: Record<string, string>): string => {
      const args = field.args.filter((arg) => isNonNullType(arg.type)).map((arg) => `${arg.name}: ${real[arg.name] ?? sample(arg.type)}`)
      const returns = getNamedType(field.type)
      const selection = isObjectType(returns) ? ' { __typename }' : ''
      return `${kind} { ${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection} }`
    }

    const roots = [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
    ] as const
    let count = 0
    for (const [kind, root] of roots) {
      // Logging out ends the callers' sessions: do it last.
      const fields = Object.values(root?.getFields() ?? {}).sort((a, b) => Number(/^logout/.test(a.name)) - Number(/^logout/.test(b.name)))
      for (const field of fields) {
        count++
        const who = GRAPHQL[field.name]
        if (!who) {
          failures.push(`no row for GraphQL ${field.name}: add a row for GRAPHQL.${field.name}`)
          continue
        }
        const outcomes = {} as Record<Caller, Outcome>
        const details: Partial<Record<Caller, string>> = {}
        for (const caller of CALLERS) {
          const res = await graphql(caller, operation(kind, field, await realArgs(field)))
          const text = await res.text()
          if (SECRET_PATTERN.test(text) || secrets.some((secret) => text.includes(secret))) failures.push(`GraphQL ${field.name} as ${caller}: a stack or secret in the answer`)
          const body = JSON.parse(text) as { errors?: { extensions?: { statusCode?: number }; message: string }[] }
          const denied = (body.errors ?? []).some(
            (error) => error.extensions?.statusCode === 401 || error.extensions?.statusCode === 403 || /not allowed|Unauthorized|must be (logged|signed) in/i.test(error.message),
          )
          const invalid = (body.errors ?? []).find((error) => /Cannot query field|Unknown argument|Expected value of type|Syntax Error|was not provided|has invalid value|cannot represent/.test(error.message))
          if (invalid) failures.push(`GraphQL ${field.name}: the test sent an invalid operation (${invalid.message})`)
          outcomes[caller] = denied ? 'deny' : 'allow'
          details[caller] = (body.errors ?? []).map((error) => `${error.extensions?.statusCode ?? ''} ${error.message}`).join('; ').slice(0, 160)
        }
        expectRow(`GraphQL ${field.name}`, who, outcomes, `GRAPHQL.${field.name}`, details)
      }
    }
    expect(count).toBeGreaterThan(20)
    expect(failures).toEqual([])
  })
})
