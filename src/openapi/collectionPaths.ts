import type { SanitizedCollectionConfig } from 'payload'

import type { CollectionSchemaRefs } from './collectionSchemas.js'
import type { JsonSchema, OpenApiParameter, OpenApiPathItem } from './types.js'

import { joinApiPath, toPascalCase } from './naming.js'
import { jsonResponse, standardErrors } from './responses.js'

const depthParameter = (defaultDepth: number): OpenApiParameter => ({
  description: 'How many levels of relationships to populate (0 = ids only)',
  in: 'query',
  name: 'depth',
  schema: { default: defaultDepth, minimum: 0, type: 'integer' },
})

const ID_PARAMETER: OpenApiParameter = {
  description: 'Document id (an integer on SQL databases, a string on MongoDB)',
  in: 'path',
  name: 'id',
  required: true,
  schema: { type: ['integer', 'string'] },
}

const listParameters = (defaultDepth: number, defaultSort: string | undefined): OpenApiParameter[] => [
  {
    description: 'Payload query, e.g. `where[email][equals]=a@example.com` or `where[totalSpend][greater_than]=1000`',
    explode: true,
    in: 'query',
    name: 'where',
    schema: { additionalProperties: true, type: 'object' },
    style: 'deepObject',
  },
  { description: 'Page size (0 = every document)', in: 'query', name: 'limit', schema: { default: 10, minimum: 0, type: 'integer' } },
  { description: '1-based page number', in: 'query', name: 'page', schema: { default: 1, minimum: 1, type: 'integer' } },
  {
    description: 'Field to sort by; prefix with `-` for descending, comma-separate several',
    in: 'query',
    name: 'sort',
    schema: defaultSort ? { default: defaultSort, type: 'string' } : { type: 'string' },
  },
  depthParameter(defaultDepth),
]

const mutationResult = (doc: JsonSchema): JsonSchema => ({
  properties: { doc, message: { type: 'string' } },
  required: ['doc', 'message'],
  type: 'object',
})

/**
 * Payload's REST routes for one collection: list and create at `/api/<slug>`, count, and read,
 * update and delete at `/api/<slug>/{id}`. Access is the collection's own, so anonymous calls get 403.
 */
export const collectionPaths = ({
  apiRoute,
  collection,
  defaultDepth,
  name,
  refs,
  tag,
}: {
  apiRoute: string
  collection: SanitizedCollectionConfig
  defaultDepth: number
  name: string
  refs: CollectionSchemaRefs
  tag: string
}): Record<string, OpenApiPathItem> => {
  const base = joinApiPath(apiRoute, collection.slug)
  const plural = toPascalCase(collection.slug)
  const defaultSort = typeof collection.defaultSort === 'string' ? collection.defaultSort : undefined
  return {
    [base]: {
      get: {
        operationId: `list${plural}`,
        parameters: listParameters(defaultDepth, defaultSort),
        responses: { '200': jsonResponse('One page of documents', refs.page), ...standardErrors(400, 403) },
        summary: `List ${collection.slug}`,
        tags: [tag],
      },
      post: {
        operationId: `create${name}`,
        parameters: [depthParameter(defaultDepth)],
        requestBody: { content: { 'application/json': { schema: refs.create } }, required: true },
        responses: { '201': jsonResponse('Created', mutationResult(refs.doc)), ...standardErrors(400, 403) },
        summary: `Create a ${name} document`,
        tags: [tag],
      },
    },
    [`${base}/count`]: {
      get: {
        operationId: `count${plural}`,
        parameters: listParameters(defaultDepth, defaultSort).filter((parameter) => parameter.name === 'where'),
        responses: {
          '200': jsonResponse('Number of matching documents', {
            properties: { totalDocs: { type: 'integer' } },
            required: ['totalDocs'],
            type: 'object',
          }),
          ...standardErrors(400, 403),
        },
        summary: `Count ${collection.slug}`,
        tags: [tag],
      },
    },
    [`${base}/{id}`]: {
      delete: {
        operationId: `delete${name}`,
        responses: { '200': jsonResponse('Deleted', mutationResult(refs.doc)), ...standardErrors(403, 404) },
        summary: `Delete a ${name} document`,
        tags: [tag],
      },
      get: {
        operationId: `get${name}`,
        parameters: [depthParameter(defaultDepth)],
        responses: { '200': jsonResponse('The document', refs.doc), ...standardErrors(403, 404) },
        summary: `Get a ${name} document`,
        tags: [tag],
      },
      parameters: [ID_PARAMETER],
      patch: {
        operationId: `update${name}`,
        parameters: [depthParameter(defaultDepth)],
        requestBody: { content: { 'application/json': { schema: refs.update } }, required: true },
        responses: { '200': jsonResponse('Updated', mutationResult(refs.doc)), ...standardErrors(400, 403, 404) },
        summary: `Update a ${name} document`,
        tags: [tag],
      },
    },
  }
}
