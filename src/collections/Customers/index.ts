import type { CollectionConfig } from 'payload'

import type { SanitizedCrmOptions } from '../../types.js'

import { crmCollectionAccess } from '../../access/crmCollectionAccess.js'
import { denyFieldWrite } from '../../access/denyAll.js'
import { normaliseEmail } from '../../domain/validation/index.js'
import { DEFAULT_OPTIONS } from '../../defaults.js'
import { readDateInStoreZone, validateEmail, validateIsoDate, validateNonNegative, validateNonNegativeInteger } from '../fieldValidators.js'
import { SLUGS } from '../slugs.js'
import { deriveTotalSpend } from './hooks/deriveTotalSpend.js'
import { eraseCustomerDependants } from './hooks/eraseCustomerDependants.js'

/**
 * Customers. `totalSpend`, `orderCount` and `lastOrderAt` are derived from orders (plus `baseSpend`
 * from a customer CSV) and are written only by the system: see `src/bulk/` and the Orders hooks.
 * Every field a segment filters on by range or equality is indexed (spend, visits, orders, dates,
 * city, tags); see the comments below for the deliberate exceptions. Deleting a customer erases its
 * orders and takes it out of campaign logs (see `eraseCustomers`); bulk deletes are set-based.
 */
export const createCustomersCollection = ({ storeTimezone }: Pick<SanitizedCrmOptions, 'storeTimezone'> = DEFAULT_OPTIONS): CollectionConfig => ({
  slug: SLUGS.customers,
  access: crmCollectionAccess,
  admin: {
    defaultColumns: ['email', 'name', 'city', 'totalSpend', 'orderCount', 'lastOrderAt'],
    description: 'People you sell to. Import them from CSV or the ingest API; spend and order counts follow their orders.',
    group: 'CRM',
    listSearchableFields: ['email', 'name', 'phone', 'city'],
    useAsTitle: 'email',
  },
  defaultSort: '-createdAt',
  fields: [
    {
      name: 'email',
      type: 'email',
      hooks: { beforeValidate: [({ value }) => (typeof value === 'string' ? normaliseEmail(value) : value)] },
      index: true,
      required: true,
      unique: true,
      validate: validateEmail,
    },
    // name/phone are matched case-insensitively (contains/begins with): a plain btree index would not
    // serve those queries but would slow every bulk load, so they have none.
    { name: 'name', type: 'text' },
    { name: 'phone', type: 'text' },
    { name: 'city', type: 'text', index: true },
    {
      name: 'tags',
      type: 'text',
      admin: { description: 'Free labels such as "vip" or "churned".' },
      hasMany: true,
      index: true,
    },
    {
      name: 'visits',
      type: 'number',
      defaultValue: 0,
      index: true,
      min: 0,
      validate: validateNonNegativeInteger('Visits'),
    },
    {
      name: 'baseSpend',
      type: 'number',
      admin: { description: 'Spend carried over from an imported file; orders add to it.' },
      defaultValue: 0,
      min: 0,
      validate: validateNonNegative('Base spend'),
    },
    {
      name: 'totalSpend',
      type: 'number',
      access: { create: denyFieldWrite, update: denyFieldWrite },
      admin: { description: 'Base spend + non-cancelled, non-refunded orders (derived).', readOnly: true },
      defaultValue: 0,
      index: true,
    },
    {
      name: 'orderCount',
      type: 'number',
      access: { create: denyFieldWrite, update: denyFieldWrite },
      admin: { readOnly: true },
      defaultValue: 0,
      index: true,
    },
    {
      name: 'lastOrderAt',
      type: 'date',
      access: { create: denyFieldWrite, update: denyFieldWrite },
      admin: { readOnly: true },
      index: true,
    },
    {
      name: 'lastVisitAt',
      type: 'date',
      hooks: { beforeValidate: [readDateInStoreZone(storeTimezone)] },
      index: true,
      validate: validateIsoDate('Last visit'),
    },
    // A two-valued column: an index would not be selective enough to be used.
    { name: 'marketingOptOut', type: 'checkbox', defaultValue: false },
    {
      name: 'attributes',
      type: 'json',
      admin: { description: 'Extra columns from imported files, keyed by header in camelCase.' },
    },
  ],
  hooks: {
    afterChange: [deriveTotalSpend],
    beforeDelete: [eraseCustomerDependants],
  },
  timestamps: true,
})
