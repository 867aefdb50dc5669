import type { FullField, FullOperator, OptionList, ValueEditorType } from 'react-querybuilder'

import type { FieldKind } from '../../domain/segments/fields.js'
import type { Operator } from '../../domain/segments/types.js'

import { fieldKindOf, OPERATORS_BY_KIND } from '../../domain/segments/fields.js'
import { FIELD_NAMES } from '../../domain/segments/types.js'

const LABELS: Record<(typeof FIELD_NAMES)[number], string> = {
  city: 'City',
  createdAt: 'Signed up',
  email: 'Email',
  inactiveDays: 'Inactive days',
  lastOrderAt: 'Last order',
  lastVisitAt: 'Last visit',
  marketingOptOut: 'Opted out of marketing',
  name: 'Name',
  orders: 'Orders',
  phone: 'Phone',
  spend: 'Total spend',
  tags: 'Tags',
  visits: 'Visits',
}

const OPERATOR_LABELS: Record<Operator, string> = {
  '!=': '≠',
  '<': '<',
  '<=': '≤',
  '=': '=',
  '>': '>',
  '>=': '≥',
  beforeDaysAgo: 'more than N days ago',
  beginsWith: 'begins with',
  between: 'between',
  contains: 'contains',
  endsWith: 'ends with',
  in: 'is one of',
  notIn: 'is none of',
  notNull: 'is set',
  null: 'is not set',
  withinDays: 'in the last N days',
}

const TAG_LABELS: Partial<Record<Operator, string>> = { contains: 'has the tag', in: 'has any of', notIn: 'has none of', notNull: 'has tags', null: 'has no tags' }

const operatorOption = (kind: FieldKind, name: Operator): FullOperator => ({
  ...(name === 'null' || name === 'notNull' ? { arity: 'unary' as const } : {}),
  label: (kind === 'tags' ? TAG_LABELS[name] : undefined) ?? OPERATOR_LABELS[name],
  name,
  value: name,
})

/** The builder's field list: the built-in fields, then `attributes.<key>` for each known key. */
export const builderFields = (attributeKeys: string[]): FullField[] => [
  ...FIELD_NAMES.map((name) => ({ label: LABELS[name], name, value: name })),
  ...attributeKeys.map((key) => ({ label: `Attribute: ${key}`, name: `attributes.${key}`, value: `attributes.${key}` })),
]

/** Operators a field accepts (the rule model's own list). */
export const operatorsFor = (field: string): OptionList<FullOperator> => {
  const kind = fieldKindOf(field)
  return kind ? OPERATORS_BY_KIND[kind].map((name) => operatorOption(kind, name)) : []
}

const DAY_OPERATORS = new Set(['beforeDaysAgo', 'withinDays'])

/** The HTML input type of a rule's value: numbers, dates, or whole days for the relative operators. */
export const inputTypeFor = (field: string, operator: string): string => {
  const kind = fieldKindOf(field)
  if (DAY_OPERATORS.has(operator)) return 'number'
  if (operator === 'in' || operator === 'notIn') return 'text'
  if (kind === 'number' || kind === 'inactiveDays') return 'number'
  if (kind === 'date') return 'date'
  return 'text'
}

export const valueEditorTypeFor = (field: string): ValueEditorType => (fieldKindOf(field) === 'boolean' ? 'select' : 'text')

export const BOOLEAN_VALUES = [
  { label: 'yes', name: 'true', value: 'true' },
  { label: 'no', name: 'false', value: 'false' },
]

/** A new rule's value: `true` for booleans, else empty (the validator asks for one). */
export const defaultValueFor = (field: string, operator: string): unknown => {
  if (fieldKindOf(field) === 'boolean') return true
  return operator === 'between' ? ['', ''] : ''
}

/** Fields whose values are suggested from the database (the pickers). */
export const suggestionSourceOf = (field: string): null | string => {
  if (field === 'city' || field === 'tags') return field
  return fieldKindOf(field) === 'attribute' ? field : null
}
