import type { CollectionAfterChangeHook, CollectionAfterDeleteHook } from 'payload'

import { recomputeCustomerAggregates } from '../../../bulk/index.js'

const customerIdOf = (value: unknown): null | number | string => {
  if (value === null || value === undefined) return null
  if (typeof value === 'number' || typeof value === 'string') return value
  if (typeof value === 'object' && 'id' in value) return (value as { id: number | string }).id
  return null
}

/**
 * Single-order changes through Payload (admin, REST) re-derive the affected customers' aggregates
 * with one set-based statement; bulk imports recompute in bulk instead and skip these hooks.
 */
export const recomputeCustomerAfterChange: CollectionAfterChangeHook = async ({ doc, previousDoc, req }) => {
  const ids = new Set([customerIdOf(doc.customer), customerIdOf(previousDoc?.customer)].filter((id) => id !== null))
  if (ids.size > 0) await recomputeCustomerAggregates({ customerIds: [...ids], payload: req.payload, req })
  return doc
}

export const recomputeCustomerAfterDelete: CollectionAfterDeleteHook = async ({ doc, req }) => {
  const id = customerIdOf(doc.customer)
  if (id !== null) await recomputeCustomerAggregates({ customerIds: [id], payload: req.payload, req })
  return doc
}
