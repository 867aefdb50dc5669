import type { CollectionBeforeOperationHook, CollectionConfig, Field, Where } from 'payload'

import { APIError } from 'payload'

/** What a query value must look like for one top-level field. */
type ValueKind = 'date' | 'id' | 'number'

const COMPARISONS = new Set(['all', 'equals', 'greater_than', 'greater_than_equal', 'in', 'less_than', 'less_than_equal', 'not_equals', 'not_in'])
const LISTS = new Set(['all', 'in', 'not_in'])

const isWholeNumber = (value: string): boolean => /^-?\d+$/.test(value.trim()) && Number.isSafeInteger(Number(value))

const fits = (kind: ValueKind, value: unknown): boolean => {
  if (value === null || value === undefined || value === '') return true
  if (typeof value === 'number') return kind === 'date' ? Number.isFinite(value) : kind === 'id' ? Number.isSafeInteger(value) : Number.isFinite(value)
  if (typeof value !== 'string') return kind === 'date' && value instanceof Date && !Number.isNaN(value.getTime())
  if (kind === 'id') return isWholeNumber(value)
  if (kind === 'number') return value.trim() !== '' && Number.isFinite(Number(value))
  return !Number.isNaN(Date.parse(value))
}

const WHAT: Record<ValueKind, string> = { date: 'a date (ISO 8601, e.g. 2026-01-31)', id: 'a document id (a whole number)', number: 'a number' }

/**
 * The value kinds of a collection's top-level fields whose column refuses other values: numbers, dates,
 * and ids (the collection's own and single-collection relationships) when the database's ids are
 * numbers. Other fields (text, select, JSON, polymorphic relationships) accept any string.
 */
export const queryValueKinds = (fields: readonly Field[], numericIds: boolean): Map<string, ValueKind> => {
  const kinds = new Map<string, ValueKind>()
  if (numericIds) kinds.set('id', 'id')
  for (const field of fields) {
    if (!('name' in field) || !field.name) continue
    if (field.type === 'number') kinds.set(field.name, 'number')
    else if (field.type === 'date') kinds.set(field.name, 'date')
    else if ((field.type === 'relationship' || field.type === 'upload') && numericIds && typeof field.relationTo === 'string') kinds.set(field.name, 'id')
  }
  return kinds
}

export type BadQueryValue = { field: string; kind: ValueKind; operator: string; value: unknown }

/** The first value in `where` (any depth of and/or) that its field's column cannot hold, if any. */
export const findBadQueryValue = (where: undefined | Where, kinds: ReadonlyMap<string, ValueKind>): BadQueryValue | null => {
  if (!where || typeof where !== 'object') return null
  for (const [key, condition] of Object.entries(where)) {
    if ((key === 'and' || key === 'or') && Array.isArray(condition)) {
      for (const nested of condition) {
        const bad = findBadQueryValue(nested as Where, kinds)
        if (bad) return bad
      }
      continue
    }
    const kind = kinds.get(key)
    if (!kind || !condition || typeof condition !== 'object') continue
    for (const [operator, raw] of Object.entries(condition as Record<string, unknown>)) {
      if (!COMPARISONS.has(operator)) continue
      const values = Array.isArray(raw) ? raw : LISTS.has(operator) && typeof raw === 'string' ? raw.split(',') : [raw]
      const wrong = values.find((value) => !fits(kind, value))
      if (wrong !== undefined) return { field: key, kind, operator, value: wrong }
    }
  }
  return null
}

export const describeBadQueryValue = ({ field, kind, operator, value }: BadQueryValue): string =>
  `Invalid query value for '${field}' (${operator}): ${JSON.stringify(value)} is not ${WHAT[kind]}.`

/**
 * Refuses a query whose value cannot be compared with its column (a word for an id, a number or a
 * date) with a 400 naming it, before it reaches the database — where it would be a driver error
 * (PostgreSQL: invalid input syntax; SQLite: NaN or undefined parameters) and so a 500. Covers REST,
 * GraphQL and the local API, since they share the operations.
 */
export const withQueryValueCheck = (collection: CollectionConfig): CollectionConfig => {
  let kinds: Map<string, ValueKind> | undefined
  const check: CollectionBeforeOperationHook = ({ args, req }) => {
    const where = (args as { where?: Where }).where
    if (!where) return args
    // The sanitized config: it also holds the fields Payload adds (createdAt, updatedAt).
    kinds ??= queryValueKinds((req.payload.collections as Record<string, { config: CollectionConfig } | undefined>)[collection.slug]?.config.fields ?? collection.fields, req.payload.db.defaultIDType === 'number')
    const bad = findBadQueryValue(where, kinds)
    if (bad) throw new APIError(describeBadQueryValue(bad), 400, undefined, true)
    return args
  }
  return { ...collection, hooks: { ...collection.hooks, beforeOperation: [check, ...(collection.hooks?.beforeOperation ?? [])] } }
}
