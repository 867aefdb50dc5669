import type { SanitizedConfig } from 'payload'

import { DEFAULT_OPTIONS } from '../defaults.js'
import { readCrmLimits } from './applyRequestLimits.js'
import { type BodyLimitKind, bodyTooLargeResponse, declaresTooLargeBody } from './bodyLimit.js'

type FetchHandler<TContext> = (request: Request, context: TContext) => Promise<Response> | Response

/**
 * Wraps a Fetch handler (a Next route handler, or what our Express server calls) so its request body
 * is cut off past `maxBytes`: 413 with a JSON error, whether the client declared the length or
 * streamed it chunked. For routes Payload serves outside its endpoint list — GraphQL above all — where
 * the plugin cannot reach the body itself.
 */
export const withBodyLimit =
  <TContext = unknown>({ handler, maxBytes }: { handler: FetchHandler<TContext>; maxBytes: number }) =>
  async (request: Request, context: TContext): Promise<Response> => {
    if (declaresTooLargeBody(request.headers, maxBytes)) return bodyTooLargeResponse(maxBytes)
    if (!request.body) return handler(request, context)
    let total = 0
    let isExceeded = false
    const counted = request.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, controller) => {
          total += chunk.byteLength
          if (total > maxBytes) {
            isExceeded = true
            controller.error(new Error(`Request body larger than ${maxBytes} bytes`))
            return
          }
          controller.enqueue(chunk)
        },
      }),
    )
    // A new Request (not patched readers): handlers such as Payload's GraphQL clone it before reading.
    const bounded = new Request(request, { body: counted, duplex: 'half' } as RequestInit)
    try {
      const response = await handler(bounded, context)
      return isExceeded ? bodyTooLargeResponse(maxBytes) : response
    } catch (err) {
      if (isExceeded) return bodyTooLargeResponse(maxBytes)
      throw err
    }
  }

/**
 * `withBodyLimit` with the limit `crmPlugin` configured (`limits.bodyBytes[kind]`), read from the
 * config once it resolves. For a host app's route files, e.g.
 * `export const POST = withCrmBodyLimit({ config, handler: GRAPHQL_POST(config) })`.
 */
export const withCrmBodyLimit = <TContext = unknown>({
  config,
  handler,
  kind = 'json',
}: {
  config: Promise<SanitizedConfig> | SanitizedConfig
  handler: FetchHandler<TContext>
  kind?: BodyLimitKind
}) => {
  let bounded: ((request: Request, context: TContext) => Promise<Response>) | undefined
  return async (request: Request, context: TContext): Promise<Response> => {
    if (!bounded) {
      const limits = readCrmLimits(await config) ?? DEFAULT_OPTIONS.limits
      bounded = withBodyLimit({ handler, maxBytes: limits.bodyBytes[kind] })
    }
    return bounded(request, context)
  }
}
