import type { Endpoint, Payload } from 'payload'

import type { SanitizedCrmLimits } from '../types.js'
import type { BodyLimitKind } from './bodyLimit.js'

import { BODY_LIMIT_KEY, bodyTooLargeResponse, declaresTooLargeBody, limitRequestBody } from './bodyLimit.js'

const GUARDED = Symbol.for('mini-crm.bodyLimitGuarded')

const METHODS_WITH_BODY = new Set(['delete', 'patch', 'post', 'put'])

const kindOf = (endpoint: Endpoint): BodyLimitKind => {
  const declared: unknown = endpoint.custom?.[BODY_LIMIT_KEY]
  return declared === 'ingest' || declared === 'upload' ? declared : 'json'
}

/** One endpoint whose handler reads its body through `limitRequestBody`: 413 past the endpoint's limit. */
const guardEndpoint = (endpoint: Endpoint, limits: SanitizedCrmLimits): Endpoint => {
  if (!METHODS_WITH_BODY.has(endpoint.method) || Reflect.get(endpoint, GUARDED)) return endpoint
  const maxBytes = limits.bodyBytes[kindOf(endpoint)]
  const { handler } = endpoint
  const guarded: Endpoint = {
    ...endpoint,
    handler: async (req) => {
      if (declaresTooLargeBody(req.headers, maxBytes)) return bodyTooLargeResponse(maxBytes)
      const guard = limitRequestBody(req as unknown as Request, maxBytes)
      try {
        const response = await handler(req)
        // Whatever the handler made of the cut-off body (Payload maps some read errors to 400 or 500), the cause is the size.
        return guard.isExceeded ? bodyTooLargeResponse(maxBytes) : response
      } catch (err) {
        if (guard.isExceeded) return bodyTooLargeResponse(maxBytes)
        throw err
      }
    },
  }
  Reflect.set(guarded, GUARDED, true)
  return guarded
}

const guardAll = (endpoints: Endpoint[] | false | undefined, limits: SanitizedCrmLimits): Endpoint[] | false | undefined =>
  Array.isArray(endpoints) ? endpoints.map((endpoint) => guardEndpoint(endpoint, limits)) : endpoints

/**
 * Puts a body-size limit on every REST endpoint that takes a body — Payload's own (create, update,
 * login, …, added during config sanitisation, hence at init) and every plugin's — on the sanitised
 * config that `handleEndpoints` reads per request. Endpoints declare `ingest` or `upload` through
 * `defineEndpoint({ bodyLimit })`; all others get the JSON limit.
 */
export const guardEndpointBodies = (payload: Payload, limits: SanitizedCrmLimits): void => {
  const { config } = payload
  config.endpoints = (guardAll(config.endpoints, limits) || []) as typeof config.endpoints
  for (const collection of Object.values(payload.collections)) {
    collection.config.endpoints = guardAll(collection.config.endpoints, limits) as typeof collection.config.endpoints
  }
  for (const global of config.globals) global.endpoints = guardAll(global.endpoints, limits) as typeof global.endpoints
}
