import type { Endpoint, SanitizedCollectionConfig } from 'payload'

import type { BuildOpenApiDocumentArgs } from '../openapi/buildOpenApiDocument.js'

import { compileErrors, validate } from '@readme/openapi-parser'
import { z } from 'zod'

import { createCampaignsCollection } from '../collections/Campaigns/index.js'
import { createCustomersCollection } from '../collections/Customers/index.js'
import { createUsersCollection } from '../collections/Users/index.js'
import { defineEndpoint } from './defineEndpoint.js'
import { healthEndpoint } from './health/healthEndpoint.js'
import { buildOpenApiDocument } from '../openapi/buildOpenApiDocument.js'

const noop = (): Response => Response.json({})

const RuleGroup = z.object({
  combinator: z.enum(['and', 'or']),
  get rules(): z.ZodArray<z.ZodUnion<[z.ZodObject<{ field: z.ZodString }>, typeof RuleGroup]>> {
    return z.array(z.union([z.object({ field: z.string() }), RuleGroup]))
  },
})

const sendEndpoint = defineEndpoint({
  auth: ['admin', 'marketer'],
  handler: noop,
  method: 'post',
  params: z.object({ id: z.coerce.number().int().describe('Campaign id') }),
  path: '/:id/send',
  responses: { 202: { description: 'Queued', schema: z.object({ status: z.literal('sending') }) } },
  summary: 'Send a campaign',
})

const previewEndpoint = defineEndpoint({
  auth: 'user',
  body: z.object({ rules: RuleGroup }),
  handler: noop,
  method: 'post',
  path: '/preview',
  query: z.object({ sample: z.coerce.number().int().optional() }),
  responses: { 200: { description: 'Count', schema: z.object({ count: z.number().int() }) } },
  summary: 'Preview a segment',
})

// Stand-ins for what Payload's sanitisation adds: a built-in (skipped) and a plain endpoint of ours.
const builtinCount: Endpoint = { handler: noop, method: 'get', path: '/count' }
const plainEndpoint: Endpoint = { handler: noop, method: 'post', path: '/import' }

const collection = (config: object, singular: string, plural: string, endpoints: Endpoint[] = []): SanitizedCollectionConfig =>
  ({ ...config, endpoints, labels: { plural, singular } }) as unknown as SanitizedCollectionConfig

const fakeConfig = (): BuildOpenApiDocumentArgs['config'] =>
  ({
    collections: [
      collection(createUsersCollection({ slug: 'users' }), 'User', 'Users'),
      collection(createCustomersCollection(), 'Customer', 'Customers', [plainEndpoint, builtinCount]),
      collection(createCampaignsCollection(), 'Campaign', 'Campaigns', [sendEndpoint, previewEndpoint]),
      collection({ fields: [], slug: 'payload-preferences' }, 'Preference', 'Preferences'),
    ],
    cookiePrefix: 'payload',
    defaultDepth: 2,
    endpoints: [healthEndpoint, { handler: noop, method: 'get', path: '/access' }],
    routes: { api: '/api' },
  }) as unknown as BuildOpenApiDocumentArgs['config']

const build = () => buildOpenApiDocument({ config: fakeConfig(), title: 'Test CRM', version: '9.9.9' })

describe('buildOpenApiDocument', () => {
  it('should produce a valid OpenAPI 3.1 document', async () => {
    const document = build()
    const result = await validate(structuredClone(document) as unknown as Parameters<typeof validate>[0])
    if (!result.valid) throw new Error(compileErrors(result))
    expect(document.openapi).toBe('3.1.0')
    expect(document.info).toMatchObject({ title: 'Test CRM', version: '9.9.9' })
  })

  it("should document each collection's REST routes and skip Payload internals", () => {
    const { paths } = build()
    expect(Object.keys(paths['/api/customers']!)).toEqual(expect.arrayContaining(['get', 'post']))
    expect(Object.keys(paths['/api/customers/{id}']!)).toEqual(expect.arrayContaining(['get', 'patch', 'delete']))
    expect(paths['/api/customers']!.get!.parameters!.map((parameter) => parameter.name)).toEqual(['where', 'limit', 'page', 'sort', 'depth'])
    expect(paths['/api/customers']!.get!.parameters![0]).toMatchObject({ explode: true, style: 'deepObject' })
    expect(Object.keys(paths).some((path) => path.includes('payload-'))).toBe(false)
    expect(paths['/api/access']).toBeUndefined()
  })

  it('should give paginated lists the Payload page shape', () => {
    const { components } = build()
    expect(components.schemas.CustomerPage!.required).toEqual(
      expect.arrayContaining(['docs', 'totalDocs', 'limit', 'page', 'totalPages', 'hasNextPage', 'hasPrevPage', 'pagingCounter']),
    )
  })

  it('should mark derived fields readOnly and keep them out of create bodies', () => {
    const { components } = build()
    const customer = components.schemas.Customer!.properties as Record<string, Record<string, unknown>>
    expect(customer.totalSpend).toMatchObject({ readOnly: true })
    expect(customer.email).toMatchObject({ format: 'email', type: 'string' })
    expect(components.schemas.CustomerCreate!.properties).not.toHaveProperty('totalSpend')
    expect(components.schemas.CustomerCreate!.required).toEqual(['email'])
  })

  it('should document the auth routes of the users collection', () => {
    const { paths } = build()
    for (const route of ['login', 'logout', 'me', 'refresh-token', 'first-register']) expect(paths[`/api/users/${route}`]).toBeDefined()
    expect(paths['/api/users/login']!.post!.security).toEqual([])
    expect(JSON.stringify(paths['/api/users/login']!.post!.responses['200'])).toContain('"token"')
  })

  it('should declare JWT, API key and cookie security schemes and use them by default', () => {
    const { components, security } = build()
    expect(components.securitySchemes).toEqual({
      apiKey: expect.objectContaining({ in: 'header', name: 'Authorization', type: 'apiKey' }),
      cookie: expect.objectContaining({ in: 'cookie', name: 'payload-token', type: 'apiKey' }),
      jwt: expect.objectContaining({ in: 'header', name: 'Authorization', type: 'apiKey' }),
    })
    expect(components.securitySchemes.apiKey!.description).toContain('users API-Key')
    expect(components.securitySchemes.jwt!.description).toContain('JWT <token>')
    expect(security).toEqual([{ jwt: [] }, { apiKey: [] }, { cookie: [] }])
  })

  it('should document defineEndpoint endpoints from their zod schemas', () => {
    const { paths } = build()
    const send = paths['/api/campaigns/{id}/send']!.post!
    expect(send.parameters).toEqual([
      expect.objectContaining({ description: 'Campaign id', in: 'path', name: 'id', required: true, schema: expect.objectContaining({ type: 'integer' }) }),
    ])
    expect(send['x-roles']).toEqual(['admin', 'marketer'])
    expect(Object.keys(send.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '403', '500']))
    const preview = paths['/api/campaigns/preview']!.post!
    expect(preview.requestBody).toMatchObject({ required: true })
    expect(preview.parameters).toEqual([expect.objectContaining({ in: 'query', name: 'sample', required: false })])
  })

  it('should document public endpoints with an empty security requirement', () => {
    const health = build().paths['/api/health']!.get!
    expect(health.security).toEqual([])
    expect(Object.keys(health.responses)).toEqual(expect.arrayContaining(['200', '503']))
    expect(health.responses['401']).toBeUndefined()
  })

  it('should list endpoints of ours without metadata minimally and skip Payload built-ins', () => {
    const { paths } = build()
    expect(paths['/api/customers/import']!.post!.description).toContain('defineEndpoint')
    expect(paths['/api/customers/count']!.get!.operationId).toBe('countCustomers')
  })
})
