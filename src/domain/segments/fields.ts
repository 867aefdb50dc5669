import type { BuiltinField, FieldName, Operator } from './types.js'

/** How a field is stored and compared. */
export type FieldKind = 'attribute' | 'boolean' | 'date' | 'inactiveDays' | 'number' | 'tags' | 'text'

const KIND: Record<BuiltinField, FieldKind> = {
  city: 'text',
  createdAt: 'date',
  email: 'text',
  inactiveDays: 'inactiveDays',
  lastOrderAt: 'date',
  lastVisitAt: 'date',
  marketingOptOut: 'boolean',
  name: 'text',
  orders: 'number',
  phone: 'text',
  spend: 'number',
  tags: 'tags',
  visits: 'number',
}

const ORDERING: Operator[] = ['=', '!=', '>', '>=', '<', '<=', 'between']
const PRESENCE: Operator[] = ['null', 'notNull']

/** Operators each kind of field accepts; anything else is an error naming the allowed ones. */
export const OPERATORS_BY_KIND: Record<FieldKind, readonly Operator[]> = {
  attribute: [...ORDERING, 'in', 'notIn', 'contains', 'beginsWith', 'endsWith', ...PRESENCE],
  boolean: ['=', '!=', ...PRESENCE],
  date: [...ORDERING, 'withinDays', 'beforeDaysAgo', ...PRESENCE],
  inactiveDays: [...ORDERING, 'in', 'notIn'],
  number: [...ORDERING, 'in', 'notIn', ...PRESENCE],
  tags: ['contains', 'in', 'notIn', ...PRESENCE],
  text: ['=', '!=', 'in', 'notIn', 'contains', 'beginsWith', 'endsWith', ...PRESENCE],
}

/** `attributes.<key>`: the key as written in a CSV header turned camelCase (letters, digits, `_`). */
export const ATTRIBUTE_KEY_RE = /^[A-Za-z0-9_]{1,64}$/

/** The attribute key of `attributes.<key>`, or null for any other field name. */
export const attributeKeyOf = (field: string): null | string => {
  if (!field.startsWith('attributes.')) return null
  const key = field.slice('attributes.'.length)
  return ATTRIBUTE_KEY_RE.test(key) ? key : null
}

/** The kind of a field name, or null when no such field exists. */
export const fieldKindOf = (field: string): FieldKind | null => {
  if (Object.prototype.hasOwnProperty.call(KIND, field)) return KIND[field as BuiltinField]
  return attributeKeyOf(field) === null ? null : 'attribute'
}

/** Canonical spelling of a field name typed in any case (`LASTORDERAT` → `lastOrderAt`); attribute keys keep theirs. */
export const canonicalFieldName = (typed: string): FieldName | null => {
  const lower = typed.toLowerCase()
  if (lower.startsWith('attributes.')) {
    const field = `attributes.${typed.slice('attributes.'.length)}` as FieldName
    return attributeKeyOf(field) === null ? null : field
  }
  const found = (Object.keys(KIND) as BuiltinField[]).find((name) => name.toLowerCase() === lower)
  return found ?? null
}
