import { NON_COUNTING_ORDER_STATUSES } from '../../constants.js'

const EXCLUDED = NON_COUNTING_ORDER_STATUSES.map((status) => `'${status}'`).join(', ')

/**
 * SQLite: totalSpend = baseSpend + counting orders, orderCount, lastOrderAt for the customers in
 * the JSON array `?1` (or all when `ids` is false), touching only rows whose values change. The
 * inputs are `MATERIALIZED` so SQLite aggregates once instead of re-running per customer (RECIPES.md).
 */
export const recomputeAggregatesSqliteSql = (hasIds: boolean): string => {
  const onlyOrders = hasIds ? 'AND o.customer_id IN (SELECT value FROM json_each(?1))' : ''
  const onlyCustomers = hasIds ? 'WHERE cu.id IN (SELECT value FROM json_each(?1))' : ''
  return `
    WITH agg AS MATERIALIZED (
      SELECT o.customer_id AS id, SUM(o.amount) AS spend, COUNT(*) AS n, MAX(o.ordered_at) AS last_at
        FROM orders AS o
       WHERE o.status NOT IN (${EXCLUDED}) ${onlyOrders}
       GROUP BY o.customer_id
    ), target AS MATERIALIZED (
      SELECT cu.id AS id, COALESCE(cu.base_spend, 0) + COALESCE(agg.spend, 0) AS total, COALESCE(agg.n, 0) AS n,
             agg.last_at AS last_at
        FROM customers AS cu LEFT JOIN agg ON agg.id = cu.id
       ${onlyCustomers}
    )
    UPDATE customers
       SET total_spend = target.total, order_count = target.n, last_order_at = target.last_at
      FROM target
     WHERE customers.id = target.id
       AND (customers.total_spend IS NOT target.total OR customers.order_count IS NOT target.n
            OR customers.last_order_at IS NOT target.last_at)`
}
