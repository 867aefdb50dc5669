import type { Field, Option } from 'payload'

import type { JsonSchema } from './types.js'

import { isFieldAccessDenied } from './isFieldAccessDenied.js'

/**
 * `read`: a stored document as the API returns it. `create`/`update`: what a client may send;
 * fields that access denies for that operation are left out, and nothing is required on update.
 */
export type SchemaMode = 'create' | 'read' | 'update'

export type FieldSchemaContext = {
  mode: SchemaMode
  /** `$ref` of the read schema of another collection, for populated relationships (depth > 0). */
  refForCollection: (slug: string) => JsonSchema | undefined
}

type ObjectParts = { properties: Record<string, JsonSchema>; required: string[] }

/** A value or `null` (Payload answers `null` for empty optional fields, and accepts it to clear one). */
export const nullable = (schema: JsonSchema): JsonSchema => {
  if (typeof schema.type === 'string' && !('$ref' in schema)) {
    const next: JsonSchema = { ...schema, type: [schema.type, 'null'] }
    if (Array.isArray(schema.enum)) next.enum = [...schema.enum, null]
    return next
  }
  return { anyOf: [schema, { type: 'null' }] }
}

// Integer ids on SQL databases, string ids on MongoDB.
const ID_SCHEMA: JsonSchema = { type: ['integer', 'string'] }

const optionValue = (option: Option): string => (typeof option === 'string' ? option : option.value)

const withFieldDocs = (field: Field, schema: JsonSchema): JsonSchema => {
  const description = field.admin && 'description' in field.admin ? field.admin.description : undefined
  const withDescription = typeof description === 'string' ? { ...schema, description } : schema
  const defaultValue = 'defaultValue' in field ? field.defaultValue : undefined
  return defaultValue !== undefined && typeof defaultValue !== 'function' ? { ...withDescription, default: defaultValue } : withDescription
}

const relationSchema = (relationTo: string | string[], hasMany: boolean | undefined, context: FieldSchemaContext): JsonSchema => {
  const one = (slug: string): JsonSchema => {
    const ref = context.mode === 'read' ? context.refForCollection(slug) : undefined
    return ref ? { anyOf: [ID_SCHEMA, ref], description: `Id of a ${slug} document, or the document itself when populated (depth > 0)` } : { ...ID_SCHEMA, description: `Id of a ${slug} document` }
  }
  const single: JsonSchema = Array.isArray(relationTo)
    ? {
        oneOf: relationTo.map((slug) => ({
          properties: { relationTo: { const: slug, type: 'string' }, value: one(slug) },
          required: ['relationTo', 'value'],
          type: 'object',
        })),
      }
    : one(relationTo)
  return hasMany ? { items: single, type: 'array' } : single
}

const withLength = (schema: JsonSchema, min: number | undefined, max: number | undefined, keys: [string, string]): JsonSchema => ({
  ...schema,
  ...(typeof min === 'number' ? { [keys[0]]: min } : {}),
  ...(typeof max === 'number' ? { [keys[1]]: max } : {}),
})

/** The schema of one data field's value, or `undefined` for fields that hold no client-visible data. */
const valueSchema = (field: Field, context: FieldSchemaContext): JsonSchema | undefined => {
  switch (field.type) {
    case 'text': {
      const item = withLength({ type: 'string' }, field.minLength, field.maxLength, ['minLength', 'maxLength'])
      return field.hasMany ? { items: item, type: 'array' } : item
    }
    case 'textarea':
      return withLength({ type: 'string' }, field.minLength, field.maxLength, ['minLength', 'maxLength'])
    case 'code':
      return { type: 'string' }
    case 'email':
      return { format: 'email', type: 'string' }
    case 'number': {
      const item = withLength({ type: 'number' }, field.min, field.max, ['minimum', 'maximum'])
      return field.hasMany ? { items: item, type: 'array' } : item
    }
    case 'checkbox':
      return { type: 'boolean' }
    case 'date':
      return { format: 'date-time', type: 'string' }
    case 'select': {
      const item: JsonSchema = { enum: field.options.map(optionValue), type: 'string' }
      return field.hasMany ? { items: item, type: 'array' } : item
    }
    case 'radio':
      return { enum: field.options.map(optionValue), type: 'string' }
    case 'relationship':
    case 'upload':
      return relationSchema(field.relationTo, field.hasMany, context)
    case 'json':
      return {}
    case 'richText':
      return { description: 'Rich text (editor JSON)', type: 'object' }
    case 'point':
      return { description: '[longitude, latitude]', items: { type: 'number' }, maxItems: 2, minItems: 2, type: 'array' }
    case 'group':
      return objectSchema(field.fields, context)
    case 'array': {
      const row = objectSchema(field.fields, context)
      const rowWithId =
        context.mode === 'read'
          ? { ...row, properties: { id: { type: 'string' }, ...(row.properties as Record<string, JsonSchema>) } }
          : row
      return withLength({ items: rowWithId, type: 'array' }, field.minRows, field.maxRows, ['minItems', 'maxItems'])
    }
    case 'blocks': {
      const blocks = [...(field.blocks ?? []), ...(field.blockReferences ?? [])]
      const variants = blocks.map((block) => {
        if (typeof block === 'string') return { properties: { blockType: { const: block, type: 'string' } }, required: ['blockType'], type: 'object' }
        const inner = objectSchema(block.fields, context)
        const required = Array.isArray(inner.required) ? inner.required : []
        return {
          ...inner,
          properties: { blockType: { const: block.slug, type: 'string' }, ...(inner.properties as Record<string, JsonSchema>) },
          required: ['blockType', ...required],
        }
      })
      return { items: variants.length > 0 ? { oneOf: variants } : { type: 'object' }, type: 'array' }
    }
    case 'join':
      // Joins are computed on read and never written.
      return context.mode === 'read'
        ? { properties: { docs: { items: {}, type: 'array' }, hasNextPage: { type: 'boolean' } }, readOnly: true, type: 'object' }
        : undefined
    default:
      return undefined
  }
}

const addFields = (fields: Field[], context: FieldSchemaContext, parts: ObjectParts): void => {
  for (const field of fields) {
    if ('hidden' in field && field.hidden === true) continue
    // Layout-only fields (row, collapsible, unnamed group/tab) lay their children out at this level.
    if (field.type === 'row' || field.type === 'collapsible' || (field.type === 'group' && !('name' in field && field.name))) {
      if (!isWriteDenied(field, context.mode)) addFields(field.fields, context, parts)
      continue
    }
    if (field.type === 'tabs') {
      for (const tab of field.tabs) {
        if ('name' in tab && tab.name) {
          parts.properties[tab.name] = objectSchema(tab.fields, context)
        } else {
          addFields(tab.fields, context, parts)
        }
      }
      continue
    }
    if (!('name' in field) || !field.name) continue
    if (isWriteDenied(field, context.mode)) continue
    if (context.mode === 'read' && isFieldAccessDenied(field, 'read')) continue
    // Virtual fields are computed on read; admin-disabled ones (auth sessions…) are Payload's bookkeeping.
    if (context.mode !== 'read' && (('virtual' in field && Boolean(field.virtual)) || isAdminDisabled(field))) continue
    const schema = valueSchema(field, context)
    if (!schema) continue
    const isRequired = 'required' in field && field.required === true
    let documented = withFieldDocs(field, isRequired ? schema : nullable(schema))
    if (context.mode === 'read' && (isSystemManaged(field) || ('virtual' in field && Boolean(field.virtual)))) documented = { ...documented, readOnly: true }
    parts.properties[field.name] = documented
    const hasDefault = 'defaultValue' in field && field.defaultValue !== undefined
    if (isRequired && (context.mode === 'read' || (context.mode === 'create' && !hasDefault))) parts.required.push(field.name)
  }
}

/** Derived fields: no client may write them (field access), or the admin panel shows them read-only. */
const isSystemManaged = (field: Field): boolean =>
  (isFieldAccessDenied(field, 'create') && isFieldAccessDenied(field, 'update')) ||
  Boolean(field.admin && 'readOnly' in field.admin && field.admin.readOnly === true)

const isAdminDisabled = (field: Field): boolean => Boolean(field.admin && 'disabled' in field.admin && field.admin.disabled === true)

const isWriteDenied = (field: Field, mode: SchemaMode): boolean =>
  mode !== 'read' && (isFieldAccessDenied(field, mode) || Boolean(field.admin && 'readOnly' in field.admin && field.admin.readOnly === true))

/** An object schema for a list of Payload fields (collection, group, array row or block). */
export const objectSchema = (fields: Field[], context: FieldSchemaContext): JsonSchema => {
  const parts: ObjectParts = { properties: {}, required: [] }
  addFields(fields, context, parts)
  return { properties: parts.properties, type: 'object', ...(parts.required.length > 0 ? { required: parts.required } : {}) }
}
