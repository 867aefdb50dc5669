import type { Payload } from 'payload'

import { sql } from 'drizzle-orm'

import { pgSchemaPrefix, runSql, sqlDialectOf } from './connection.js'

/** Customer columns a template may read, by field name (TEMPLATE_FIELDS' columns). */
const COLUMNS: Record<string, string> = {
  attributes: 'attributes',
  city: 'city',
  createdAt: 'created_at',
  email: 'email',
  lastOrderAt: 'last_order_at',
  lastVisitAt: 'last_visit_at',
  marketingOptOut: 'marketing_opt_out',
  name: 'name',
  orderCount: 'order_count',
  phone: 'phone',
  totalSpend: 'total_spend',
  visits: 'visits',
}

/**
 * Reads the named template columns of a batch of customers in one statement (two with `tags`),
 * shaped like customer documents (`totalSpend`, `tags: string[]`, `attributes: object`), by id.
 */
export const readCustomersForTemplate = async ({
  columns,
  ids,
  payload,
}: {
  columns: readonly string[]
  ids: readonly number[]
  payload: Payload
}): Promise<Map<number, Record<string, unknown>>> => {
  const dialect = sqlDialectOf(payload)
  if (!dialect) throw new Error('readCustomersForTemplate needs SQLite or PostgreSQL')
  const p = dialect === 'postgres' ? pgSchemaPrefix(payload) : ''
  const out = new Map<number, Record<string, unknown>>()
  if (ids.length === 0) return out
  const json = JSON.stringify(ids)
  const idList = dialect === 'sqlite' ? sql`(SELECT value FROM json_each(${json}))` : sql`(SELECT (jsonb_array_elements_text(${json}::jsonb))::int)`
  const fields = columns.filter((column) => COLUMNS[column])
  const select = sql.raw(['"id"', ...fields.map((field) => `"${COLUMNS[field]}" AS "${field}"`)].join(', '))
  const rows = await runSql<Record<string, unknown>>({ payload, query: sql`SELECT ${select} FROM ${sql.raw(`${p}"customers"`)} WHERE "id" IN ${idList}` })
  for (const row of rows) {
    const customer: Record<string, unknown> = { ...row }
    if (typeof customer.attributes === 'string') {
      try {
        customer.attributes = JSON.parse(customer.attributes) as unknown
      } catch {
        customer.attributes = undefined
      }
    }
    if (dialect === 'sqlite' && 'marketingOptOut' in customer) customer.marketingOptOut = Boolean(customer.marketingOptOut)
    out.set(Number(row.id), customer)
  }
  if (columns.includes('tags')) {
    for (const customer of out.values()) customer.tags = []
    const tags = await runSql<{ parent_id: number | string; text: null | string }>({
      payload,
      query: sql`SELECT "parent_id", "text" FROM ${sql.raw(`${p}"customers_texts"`)} WHERE "path" = 'tags' AND "parent_id" IN ${idList} ORDER BY "parent_id", "order"`,
    })
    for (const tag of tags) (out.get(Number(tag.parent_id))?.tags as string[] | undefined)?.push(tag.text ?? '')
  }
  return out
}
