import type { SanitizedCollectionConfig } from 'payload'

import type { SchemaRegistry } from './schemaRegistry.js'
import type { JsonSchema } from './types.js'

import { objectSchema } from './fieldsToSchema.js'

export type CollectionSchemaRefs = {
  create: JsonSchema
  /** The stored document. */
  doc: JsonSchema
  /** Payload's paginated list shape with `docs` of this collection. */
  page: JsonSchema
  update: JsonSchema
}

const ID_SCHEMA: JsonSchema = { readOnly: true, type: ['integer', 'string'] }

const PASSWORD_SCHEMA: JsonSchema = { format: 'password', type: 'string', writeOnly: true }

const withoutProperty = (schema: JsonSchema, key: string): JsonSchema => {
  const { [key]: _dropped, ...properties } = (schema.properties ?? {}) as Record<string, JsonSchema>
  return { ...schema, properties }
}

/**
 * Component schemas of one collection, derived from its sanitised fields: `<Name>` (read),
 * `<Name>Create`, `<Name>Update` and `<Name>Page`. `refForCollection` resolves relationship targets.
 */
export const addCollectionSchemas = ({
  collection,
  name,
  refForCollection,
  registry,
}: {
  collection: SanitizedCollectionConfig
  name: string
  refForCollection: (slug: string) => JsonSchema | undefined
  registry: SchemaRegistry
}): CollectionSchemaRefs => {
  const read = objectSchema(collection.fields, { mode: 'read', refForCollection })
  const readProperties: Record<string, JsonSchema> = { id: ID_SCHEMA, ...(read.properties as Record<string, JsonSchema>) }
  // Timestamps are always set; Payload maintains updatedAt itself (createdAt may be given, e.g. a CSV signup date).
  if (readProperties.createdAt) readProperties.createdAt = { format: 'date-time', type: 'string' }
  if (readProperties.updatedAt) readProperties.updatedAt = { format: 'date-time', readOnly: true, type: 'string' }
  const alwaysThere = ['id', ...['createdAt', 'updatedAt'].filter((key) => key in readProperties)]
  const readRequired = [...new Set([...alwaysThere, ...((read.required as string[] | undefined) ?? [])])]
  const description = typeof collection.admin?.description === 'string' ? collection.admin.description : undefined
  const doc = registry.add(name, {
    ...read,
    ...(description ? { description } : {}),
    properties: readProperties,
    required: readRequired,
  })

  const create = withoutProperty(objectSchema(collection.fields, { mode: 'create', refForCollection }), 'updatedAt')
  const update = withoutProperty(objectSchema(collection.fields, { mode: 'update', refForCollection }), 'updatedAt')
  // Auth collections take a password on create (required) and update (to change it); never returned.
  if (collection.auth && !collection.auth.disableLocalStrategy) {
    create.properties = { ...(create.properties as Record<string, JsonSchema>), password: PASSWORD_SCHEMA }
    create.required = [...((create.required as string[] | undefined) ?? []), 'password']
    update.properties = { ...(update.properties as Record<string, JsonSchema>), password: PASSWORD_SCHEMA }
  }

  const page = registry.add(`${name}Page`, {
    properties: {
      docs: { items: doc, type: 'array' },
      hasNextPage: { type: 'boolean' },
      hasPrevPage: { type: 'boolean' },
      limit: { type: 'integer' },
      nextPage: { type: ['integer', 'null'] },
      page: { type: 'integer' },
      pagingCounter: { description: 'Position of the first doc of this page in the whole result (1-based)', type: 'integer' },
      prevPage: { type: ['integer', 'null'] },
      totalDocs: { type: 'integer' },
      totalPages: { type: 'integer' },
    },
    required: ['docs', 'totalDocs', 'limit', 'page', 'totalPages', 'hasNextPage', 'hasPrevPage', 'pagingCounter'],
    type: 'object',
  })

  return { create: registry.add(`${name}Create`, create), doc, page, update: registry.add(`${name}Update`, update) }
}
