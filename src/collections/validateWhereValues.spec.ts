import type { Field } from 'payload'

import { describe, expect, it } from '@jest/globals'

import { describeBadQueryValue, findBadQueryValue, queryValueKinds } from './validateWhereValues.js'

const fields: Field[] = [
  { name: 'amount', type: 'number' },
  { name: 'orderedAt', type: 'date' },
  { name: 'customer', type: 'relationship', relationTo: 'customers' },
  { name: 'either', type: 'relationship', relationTo: ['customers', 'orders'] },
  { name: 'note', type: 'text' },
]

describe('query value check', () => {
  const numeric = queryValueKinds(fields, true)

  it('should know which fields refuse which values, ids only where ids are numbers', () => {
    expect(Object.fromEntries(numeric)).toEqual({ amount: 'number', customer: 'id', id: 'id', orderedAt: 'date' })
    expect(Object.fromEntries(queryValueKinds(fields, false))).toEqual({ amount: 'number', orderedAt: 'date' })
  })

  it.each([
    [{ customer: { equals: 'abc' } }, { field: 'customer', operator: 'equals', value: 'abc' }],
    [{ customer: { in: '1,abc' } }, { field: 'customer', operator: 'in', value: 'abc' }],
    [{ id: { not_in: [1, '2x'] } }, { field: 'id', operator: 'not_in', value: '2x' }],
    [{ amount: { greater_than: 'lots' } }, { field: 'amount', operator: 'greater_than', value: 'lots' }],
    [{ orderedAt: { less_than: 'soon' } }, { field: 'orderedAt', operator: 'less_than', value: 'soon' }],
    [{ or: [{ note: { equals: 'x' } }, { and: [{ amount: { equals: '1e' } }] }] }, { field: 'amount', operator: 'equals', value: '1e' }],
  ])('should find the bad value in %j', (where, expected) => {
    expect(findBadQueryValue(where as never, numeric)).toMatchObject(expected)
  })

  it.each([
    [{ customer: { equals: '12' } }],
    [{ customer: { in: '1,2,3' } }],
    [{ customer: { exists: 'true' } }],
    [{ amount: { greater_than: '10.5' } }],
    [{ orderedAt: { greater_than: '2026-01-31' } }],
    [{ note: { equals: 'anything' } }],
    [{ either: { equals: 'abc' } }],
    [{ amount: { equals: null } }],
    [{ 'customer.email': { equals: 'a@b.c' } }],
  ])('should let %j through', (where) => {
    expect(findBadQueryValue(where as never, numeric)).toBeNull()
  })

  it('should name the field, operator, value and what was expected', () => {
    expect(describeBadQueryValue({ field: 'customer', kind: 'id', operator: 'equals', value: 'abc' })).toBe(
      `Invalid query value for 'customer' (equals): "abc" is not a document id (a whole number).`,
    )
  })
})
