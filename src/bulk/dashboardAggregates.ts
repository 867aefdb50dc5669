import type { Payload, PayloadRequest } from 'payload'

import { sql } from 'drizzle-orm'

import type { MonthBucket } from '../domain/dashboard/monthBuckets.js'

import { pgSchemaPrefix, runSql, sqlDialectOf } from './connection.js'

export type DashboardAggregates = {
  cities: { city: string; customers: number }[]
  months: { month: string; orders: number; revenue: number }[]
  totals: { customers: number; orders: number; revenue: number }
}


/**
 * The dashboard's numbers in four set-based statements (never a row in JavaScript): totals, orders
 * and revenue per month of `buckets` (months in STORE_TIMEZONE, as instants), and the `topCities`
 * cities with the most customers. Revenue counts orders that are not cancelled or refunded.
 */
export const readDashboardAggregates = async ({
  buckets,
  payload,
  req,
  topCities = 8,
}: {
  buckets: MonthBucket[]
  payload: Payload
  req?: Partial<PayloadRequest>
  topCities?: number
}): Promise<DashboardAggregates> => {
  const dialect = sqlDialectOf(payload)
  if (!dialect) throw new Error('The dashboard aggregates need SQLite or PostgreSQL')
  const p = dialect === 'postgres' ? pgSchemaPrefix(payload) : ''
  const t = (name: string) => sql.raw(`${p}"${name}"`)
  const run = <Row>(query: ReturnType<typeof sql>) => runSql<Row>({ payload, query, req })
  const status = dialect === 'postgres' ? sql.raw(`"status"::text`) : sql.raw(`"status"`)
  const counting = sql`${status} NOT IN ('cancelled', 'refunded')`

  const [customers] = await run<{ n: number | string }>(sql`SELECT COUNT(*) AS n FROM ${t('customers')}`)
  const [orders] = await run<{ n: number | string; revenue: null | number | string }>(
    sql`SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN ${counting} THEN "amount" ELSE 0 END), 0) AS revenue FROM ${t('orders')}`,
  )

  const rows = buckets.map((bucket) => ({ e: bucket.end.toISOString(), k: bucket.key, s: bucket.start.toISOString() }))
  const bucketTable =
    dialect === 'sqlite'
      ? sql`SELECT json_extract(value, '$.k') AS k, json_extract(value, '$.s') AS s, json_extract(value, '$.e') AS e FROM json_each(${JSON.stringify(rows)})`
      : sql`SELECT value ->> 'k' AS k, (value ->> 's')::timestamptz AS s, (value ->> 'e')::timestamptz AS e FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb)`
  const first = rows[0]?.s ?? new Date(0).toISOString()
  const last = rows[rows.length - 1]?.e ?? new Date(0).toISOString()
  const bound = (iso: string) => (dialect === 'sqlite' ? sql`${iso}` : sql`${iso}::timestamptz`)
  // SQLite keeps dates as ISO text (Payload's format), so the range test compares strings of one shape.
  const monthly = await run<{ k: string; n: number | string; revenue: null | number | string }>(
    sql`WITH b AS (${bucketTable}),
          o AS (SELECT "ordered_at" AS at, "amount", ${counting} AS counts FROM ${t('orders')} WHERE "ordered_at" >= ${bound(first)} AND "ordered_at" < ${bound(last)})
        SELECT b.k AS k, COUNT(o.at) AS n, COALESCE(SUM(CASE WHEN o.counts THEN o."amount" ELSE 0 END), 0) AS revenue
        FROM b LEFT JOIN o ON o.at >= b.s AND o.at < b.e GROUP BY b.k ORDER BY b.k`,
  )
  const byMonth = new Map(monthly.map((row) => [row.k, row]))

  const cities = await run<{ city: string; n: number | string }>(
    sql`SELECT "city" AS city, COUNT(*) AS n FROM ${t('customers')} WHERE "city" IS NOT NULL AND "city" <> ''
        GROUP BY "city" ORDER BY n DESC, "city" LIMIT ${topCities}`,
  )
  return {
    cities: cities.map((row) => ({ city: row.city, customers: Number(row.n) })),
    months: buckets.map((bucket) => {
      const row = byMonth.get(bucket.key)
      return { month: bucket.key, orders: Number(row?.n ?? 0), revenue: Number(row?.revenue ?? 0) }
    }),
    totals: { customers: Number(customers?.n ?? 0), orders: Number(orders?.n ?? 0), revenue: Number(orders?.revenue ?? 0) },
  }
}
