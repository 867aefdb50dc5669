import type { Payload, PayloadRequest } from 'payload'

import { sql } from 'drizzle-orm'

import { NON_COUNTING_ORDER_STATUSES, SLUGS } from '../constants.js'
import { pgSchemaPrefix, runSql, sqlDialectOf, withPgTransaction } from './connection.js'
import { recomputeAggregatesPostgres } from './postgres/recomputeAggregates.js'
import { IDS_FROM_JSON_PARAM, recomputeAggregatesSqliteSql } from './sqlite/recomputeAggregates.js'

type Id = number | string

/**
 * Re-derives totalSpend (= baseSpend + counting orders), orderCount and lastOrderAt for the given
 * customers — or for all customers when `customerIds` is omitted — in one set-based statement that
 * writes only the rows whose values change. Cancelled and refunded orders do not count. Runs in
 * the request's transaction when it has one.
 */
export const recomputeCustomerAggregates = async ({
  customerIds,
  payload,
  req,
}: {
  customerIds?: readonly Id[]
  payload: Payload
  req?: Partial<PayloadRequest>
}): Promise<void> => {
  if (customerIds && customerIds.length === 0) return
  const dialect = sqlDialectOf(payload)
  if (dialect === null) return recomputeWithLocalApi({ customerIds: customerIds ?? [], payload, req })

  const ids = customerIds ? [...new Set(customerIds.map(Number).filter(Number.isInteger))] : null
  if (dialect === 'postgres') {
    await withPgTransaction({ payload, req }, (client) =>
      recomputeAggregatesPostgres({ client, ids, schemaPrefix: pgSchemaPrefix(payload) }),
    )
    return
  }
  // Through drizzle (not the raw client) so a request transaction, if configured, is honoured.
  const parts = recomputeAggregatesSqliteSql(ids === null ? null : IDS_FROM_JSON_PARAM).split('?1')
  const query = sql.join(
    parts.map((part) => sql.raw(part)),
    sql`${JSON.stringify(ids ?? [])}`,
  )
  await runSql({ payload, query, req })
}

/** MongoDB path (untested here): per customer through the Local API. */
const recomputeWithLocalApi = async ({
  customerIds,
  payload,
  req,
}: {
  customerIds: readonly Id[]
  payload: Payload
  req?: Partial<PayloadRequest>
}) => {
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
