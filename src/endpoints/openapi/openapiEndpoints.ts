import type { Endpoint, SanitizedConfig } from 'payload'

import type { OpenApiDocument } from '../../openapi/types.js'
import type { SanitizedCrmOptions } from '../../types.js'

import { z } from 'zod'

import { buildOpenApiDocument } from '../../openapi/buildOpenApiDocument.js'
import { defineEndpoint } from '../defineEndpoint.js'
import { errorResponse } from '../errorResponse.js'
import { DOCS_INIT_SCRIPT, renderDocsInitScript, renderDocsPage } from './docsPage.js'
import { readSwaggerUiAsset } from './swaggerUiAssets.js'

/** Version of the API description (`info.version`); bump it when the contract changes. */
export const OPENAPI_DOCUMENT_VERSION = '0.1.0'

const DESCRIPTION =
  'Headless CRM on Payload CMS: customers, orders, segments, campaigns and their delivery logs. ' +
  'Authenticate with `Authorization: JWT <token>` (from login), `Authorization: users API-Key <key>`, or the session cookie.'

const NO_STORE = { 'Cache-Control': 'no-store' }

const apiRouteOf = (config: Pick<SanitizedConfig, 'routes'>): string => config.routes?.api || '/api'

/**
 * `GET /api/openapi.json`, `GET /api/docs` (Swagger UI) and `GET /api/docs/:asset` (its files, from the
 * installed swagger-ui-dist). All public: the description holds no customer data.
 */
export const createOpenApiEndpoints = (options: SanitizedCrmOptions): Endpoint[] => {
  // Built on first request, once per config: by then every plugin has added its endpoints.
  const documents = new WeakMap<object, OpenApiDocument>()
  const documentFor = (config: SanitizedConfig): OpenApiDocument => {
    let document = documents.get(config)
    if (!document) {
      document = buildOpenApiDocument({ config, description: DESCRIPTION, title: options.title, version: OPENAPI_DOCUMENT_VERSION })
      documents.set(config, document)
    }
    return document
  }

  const openApiJson = defineEndpoint({
    auth: 'public',
    handler: ({ req }) => Response.json(documentFor(req.payload.config), { headers: NO_STORE }),
    method: 'get',
    operationId: 'getOpenApiDocument',
    path: '/openapi.json',
    responses: { 200: { description: 'This document', schema: z.record(z.string(), z.unknown()) } },
    summary: 'OpenAPI 3.1 description of this API',
    tags: ['System'],
  })

  const docsPage = defineEndpoint({
    auth: 'public',
    handler: ({ req }) =>
      new Response(renderDocsPage({ apiRoute: apiRouteOf(req.payload.config), title: options.title }), {
        headers: { ...NO_STORE, 'Content-Type': 'text/html; charset=utf-8' },
      }),
    method: 'get',
    operationId: 'getApiDocs',
    path: '/docs',
    responses: { 200: { contentType: 'text/html', description: 'Swagger UI, served from this server (no CDN)' } },
    summary: 'Interactive API docs (Swagger UI)',
    tags: ['System'],
  })

  const docsAsset = defineEndpoint({
    auth: 'public',
    handler: async ({ params, req }) => {
      if (params.asset === DOCS_INIT_SCRIPT) {
        const specUrl = `${apiRouteOf(req.payload.config)}/openapi.json`
        return new Response(renderDocsInitScript({ specUrl }), {
          headers: { ...NO_STORE, 'Content-Type': 'text/javascript; charset=utf-8' },
        })
      }
      const asset = await readSwaggerUiAsset(params.asset)
      if (!asset) return errorResponse(404, [{ message: `No such docs asset: ${params.asset}` }])
      return new Response(asset.body, {
        headers: { 'Cache-Control': 'public, max-age=3600', 'Content-Type': asset.contentType, 'X-Content-Type-Options': 'nosniff' },
      })
    },
    isHidden: true,
    method: 'get',
    params: z.object({ asset: z.string() }),
    path: '/docs/:asset',
    responses: { 200: { description: 'A Swagger UI file' }, 404: { description: 'Not a Swagger UI file' } },
    summary: 'Swagger UI assets',
  })

  return [openApiJson, docsPage, docsAsset]
}
