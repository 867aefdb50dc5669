import type { Endpoint, SanitizedCollectionConfig, SanitizedConfig } from 'payload'

import type { HttpMethod, JsonSchema, OpenApiDocument, OpenApiOperation, OpenApiPathItem } from './types.js'

import { readEndpointDoc } from './endpointDoc.js'
import { authPaths } from './authPaths.js'
import { endpointKey, PAYLOAD_COLLECTION_ENDPOINTS, PAYLOAD_ROOT_ENDPOINTS } from './builtinEndpoints.js'
import { addCollectionSchemas } from './collectionSchemas.js'
import { collectionPaths } from './collectionPaths.js'
import { endpointOperation, undocumentedOperation } from './endpointOperation.js'
import { deriveOperationId, joinApiPath, toOpenApiPath, toPascalCase } from './naming.js'
import { ERROR_SCHEMA, ERROR_SCHEMA_NAME } from './responses.js'
import { createSchemaRegistry } from './schemaRegistry.js'
import { securitySchemes } from './securitySchemes.js'

export type BuildOpenApiDocumentArgs = {
  /** The sanitised Payload config (`payload.config`). Only read. */
  config: Pick<SanitizedConfig, 'collections' | 'cookiePrefix' | 'defaultDepth' | 'endpoints' | 'routes'>
  /** Extra text under the title. */
  description?: string
  /** @default '/' (paths already start with the API route, e.g. `/api`) */
  serverUrl?: string
  title: string
  version: string
}

const HTTP_METHODS: ReadonlySet<string> = new Set<HttpMethod>(['delete', 'get', 'patch', 'post', 'put'])

// Payload's internal collections (preferences, migrations, locked documents, jobs, kv) are not API surface.
const isDocumentedCollection = (collection: SanitizedCollectionConfig): boolean => !collection.slug.startsWith('payload-')

const labelOf = (label: unknown, fallback: string): string => (typeof label === 'string' && label.trim() ? label : fallback)

/**
 * The OpenAPI 3.1 description of the running API: every non-internal collection's REST routes with
 * schemas derived from its fields, auth routes, security schemes, and every custom endpoint (those
 * made with `defineEndpoint` fully described from their zod schemas). Pure: reads the config only.
 */
export const buildOpenApiDocument = ({ config, description, serverUrl = '/', title, version }: BuildOpenApiDocumentArgs): OpenApiDocument => {
  const apiRoute = config.routes?.api || '/api'
  const registry = createSchemaRegistry()
  registry.add(ERROR_SCHEMA_NAME, ERROR_SCHEMA)
  const { schemes, security } = securitySchemes(config, apiRoute)

  const collections = config.collections.filter(isDocumentedCollection)
  // Names are fixed up front so relationship fields can point at collections defined later.
  const names = new Map<string, string>()
  const taken = new Set<string>([ERROR_SCHEMA_NAME])
  for (const collection of collections) {
    const base = toPascalCase(labelOf(collection.labels?.singular, collection.slug)) || toPascalCase(collection.slug)
    let name = base
    for (let n = 2; taken.has(name) || taken.has(`${name}Page`); n += 1) name = `${base}${n}`
    taken.add(name)
    names.set(collection.slug, name)
  }
  const refForCollection = (slug: string): JsonSchema | undefined => {
    const name = names.get(slug)
    return name ? { $ref: `#/components/schemas/${name}` } : undefined
  }

  const paths: Record<string, OpenApiPathItem> = {}
  const tags: OpenApiDocument['tags'] = []
  const operationIds = new Set<string>()
  const addOperation = (path: string, method: HttpMethod, operation: OpenApiOperation): void => {
    let operationId = operation.operationId
    for (let n = 2; operationIds.has(operationId); n += 1) operationId = `${operation.operationId}${n}`
    operationIds.add(operationId)
    paths[path] = { ...paths[path], [method]: { ...operation, operationId } }
  }
  const addPathItems = (items: Record<string, OpenApiPathItem>): void => {
    for (const [path, item] of Object.entries(items)) {
      const { parameters, ...operations } = item
      if (parameters) paths[path] = { ...paths[path], parameters }
      for (const [method, operation] of Object.entries(operations)) {
        if (operation && HTTP_METHODS.has(method)) addOperation(path, method as HttpMethod, operation)
      }
    }
  }

  // Custom endpoints are matched before Payload's own, so they replace a built-in operation on the same route.
  const addCustomEndpoints = (endpoints: Endpoint[], prefix: string, builtins: ReadonlySet<string>, defaultTag: string): void => {
    for (const endpoint of endpoints) {
      const doc = readEndpointDoc(endpoint)
      if (doc?.isHidden || !HTTP_METHODS.has(endpoint.method)) continue
      if (!doc && builtins.has(endpointKey(endpoint.method, endpoint.path))) continue
      const converted = toOpenApiPath(endpoint.path)
      const path = joinApiPath(prefix, converted.path)
      const method = endpoint.method as HttpMethod
      const operationId = doc?.operationId ?? deriveOperationId(method, path)
      const operation = doc
        ? endpointOperation({ defaultTag, doc, operationId, pathParams: converted.params, registry })
        : undefined
      const finalOperation =
        operation ?? undocumentedOperation({ defaultTag, method, operationId, path, pathParams: converted.params })
      // A custom endpoint replaces the built-in one on the same route: drop it before adding.
      const existing = paths[path]?.[method]
      if (existing) operationIds.delete(existing.operationId)
      addOperation(path, method, finalOperation)
    }
  }

  for (const collection of collections) {
    const name = names.get(collection.slug) ?? toPascalCase(collection.slug)
    const tag = labelOf(collection.labels?.plural, collection.slug)
    const collectionDescription = typeof collection.admin?.description === 'string' ? collection.admin.description : undefined
    tags.push({ name: tag, ...(collectionDescription ? { description: collectionDescription } : {}) })
    const refs = addCollectionSchemas({ collection, name, refForCollection, registry })
    addPathItems(collectionPaths({ apiRoute, collection, defaultDepth: config.defaultDepth ?? 2, name, refs, tag }))
    if (collection.auth && !collection.auth.disableLocalStrategy) {
      addPathItems(authPaths({ apiRoute, collection, create: refs.create, defaultSecurity: security, doc: refs.doc, name, tag }))
    }
    if (Array.isArray(collection.endpoints)) {
      addCustomEndpoints(collection.endpoints, joinApiPath(apiRoute, collection.slug), PAYLOAD_COLLECTION_ENDPOINTS, tag)
    }
  }
  addCustomEndpoints(config.endpoints ?? [], apiRoute, PAYLOAD_ROOT_ENDPOINTS, 'CRM')

  const knownTags = new Set(tags.map((tag) => tag.name))
  for (const item of Object.values(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || !operation || Array.isArray(operation)) continue
      for (const tag of (operation as OpenApiOperation).tags ?? []) {
        if (!knownTags.has(tag)) {
          knownTags.add(tag)
          tags.push({ name: tag })
        }
      }
    }
  }

  return {
    components: { schemas: registry.components, securitySchemes: schemes },
    info: { ...(description ? { description } : {}), title, version },
    openapi: '3.1.0',
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    security,
    servers: [{ url: serverUrl }],
    tags,
  }
}
