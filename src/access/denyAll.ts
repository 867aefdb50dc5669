import type { FieldAccess } from 'payload'

/**
 * For derived fields (totalSpend, orderCount, lastOrderAt, campaign stats…): nobody writes them through
 * the API or admin; the system writes them with `overrideAccess` or through the bulk layer.
 */
export const denyFieldWrite: FieldAccess = () => false
