import type { CollectionConfig } from 'payload'

import type { SanitizedCrmOptions } from '../../types.js'

import { crmCollectionAccess } from '../../access/crmCollectionAccess.js'
import { CURRENCY_RE } from '../../domain/validation/index.js'
import { DEFAULT_OPTIONS } from '../../defaults.js'
import { readDateInStoreZone, validateIsoDate, validateNonNegative } from '../fieldValidators.js'
import { ORDER_STATUSES, SLUGS } from '../slugs.js'
import { recomputeCustomerAfterChange, recomputeCustomerAfterDelete } from './hooks/recomputeCustomer.js'

/** Orders belong to a customer; every change re-derives that customer's spend, count and last order date. */
export const createOrdersCollection = ({
  storeCurrency,
  storeTimezone,
}: Pick<SanitizedCrmOptions, 'storeCurrency' | 'storeTimezone'> = DEFAULT_OPTIONS): CollectionConfig => ({
  slug: SLUGS.orders,
  access: crmCollectionAccess,
  admin: {
    defaultColumns: ['externalId', 'customer', 'amount', 'currency', 'status', 'orderedAt'],
    group: 'CRM',
    useAsTitle: 'externalId',
  },
  defaultSort: '-orderedAt',
  fields: [
    { name: 'externalId', type: 'text', index: true, required: true, unique: true },
    { name: 'customer', type: 'relationship', index: true, relationTo: SLUGS.customers, required: true },
    { name: 'amount', type: 'number', min: 0, required: true, validate: validateNonNegative('Amount') },
    {
      name: 'currency',
      type: 'text',
      defaultValue: storeCurrency,
      hooks: { beforeValidate: [({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value)] },
      validate: (value: unknown) =>
        value === null || value === undefined || (typeof value === 'string' && CURRENCY_RE.test(value))
          ? true
          : 'Currency must be a three-letter ISO 4217 code such as INR',
    },
    {
      name: 'orderedAt',
      type: 'date',
      hooks: { beforeValidate: [readDateInStoreZone(storeTimezone)] },
      index: true,
      required: true,
      validate: validateIsoDate('Order date'),
    },
    {
      name: 'status',
      type: 'select',
      defaultValue: 'placed',
      index: true,
      options: ORDER_STATUSES.map((status) => ({ label: status[0]!.toUpperCase() + status.slice(1), value: status })),
      required: true,
    },
    {
      name: 'attributes',
      type: 'json',
      admin: { description: 'Extra columns from imported files, keyed by header in camelCase.' },
    },
  ],
  hooks: {
    afterChange: [recomputeCustomerAfterChange],
    afterDelete: [recomputeCustomerAfterDelete],
  },
})
