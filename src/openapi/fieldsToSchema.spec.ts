import type { Field } from 'payload'

import type { FieldSchemaContext } from './fieldsToSchema.js'

import { denyFieldWrite } from '../access/denyAll.js'
import { isAdminField } from '../access/isAdmin.js'
import { objectSchema } from './fieldsToSchema.js'

const context = (mode: FieldSchemaContext['mode']): FieldSchemaContext => ({
  mode,
  refForCollection: (slug) => (slug === 'customers' ? { $ref: '#/components/schemas/Customer' } : undefined),
})

const properties = (fields: Field[], mode: FieldSchemaContext['mode']): Record<string, Record<string, unknown>> =>
  objectSchema(fields, context(mode)).properties as Record<string, Record<string, unknown>>

describe('objectSchema (Payload fields → JSON Schema)', () => {
  it('should map scalar field types', () => {
    const fields: Field[] = [
      { name: 'title', type: 'text', required: true },
      { name: 'notes', type: 'textarea' },
      { name: 'email', type: 'email', required: true },
      { name: 'visits', type: 'number', min: 0, required: true },
      { name: 'optOut', type: 'checkbox', required: true },
      { name: 'at', type: 'date', required: true },
      { name: 'extra', type: 'json', required: true },
    ]
    expect(properties(fields, 'read')).toEqual({
      at: { format: 'date-time', type: 'string' },
      email: { format: 'email', type: 'string' },
      extra: {},
      notes: { type: ['string', 'null'] },
      optOut: { type: 'boolean' },
      title: { type: 'string' },
      visits: { minimum: 0, type: 'number' },
    })
  })

  it('should map select (single and hasMany) and text hasMany', () => {
    const fields: Field[] = [
      { name: 'status', type: 'select', options: ['draft', { label: 'Sent', value: 'sent' }], required: true },
      { name: 'roles', type: 'select', hasMany: true, options: ['admin', 'viewer'], required: true },
      { name: 'tags', type: 'text', hasMany: true, required: true },
    ]
    expect(properties(fields, 'read')).toEqual({
      roles: { items: { enum: ['admin', 'viewer'], type: 'string' }, type: 'array' },
      status: { enum: ['draft', 'sent'], type: 'string' },
      tags: { items: { type: 'string' }, type: 'array' },
    })
  })

  it('should map relationships to ids on write and id-or-document on read', () => {
    const fields: Field[] = [
      { name: 'customer', type: 'relationship', relationTo: 'customers', required: true },
      { name: 'customers', type: 'relationship', hasMany: true, relationTo: 'customers', required: true },
    ]
    const read = properties(fields, 'read')
    expect(read.customer).toMatchObject({ anyOf: [{ type: ['integer', 'string'] }, { $ref: '#/components/schemas/Customer' }] })
    expect(read.customers).toMatchObject({ items: { anyOf: [{ type: ['integer', 'string'] }, { $ref: '#/components/schemas/Customer' }] }, type: 'array' })
    const create = properties(fields, 'create')
    expect(create.customer).toMatchObject({ type: ['integer', 'string'] })
    expect(create.customers).toMatchObject({ items: { type: ['integer', 'string'] }, type: 'array' })
  })

  it('should map a group to an object of its fields and flatten layout fields', () => {
    const fields: Field[] = [
      { name: 'stats', type: 'group', fields: [{ name: 'sent', type: 'number', required: true }] },
      { type: 'row', fields: [{ name: 'city', type: 'text' }] },
      { type: 'collapsible', label: 'More', fields: [{ name: 'phone', type: 'text' }] },
    ]
    const read = properties(fields, 'read')
    expect(read.stats).toMatchObject({ properties: { sent: { type: 'number' } }, required: ['sent'] })
    expect(Object.keys(read)).toEqual(['stats', 'city', 'phone'])
  })

  it('should mark fields nobody may write as readOnly and leave them out of write schemas', () => {
    const fields: Field[] = [
      { name: 'totalSpend', type: 'number', access: { create: denyFieldWrite, update: denyFieldWrite } },
      { name: 'status', type: 'text', admin: { readOnly: true } },
      // Writable by admins: access that depends on the caller must not count as read-only.
      { name: 'roles', type: 'select', access: { create: isAdminField, update: isAdminField }, hasMany: true, options: ['admin'] },
      { name: 'secret', type: 'text', hidden: true },
    ]
    const read = properties(fields, 'read')
    expect(read.totalSpend).toMatchObject({ readOnly: true })
    expect(read.status).toMatchObject({ readOnly: true })
    expect(read.roles).not.toHaveProperty('readOnly')
    expect(read).not.toHaveProperty('secret')
    expect(Object.keys(properties(fields, 'create'))).toEqual(['roles'])
    expect(Object.keys(properties(fields, 'update'))).toEqual(['roles'])
  })

  it('should require fields on create only when they are required and have no default', () => {
    const fields: Field[] = [
      { name: 'email', type: 'email', required: true },
      { name: 'currency', type: 'text', defaultValue: 'INR', required: true },
      { name: 'city', type: 'text' },
    ]
    expect(objectSchema(fields, context('create')).required).toEqual(['email'])
    expect(objectSchema(fields, context('update'))).not.toHaveProperty('required')
    expect(objectSchema(fields, context('read')).required).toEqual(['email', 'currency'])
    expect(properties(fields, 'create').currency).toMatchObject({ default: 'INR' })
  })
})
