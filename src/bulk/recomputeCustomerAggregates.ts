import type { Payload, PayloadRequest } from 'payload'

import { sql } from 'drizzle-orm'

import { NON_COUNTING_ORDER_STATUSES, SLUGS } from '../collections/slugs.js'
import { runSql, sqlDialectOf } from './connection.js'

type Id = number | string

const excluded = sql.join(
  NON_COUNTING_ORDER_STATUSES.map((status) => sql`${status}`),
  sql`, `,
)

/**
 * Re-derives totalSpend (= baseSpend + counting orders), orderCount and lastOrderAt for the given
 * customers — or for all customers when `customerIds` is omitted — in one set-based statement.
 * Cancelled and refunded orders do not count.
 */
export const recomputeCustomerAggregates = async ({
  customerIds,
  payload,
  req,
}: {
  customerIds?: Id[]
  payload: Payload
  req?: Partial<PayloadRequest>
}): Promise<void> => {
  if (customerIds && customerIds.length === 0) return
  const dialect = sqlDialectOf(payload)
  if (dialect === null) return recomputeWithLocalApi({ customerIds: customerIds ?? [], payload, req })

  const ids = customerIds?.map((id) => Number(id)).filter((id) => Number.isInteger(id))
  if (dialect === 'postgres') {
    const filter = ids ? sql`AND cu.id = ANY(${`{${ids.join(',')}}`}::int[])` : sql``
    await runSql({
      payload,
      query: sql`
        UPDATE customers AS c
           SET total_spend = COALESCE(c.base_spend, 0) + agg.spend,
               order_count = agg.n,
               last_order_at = agg.last_at
          FROM (SELECT cu.id, COALESCE(SUM(o.amount), 0) AS spend, COUNT(o.id) AS n, MAX(o.ordered_at) AS last_at
                  FROM customers cu
                  LEFT JOIN orders o ON o.customer_id = cu.id AND o.status NOT IN (${excluded})
                 WHERE TRUE ${filter}
                 GROUP BY cu.id) AS agg
         WHERE c.id = agg.id
           AND (c.total_spend IS DISTINCT FROM COALESCE(c.base_spend, 0) + agg.spend
             OR c.order_count IS DISTINCT FROM agg.n
             OR c.last_order_at IS DISTINCT FROM agg.last_at)`,
      req,
    })
    return
  }
  const filter = ids ? sql`WHERE customers.id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})` : sql``
  await runSql({
    payload,
    query: sql`
      UPDATE customers
         SET total_spend = COALESCE(base_spend, 0) + COALESCE((SELECT SUM(o.amount) FROM orders o
               WHERE o.customer_id = customers.id AND o.status NOT IN (${excluded})), 0),
             order_count = (SELECT COUNT(*) FROM orders o WHERE o.customer_id = customers.id AND o.status NOT IN (${excluded})),
             last_order_at = (SELECT MAX(o.ordered_at) FROM orders o WHERE o.customer_id = customers.id AND o.status NOT IN (${excluded}))
      ${filter}`,
    req,
  })
}

/** MongoDB path (untested here): per customer through the Local API. */
const recomputeWithLocalApi = async ({ customerIds, payload, req }: { customerIds: Id[]; payload: Payload; req?: Partial<PayloadRequest> }) => {
  for (const id of customerIds) {
    const orders = await payload.find({
      collection: SLUGS.orders,
      depth: 0,
      limit: 0,
      overrideAccess: true,
      pagination: false,
      req,
      where: { and: [{ customer: { equals: id } }, { status: { not_in: [...NON_COUNTING_ORDER_STATUSES] } }] },
    })
    const customer = await payload.findByID({ collection: SLUGS.customers, depth: 0, id, overrideAccess: true, req })
    const spend = orders.docs.reduce((sum, order) => sum + Number(order.amount ?? 0), 0)
    const last = orders.docs.map((order) => String(order.orderedAt)).sort().at(-1) ?? null
    await payload.update({
      collection: SLUGS.customers,
      data: { lastOrderAt: last, orderCount: orders.docs.length, totalSpend: Number(customer.baseSpend ?? 0) + spend },
      id,
      overrideAccess: true,
      req,
    })
  }
}
