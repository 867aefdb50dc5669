import type { JsonSchema, OpenApiResponse } from './types.js'

/** Name of the shared error component: `{ errors: [{ message, path? }] }`, Payload's and ours. */
export const ERROR_SCHEMA_NAME = 'Error'

export const ERROR_SCHEMA: JsonSchema = {
  description: 'Every error answer: one entry per problem; `path` names the offending field when there is one.',
  properties: {
    errors: {
      items: {
        properties: {
          location: { description: 'Where the field was', enum: ['body', 'query', 'params'], type: 'string' },
          message: { type: 'string' },
          path: { description: 'Dotted path of the field, e.g. `rules.0.field`', type: 'string' },
        },
        required: ['message'],
        type: 'object',
      },
      type: 'array',
    },
  },
  required: ['errors'],
  type: 'object',
}

export const jsonResponse = (description: string, schema?: JsonSchema): OpenApiResponse =>
  schema ? { content: { 'application/json': { schema } }, description } : { description }

export const errorResponse = (description: string): OpenApiResponse =>
  jsonResponse(description, { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` })

/** Standard wording for the error statuses the generator adds on its own. */
export const STANDARD_ERRORS: Record<number, string> = {
  400: 'Invalid request: the errors name each offending field',
  401: 'Not signed in',
  403: 'Signed in, but not allowed to do this',
  404: 'Not found',
  500: 'Unexpected server error (logged; no details are sent)',
}

export const standardErrors = (...statuses: number[]): Record<string, OpenApiResponse> =>
  Object.fromEntries(statuses.map((status) => [String(status), errorResponse(STANDARD_ERRORS[status] ?? 'Error')]))
