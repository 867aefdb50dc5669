import type { CollectionAfterChangeHook } from 'payload'

import { recomputeCustomerAggregates } from '../../../bulk/index.js'
import { SLUGS } from '../../slugs.js'

/**
 * Keeps `totalSpend = baseSpend + counting orders` true for single-document writes (REST, GraphQL,
 * the admin, the Local API): on create, and whenever `baseSpend` changes, the customer's aggregates
 * are re-derived by the same set-based statement orders use, and the returned document carries the
 * fresh figures. Bulk imports keep the sum in their own SQL and skip this hook.
 */
export const deriveTotalSpend: CollectionAfterChangeHook = async ({ doc, operation, previousDoc, req }) => {
  if (operation !== 'create' && Number(previousDoc?.baseSpend ?? 0) === Number(doc.baseSpend ?? 0)) return doc
  await recomputeCustomerAggregates({ customerIds: [doc.id], payload: req.payload, req })
  const fresh = await req.payload.db.findOne<{ id: number | string; lastOrderAt?: null | string; orderCount?: number; totalSpend?: number }>({
    collection: SLUGS.customers,
    req,
    select: { lastOrderAt: true, orderCount: true, totalSpend: true },
    where: { id: { equals: doc.id } },
  })
  if (!fresh) return doc
  return { ...doc, lastOrderAt: fresh.lastOrderAt ?? null, orderCount: fresh.orderCount ?? 0, totalSpend: fresh.totalSpend ?? 0 }
}
