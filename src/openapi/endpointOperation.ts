import type { z } from 'zod'

import type { EndpointDoc } from './endpointDoc.js'
import type { SchemaRegistry } from './schemaRegistry.js'
import type { OpenApiOperation, OpenApiParameter, OpenApiRequestBody, OpenApiResponse } from './types.js'

import { errorResponse, STANDARD_ERRORS } from './responses.js'

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Splits an object schema into one parameter per property (how OpenAPI describes query and path params). */
const toParameters = (
  schema: z.ZodType,
  location: 'path' | 'query',
  name: string,
  registry: SchemaRegistry,
): OpenApiParameter[] => {
  const converted = registry.fromZod(schema, { io: 'input', name })
  const properties = isRecord(converted.properties) ? converted.properties : {}
  const required = Array.isArray(converted.required) ? converted.required : []
  return Object.entries(properties).map(([key, value]) => {
    const propertySchema = isRecord(value) ? value : {}
    const description = typeof propertySchema.description === 'string' ? propertySchema.description : undefined
    const isObject = propertySchema.type === 'object'
    return {
      ...(description ? { description } : {}),
      in: location,
      name: key,
      required: location === 'path' || required.includes(key),
      schema: propertySchema,
      ...(isObject ? { explode: true, style: 'deepObject' as const } : {}),
    }
  })
}

/** Whether a body schema rejects a missing body (then the OpenAPI request body is `required`). */
const isBodyRequired = (schema: z.ZodType): boolean => {
  try {
    return !schema.safeParse(undefined).success
  } catch {
    return true
  }
}

const requestBodyFor = (doc: EndpointDoc, operationId: string, registry: SchemaRegistry): OpenApiRequestBody | undefined => {
  const content: OpenApiRequestBody['content'] = {}
  let description: string | undefined
  if (doc.body) content['application/json'] = { schema: registry.fromZod(doc.body, { io: 'input', name: `${operationId}Body` }) }
  for (const [mediaType, entry] of Object.entries(doc.requestContent ?? {})) {
    content[mediaType] = entry.schema ? { schema: registry.fromZod(entry.schema, { io: 'input', name: `${operationId}Upload` }) } : {}
    description ??= entry.description
  }
  if (Object.keys(content).length === 0) return undefined
  return { content, ...(description ? { description } : {}), required: doc.body ? isBodyRequired(doc.body) : true }
}

const responsesFor = (doc: EndpointDoc, operationId: string, registry: SchemaRegistry): Record<string, OpenApiResponse> => {
  const responses: Record<string, OpenApiResponse> = {}
  for (const [status, response] of Object.entries(doc.responses)) {
    const contentType = response.contentType ?? 'application/json'
    const schema = response.schema ? registry.fromZod(response.schema, { io: 'output', name: `${operationId}${status}` }) : undefined
    responses[status] =
      schema || response.contentType
        ? { content: { [contentType]: schema ? { schema } : {} }, description: response.description }
        : { description: response.description }
  }
  // What defineEndpoint itself may answer, unless the endpoint documents those statuses more precisely.
  const automatic = [
    ...(doc.body || doc.query || doc.params || doc.requestContent ? [400] : []),
    ...(doc.auth === 'public' ? [] : [401]),
    ...(Array.isArray(doc.auth) ? [403] : []),
    500,
  ]
  for (const status of automatic) responses[String(status)] ??= errorResponse(STANDARD_ERRORS[status] ?? 'Error')
  return responses
}

/**
 * The OpenAPI operation of an endpoint made by `defineEndpoint`, from the same zod schemas that
 * validate it. `pathParams` are the `{name}`s of its OpenAPI path; any the params schema leaves out
 * are documented as strings so the document stays valid.
 */
export const endpointOperation = ({
  defaultTag,
  doc,
  operationId,
  pathParams,
  registry,
}: {
  defaultTag: string
  doc: EndpointDoc
  operationId: string
  pathParams: string[]
  registry: SchemaRegistry
}): OpenApiOperation => {
  const parameters: OpenApiParameter[] = [
    ...(doc.params ? toParameters(doc.params, 'path', `${operationId}Params`, registry) : []).filter((parameter) =>
      pathParams.includes(parameter.name),
    ),
    ...(doc.query ? toParameters(doc.query, 'query', `${operationId}Query`, registry) : []),
  ]
  for (const name of pathParams) {
    if (!parameters.some((parameter) => parameter.in === 'path' && parameter.name === name)) {
      parameters.push({ in: 'path', name, required: true, schema: { type: 'string' } })
    }
  }
  const roles = Array.isArray(doc.auth) ? [...doc.auth] : undefined
  const access =
    doc.auth === 'public' ? 'Public: no authentication needed.' : roles ? `Roles: ${roles.join(', ')}.` : 'Any signed-in user.'
  const requestBody = requestBodyFor(doc, operationId, registry)
  return {
    description: doc.description ? `${doc.description}\n\n${access}` : access,
    operationId,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: responsesFor(doc, operationId, registry),
    ...(doc.auth === 'public' ? { security: [] } : {}),
    summary: doc.summary,
    tags: doc.tags && doc.tags.length > 0 ? doc.tags : [defaultTag],
    ...(roles ? { 'x-roles': roles } : {}),
  }
}

/** Endpoints of ours not (yet) written with `defineEndpoint`: listed, so nothing is invisible, but not described. */
export const undocumentedOperation = ({
  defaultTag,
  method,
  operationId,
  path,
  pathParams,
}: {
  defaultTag: string
  method: string
  operationId: string
  path: string
  pathParams: string[]
}): OpenApiOperation => ({
  description: 'Not described yet: this endpoint is not defined with `defineEndpoint`.',
  operationId,
  ...(pathParams.length > 0
    ? { parameters: pathParams.map((name): OpenApiParameter => ({ in: 'path', name, required: true, schema: { type: 'string' } })) }
    : {}),
  responses: { default: { description: 'See the endpoint implementation' } },
  summary: `${method.toUpperCase()} ${path}`,
  tags: [defaultTag],
})
