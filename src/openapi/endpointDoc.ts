import type { Endpoint } from 'payload'
import type { z } from 'zod'

import type { Role } from '../access/roles.js'

/** Who may call an endpoint: anyone, any signed-in user, or signed-in users holding one of these roles. */
export type EndpointAuth = 'public' | 'user' | readonly Role[]

export type EndpointMethod = 'delete' | 'get' | 'patch' | 'post' | 'put'

export type EndpointResponseDoc = {
  /** Media type of the answer. @default 'application/json' */
  contentType?: string
  description: string
  /** Shape of the answer body (documentation only; answers are not validated at runtime). */
  schema?: z.ZodType
}

/**
 * What `defineEndpoint` records on `endpoint.custom` so the OpenAPI generator documents an endpoint
 * from the very zod schemas that validate it.
 */
export type EndpointDoc = {
  auth: EndpointAuth
  body?: z.ZodType
  description?: string
  /** Leave the endpoint out of the OpenAPI document (static assets and the like). */
  isHidden?: boolean
  method: EndpointMethod
  operationId?: string
  params?: z.ZodType
  /** Payload path relative to `/api` (root endpoints) or to `/api/<slug>` (collection endpoints), `:id` style. */
  path: string
  query?: z.ZodType
  /**
   * Request bodies that are not JSON (CSV uploads, …), keyed by media type. Documented only: the
   * handler reads `req` itself. Use `body` for JSON, which is also parsed and validated.
   */
  requestContent?: Record<string, { description?: string; schema?: z.ZodType }>
  responses: Record<number, EndpointResponseDoc>
  summary: string
  tags?: string[]
}

/** Key under `Endpoint.custom` (Payload's extension point, server-only) that holds the `EndpointDoc`. */
export const ENDPOINT_DOC_KEY = 'crmOpenApi'

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The `EndpointDoc` an endpoint was defined with, or `undefined` for endpoints not made by `defineEndpoint`. */
export const readEndpointDoc = (endpoint: Pick<Endpoint, 'custom'>): EndpointDoc | undefined => {
  const doc: unknown = endpoint.custom?.[ENDPOINT_DOC_KEY]
  if (!isRecord(doc) || typeof doc.path !== 'string' || typeof doc.method !== 'string' || !isRecord(doc.responses)) return undefined
  return doc as EndpointDoc
}
