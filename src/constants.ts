/**
 * Constants shared by the collections, the bulk data layer and the rest of the plugin. A leaf module
 * (no imports), so `src/collections` and `src/bulk` both depend on it and never on each other.
 */

/** Collection slugs are part of the external contract (REST at /api/<slug>). */
export const SLUGS = {
  campaigns: 'campaigns',
  communicationLogs: 'communication-logs',
  customers: 'customers',
  orders: 'orders',
  segments: 'segments',
  users: 'users',
} as const

export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'] as const
/** Orders in these states do not count towards totalSpend/orderCount/lastOrderAt. */
export const NON_COUNTING_ORDER_STATUSES = ['cancelled', 'refunded'] as const

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled', 'failed'] as const
export const LOG_STATUSES = ['pending', 'sent', 'failed', 'delivered'] as const
