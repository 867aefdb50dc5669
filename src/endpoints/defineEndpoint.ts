import type { Endpoint, PayloadRequest, TypedUser } from 'payload'
import type { z } from 'zod'

import type { EndpointAuth, EndpointDoc } from '../openapi/endpointDoc.js'

import { APIError } from 'payload'

import type { BodyLimitKind } from '../limits/bodyLimit.js'

import { hasRole } from '../access/roles.js'
import { BODY_LIMIT_KEY } from '../limits/bodyLimit.js'
import { ENDPOINT_DOC_KEY } from '../openapi/endpointDoc.js'
import { errorResponse } from './errorResponse.js'
import { readJsonBody } from './readJsonBody.js'
import { zodIssuesToErrors } from './zodIssuesToErrors.js'

type Parsed<TSchema> = TSchema extends z.ZodType ? z.output<TSchema> : undefined

export type EndpointHandlerArgs<TBody, TQuery, TParams, TAuth extends EndpointAuth> = {
  /** The validated JSON body (`undefined` when the endpoint declares no `body` schema). */
  body: Parsed<TBody>
  /** The validated path parameters (`:id` → `params.id`). */
  params: Parsed<TParams>
  /** The validated query string (Payload parses it with `qs`, so values arrive as strings). */
  query: Parsed<TQuery>
  req: PayloadRequest
  /** The signed-in user; never null unless the endpoint is public. */
  user: TAuth extends 'public' ? null | TypedUser : TypedUser
}

export type EndpointDefinition<TBody, TQuery, TParams, TAuth extends EndpointAuth> = Omit<
  EndpointDoc,
  'auth' | 'body' | 'params' | 'query'
> & {
  auth: TAuth
  body?: TBody
  /**
   * Which configured body-size limit applies (`limits.bodyBytes`): `ingest` for JSON record batches,
   * `upload` for CSV files; past it → 413.
   * @default 'json'
   */
  bodyLimit?: BodyLimitKind
  /** Thin glue: call one operation, map its result to a `Response` (STYLE.md §3). */
  handler: (args: EndpointHandlerArgs<TBody, TQuery, TParams, TAuth>) => Promise<Response> | Response
  params?: TParams
  query?: TQuery
}

const GENERIC_ERROR = 'Something went wrong. The error has been logged.'

/** 401 when nobody is signed in, 403 when the signed-in user lacks every allowed role, else null. */
const checkAuth = (req: PayloadRequest, auth: EndpointAuth): null | Response => {
  if (auth === 'public') return null
  if (!req.user) return errorResponse(401, [{ message: 'You must be signed in to do that.' }])
  if (auth === 'user' || hasRole(req.user as { roles?: null | readonly string[] }, ...auth)) return null
  return errorResponse(403, [{ message: `Only these roles may do that: ${auth.join(', ')}.` }])
}

/** Maps an error thrown by the handler: Payload's public errors keep their status and message, anything else is a logged 500. */
const toErrorResponse = (req: PayloadRequest, err: unknown): Response => {
  if (err instanceof APIError && err.isPublic && typeof err.status === 'number') {
    if (err.status >= 500) req.payload.logger.error({ err, msg: `${req.method ?? ''} ${req.url ?? ''} failed` })
    const data: unknown = err.data
    // Payload's ValidationError carries one entry per field; keep their paths.
    const fieldErrors =
      typeof data === 'object' && data !== null && Array.isArray((data as { errors?: unknown }).errors)
        ? ((data as { errors: { message?: unknown; path?: unknown }[] }).errors ?? []).map((item) => ({
            message: typeof item.message === 'string' ? item.message : err.message,
            ...(typeof item.path === 'string' ? { path: item.path } : {}),
          }))
        : []
    return errorResponse(err.status, fieldErrors.length > 0 ? fieldErrors : [{ message: err.message }])
  }
  req.payload.logger.error({ err, msg: `${req.method ?? ''} ${req.url ?? ''} failed` })
  return errorResponse(500, [{ message: GENERIC_ERROR }])
}

/**
 * THE way to write a custom CRM endpoint. One definition gives:
 * - authentication and role checks (custom Payload endpoints are public by default: 401 / 403 here),
 * - JSON body parsing (400 for non-JSON or malformed JSON),
 * - zod validation of body, query and path params (400 `{ errors: [{ message, path }] }`),
 * - a generic 500 for unexpected errors (logged, no stack sent),
 * - its OpenAPI operation, recorded on `endpoint.custom` and read by `buildOpenApiDocument`.
 *
 * @example
 * export const previewSegmentEndpoint = defineEndpoint({
 *   auth: ['admin', 'marketer'],
 *   body: z.object({ dsl: z.string().min(1) }),
 *   handler: async ({ body, req }) => Response.json(await previewSegment({ dsl: body.dsl, req })),
 *   method: 'post',
 *   path: '/preview',
 *   responses: { 200: { description: 'Audience size and sample', schema: previewSchema } },
 *   summary: 'Preview a segment',
 *   tags: ['Segments'],
 * })
 */
export const defineEndpoint = <
  TBody extends undefined | z.ZodType = undefined,
  TQuery extends undefined | z.ZodType = undefined,
  TParams extends undefined | z.ZodType = undefined,
  const TAuth extends EndpointAuth = EndpointAuth,
>(
  definition: EndpointDefinition<TBody, TQuery, TParams, TAuth>,
): Endpoint => {
  const { bodyLimit = 'json', handler, ...doc } = definition
  const endpointDoc: EndpointDoc = doc

  const run = async (req: PayloadRequest): Promise<Response> => {
    const denied = checkAuth(req, definition.auth)
    if (denied) return denied

    let body: unknown
    if (definition.body) {
      const read = await readJsonBody(req)
      if (!read.ok) return errorResponse(400, [{ location: 'body', message: read.message }])
      const result = definition.body.safeParse(read.value)
      if (!result.success) {
        return read.isEmpty
          ? errorResponse(400, [{ location: 'body', message: 'A JSON request body is required.' }])
          : errorResponse(400, zodIssuesToErrors(result.error.issues, 'body'))
      }
      body = result.data
    }
    let query: unknown
    if (definition.query) {
      const result = definition.query.safeParse(req.query ?? {})
      if (!result.success) return errorResponse(400, zodIssuesToErrors(result.error.issues, 'query'))
      query = result.data
    }
    let params: unknown
    if (definition.params) {
      const result = definition.params.safeParse(req.routeParams ?? {})
      if (!result.success) return errorResponse(400, zodIssuesToErrors(result.error.issues, 'params'))
      params = result.data
    }
    // The casts are sound: each value was produced by the matching schema's safeParse above.
    return handler({
      body: body as Parsed<TBody>,
      params: params as Parsed<TParams>,
      query: query as Parsed<TQuery>,
      req,
      user: req.user as EndpointHandlerArgs<TBody, TQuery, TParams, TAuth>['user'],
    })
  }

  return {
    custom: { [BODY_LIMIT_KEY]: bodyLimit, [ENDPOINT_DOC_KEY]: endpointDoc },
    handler: async (req) => {
      try {
        return await run(req)
      } catch (err) {
        return toErrorResponse(req, err)
      }
    },
    method: definition.method,
    path: definition.path,
  }
}
