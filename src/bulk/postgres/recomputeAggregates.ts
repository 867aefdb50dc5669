import type { PgClientLike } from '../connection.js'

import { NON_COUNTING_ORDER_STATUSES } from '../../constants.js'
import { lockCustomerRows, lockCustomersTable } from './locks.js'

const EXCLUDED = NON_COUNTING_ORDER_STATUSES.map((status) => `'${status}'`).join(', ')

/** Every customer: aggregate all counting orders once (hash aggregate), then left-join the customers. */
const FOR_ALL = (p: string) => `
  SELECT cu.id, COALESCE(cu.base_spend, 0) + COALESCE(agg.spend, 0) AS total, COALESCE(agg.n, 0) AS n, agg.last_at
    FROM ${p}customers AS cu
    LEFT JOIN (SELECT o.customer_id AS id, SUM(o.amount) AS spend, COUNT(*) AS n, MAX(o.ordered_at) AS last_at
                 FROM ${p}orders AS o WHERE o.status::text NOT IN (${EXCLUDED}) GROUP BY o.customer_id) AS agg ON agg.id = cu.id`

/**
 * The customers `$1`: one index range on orders.customer_id per customer (LATERAL), so the cost
 * follows the number of ids and does not depend on the join methods the planner may use (the bulk
 * upserts turn hash joins off, and a nested loop over two 5,000-row sets was quadratic).
 */
const FOR_IDS = (p: string) => `
  SELECT cu.id, COALESCE(cu.base_spend, 0) + COALESCE(agg.spend, 0) AS total, agg.n, agg.last_at
    FROM ${p}customers AS cu
    CROSS JOIN LATERAL (SELECT SUM(o.amount) AS spend, COUNT(*) AS n, MAX(o.ordered_at) AS last_at
                          FROM ${p}orders AS o WHERE o.customer_id = cu.id AND o.status::text NOT IN (${EXCLUDED})) AS agg
   WHERE cu.id = ANY($1::int[])`

/**
 * PostgreSQL: totalSpend = baseSpend + counting orders, orderCount, lastOrderAt for `ids` (or
 * every customer when null), in one statement that touches only rows whose values change.
 *
 * The customers are locked first (rows in id order, or the table for all of them; see locks.ts), and
 * only then is the statement run: under READ COMMITTED its snapshot is taken after the lock, so it
 * sees the orders and baseSpend of every transaction that held those rows. Without the lock, two
 * writers of the same customer each derive from a snapshot without the other's orders, and the
 * second to commit overwrites the first with a stale total.
 */
export const recomputeAggregatesPostgres = async ({
  client,
  ids,
  schemaPrefix = '',
}: {
  client: PgClientLike
  ids: null | number[]
  schemaPrefix?: string
}): Promise<number> => {
  const p = schemaPrefix
  if (ids) await lockCustomerRows({ client, ids, schemaPrefix: p })
  else await lockCustomersTable({ client, schemaPrefix: p })
  const result = await client.query(
    `WITH target AS (${ids ? FOR_IDS(p) : FOR_ALL(p)})
     UPDATE ${p}customers AS c
        SET total_spend = t.total, order_count = t.n, last_order_at = t.last_at
       FROM target AS t
      WHERE c.id = t.id
        AND (c.total_spend IS DISTINCT FROM t.total OR c.order_count IS DISTINCT FROM t.n OR c.last_order_at IS DISTINCT FROM t.last_at)`,
    ids ? [ids] : [],
  )
  return result.rowCount ?? 0
}
