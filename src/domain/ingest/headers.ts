import type { CustomerField, ImportKind, OrderField } from './types.js'

/** A header as the importer compares it: lower-case, without spaces, hyphens and underscores. */
export const normaliseHeader = (header: string): string => header.toLowerCase().replace(/[\s_-]+/g, '')

/** `Loyalty Tier` → `loyaltyTier`: the `attributes` key of an extra column. */
export const toCamelCase = (header: string): string => {
  const words = header
    .trim()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
  if (words.length === 0) return header.trim()
  return words.map((word, i) => (i === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1))).join('')
}

const table = <TField extends string>(entries: Record<TField, string[]>): Map<string, TField> => {
  const out = new Map<string, TField>()
  for (const [field, headers] of Object.entries(entries) as [TField, string[]][]) for (const header of headers) out.set(normaliseHeader(header), field)
  return out
}

/** Accepted headers per customer field (CONTRACT: Ingestion), plus `last visit at` for the stored field. */
export const CUSTOMER_HEADERS = table<CustomerField>({
  baseSpend: ['total spend', 'spend', 'lifetime value'],
  city: ['city', 'town'],
  createdAt: ['signup date', 'created at', 'joined'],
  email: ['email', 'e-mail', 'email address', 'customer email'],
  lastVisitAt: ['last visit at', 'last visit'],
  marketingOptOut: ['marketing opt out', 'opt out', 'unsubscribed'],
  name: ['name', 'full name', 'customer name'],
  phone: ['phone', 'mobile', 'phone number'],
  tags: ['tags', 'labels'],
  visits: ['visits', 'total visits', 'visit count'],
})

/** Accepted headers per order field. */
export const ORDER_HEADERS = table<OrderField>({
  amount: ['amount', 'total', 'order amount'],
  currency: ['currency'],
  customerEmail: ['customer email', 'email'],
  externalId: ['order id', 'order number', 'external id', 'id'],
  orderedAt: ['ordered at', 'order date', 'date'],
  status: ['status'],
})

/**
 * Headers our export writes for derived or system values; the importer knows them and skips them,
 * so export → import changes nothing.
 */
export const SKIPPED_HEADERS: Record<ImportKind, Set<string>> = {
  customers: new Set(['id', 'derivedtotalspend', 'ordercount', 'lastorderat', 'updatedat'].map(normaliseHeader)),
  orders: new Set(['customerid', 'createdat', 'updatedat'].map(normaliseHeader)),
}

/** The header of a column holding a whole `attributes` JSON object (what our export writes). */
export const ATTRIBUTES_HEADER = 'attributes'
