import type { BulkTables } from '../tables.js'

import { NON_COUNTING_ORDER_STATUSES } from '../../constants.js'

const EXCLUDED = NON_COUNTING_ORDER_STATUSES.map((status) => `'${status}'`).join(', ')

/** The customer ids of the JSON array parameter `?1`. */
export const IDS_FROM_JSON_PARAM = 'SELECT value FROM json_each(?1)'

/**
 * SQLite: totalSpend = baseSpend + counting orders, orderCount, lastOrderAt for the customers whose
 * ids the query `idsSql` selects (or all when it is null), touching only rows whose values change.
 * The inputs are `MATERIALIZED` so SQLite aggregates once instead of re-running per customer
 * (RECIPES.md). One statement, so it is atomic; the bulk upserts put it in their own batch.
 */
export const recomputeAggregatesSqliteSql = (
  idsSql: null | string,
  t: Pick<BulkTables, 'customers' | 'orders'> = { customers: 'customers', orders: 'orders' },
): string => {
  const onlyOrders = idsSql ? `AND o.customer_id IN (${idsSql})` : ''
  const onlyCustomers = idsSql ? `WHERE cu.id IN (${idsSql})` : ''
  return `
    WITH agg AS MATERIALIZED (
      SELECT o.customer_id AS id, SUM(o.amount) AS spend, COUNT(*) AS n, MAX(o.ordered_at) AS last_at
        FROM ${t.orders} AS o
       WHERE o.status NOT IN (${EXCLUDED}) ${onlyOrders}
       GROUP BY o.customer_id
    ), target AS MATERIALIZED (
      SELECT cu.id AS id, COALESCE(cu.base_spend, 0) + COALESCE(agg.spend, 0) AS total, COALESCE(agg.n, 0) AS n,
             agg.last_at AS last_at
        FROM ${t.customers} AS cu LEFT JOIN agg ON agg.id = cu.id
       ${onlyCustomers}
    )
    UPDATE ${t.customers}
       SET total_spend = target.total, order_count = target.n, last_order_at = target.last_at
      FROM target
     WHERE ${t.customers}.id = target.id
       AND (${t.customers}.total_spend IS NOT target.total OR ${t.customers}.order_count IS NOT target.n
            OR ${t.customers}.last_order_at IS NOT target.last_at)`
}
