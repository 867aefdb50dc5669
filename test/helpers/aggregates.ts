import type { Payload } from 'payload'

import { NON_COUNTING_ORDER_STATUSES } from '../../src/constants.js'

export type Aggregates = { lastOrderAt: null | string; orderCount: number; totalSpend: number }

const cents = (value: number) => Math.round(value * 100) / 100
const NOT_COUNTING = new Set<string>(NON_COUNTING_ORDER_STATUSES)

/**
 * Every customer's aggregates as stored, and as derived from scratch in JavaScript from the orders
 * read through Payload (baseSpend + counting orders, their count, the latest orderedAt). Amounts
 * are compared to the cent, since SQL and JavaScript may add in a different order.
 */
export const aggregatesFromScratch = async (
  payload: Payload,
): Promise<{ expected: Map<number | string, Aggregates>; stored: Map<number | string, Aggregates> }> => {
  const all = { depth: 0, limit: 0, overrideAccess: true, pagination: false } as const
  const customers = (await payload.find({ ...all, collection: 'customers' })).docs
  const orders = (await payload.find({ ...all, collection: 'orders' })).docs
  const expected = new Map<number | string, Aggregates>()
  const stored = new Map<number | string, Aggregates>()
  for (const customer of customers) {
    expected.set(customer.id, { lastOrderAt: null, orderCount: 0, totalSpend: Number(customer.baseSpend ?? 0) })
    stored.set(customer.id, {
      lastOrderAt: customer.lastOrderAt ?? null,
      orderCount: Number(customer.orderCount ?? 0),
      totalSpend: cents(Number(customer.totalSpend ?? 0)),
    })
  }
  for (const order of orders) {
    if (NOT_COUNTING.has(order.status)) continue
    const owner = expected.get(typeof order.customer === 'object' ? order.customer.id : order.customer)!
    owner.totalSpend += Number(order.amount)
    owner.orderCount += 1
    if (owner.lastOrderAt === null || order.orderedAt > owner.lastOrderAt) owner.lastOrderAt = order.orderedAt
  }
  for (const value of expected.values()) value.totalSpend = cents(value.totalSpend)
  return { expected, stored }
}

/** The customers (all, or those of `ids`) whose stored aggregates differ from a from-scratch derivation, with both values. */
export const staleAggregates = async (payload: Payload, ids?: readonly (number | string)[]) => {
  const { expected, stored } = await aggregatesFromScratch(payload)
  const only = ids && new Set(ids)
  return [...expected].flatMap(([id, want]) => {
    if (only && !only.has(id)) return []
    const have = stored.get(id)!
    return JSON.stringify(have) === JSON.stringify(want) ? [] : [{ have, id, want }]
  })
}
