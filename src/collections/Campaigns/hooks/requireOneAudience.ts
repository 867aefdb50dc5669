import type { CollectionBeforeChangeHook } from 'payload'

import { ValidationError } from 'payload'

const hasValue = (value: unknown): boolean => (Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined && value !== '')

/**
 * A campaign has at most one audience: a segment or hand-picked customers, not both (400 naming
 * `customers`). Having none is allowed while drafting; `send` refuses it (409).
 */
export const requireOneAudience: CollectionBeforeChangeHook = ({ collection, data, originalDoc }) => {
  const segment = 'segment' in data ? data.segment : originalDoc?.segment
  const customers = 'customers' in data ? data.customers : originalDoc?.customers
  if (hasValue(segment) && hasValue(customers)) {
    throw new ValidationError({
      collection: collection.slug,
      errors: [{ message: 'A campaign has exactly one audience: choose a segment or pick customers, not both.', path: 'customers' }],
    })
  }
  return data
}
