import type { Payload } from 'payload'

import { getTableName } from 'drizzle-orm'

import { pgSchemaPrefix } from './connection.js'

/**
 * One definition of the columns the bulk upserts and erase write, used by the SQLite and
 * PostgreSQL statements alike (`src/bulk/sqlite`, `src/bulk/postgres`, `eraseCustomers.ts`), and
 * the table names as the adapter's schema (`payload.db.tables`) names them.
 */

/** A customers field a row may give (absent → the stored value stays): its column and PostgreSQL staging type. */
export type CustomerColumn = {
  column: string
  field: 'baseSpend' | 'city' | 'createdAt' | 'lastVisitAt' | 'marketingOptOut' | 'name' | 'phone' | 'visits'
  /** What a new customer gets when the row gives none: SQL per dialect (`now` = the write's timestamp parameter). */
  missing?: 'false' | 'now' | 'zero'
  pg: 'boolean' | 'numeric' | 'text' | 'timestamptz'
}

/** The plain customers fields, in staging order. `attributes` (merged) and `tags` (side table) are handled apart. */
export const CUSTOMER_COLUMNS: readonly CustomerColumn[] = [
  { column: 'name', field: 'name', pg: 'text' },
  { column: 'phone', field: 'phone', pg: 'text' },
  { column: 'city', field: 'city', pg: 'text' },
  { column: 'visits', field: 'visits', missing: 'zero', pg: 'numeric' },
  { column: 'base_spend', field: 'baseSpend', missing: 'zero', pg: 'numeric' },
  { column: 'last_visit_at', field: 'lastVisitAt', pg: 'timestamptz' },
  { column: 'marketing_opt_out', field: 'marketingOptOut', missing: 'false', pg: 'boolean' },
  { column: 'created_at', field: 'createdAt', missing: 'now', pg: 'timestamptz' },
]

/** The customers columns derived from orders (re-derived, never written from a row). */
export const CUSTOMER_AGGREGATES = { lastOrderAt: 'last_order_at', orderCount: 'order_count', totalSpend: 'total_spend' } as const

/** An orders field of a bulk row: its column, PostgreSQL staging type, and what an update does when the row gives none. */
export type OrderColumn = {
  column: string
  field: 'amount' | 'createdAt' | 'currency' | 'customerId' | 'orderedAt' | 'status'
  /** `required`: always given (a resolved or required value); `keep`: absent → the stored value. */
  onAbsent: 'keep' | 'required'
  pg: 'int' | 'numeric' | 'text' | 'timestamptz'
}

/** The orders columns an upsert writes besides `external_id` (the key) and `attributes` (merged), in staging order. */
export const ORDER_COLUMNS: readonly OrderColumn[] = [
  { column: 'customer_id', field: 'customerId', onAbsent: 'required', pg: 'int' },
  { column: 'amount', field: 'amount', onAbsent: 'required', pg: 'numeric' },
  { column: 'currency', field: 'currency', onAbsent: 'keep', pg: 'text' },
  { column: 'ordered_at', field: 'orderedAt', onAbsent: 'required', pg: 'timestamptz' },
  { column: 'status', field: 'status', onAbsent: 'keep', pg: 'text' },
  { column: 'created_at', field: 'createdAt', onAbsent: 'keep', pg: 'timestamptz' },
]

/** The tables the bulk layer writes, by the adapter's table keys (Payload's snake_case of the slugs). */
const TABLE_KEYS = {
  campaigns: 'campaigns',
  communicationLogs: 'communication_logs',
  customers: 'customers',
  customersTexts: 'customers_texts',
  orders: 'orders',
} as const

export type BulkTables = Record<keyof typeof TABLE_KEYS, string> & {
  /** The orders status enum type (PostgreSQL), schema-qualified like the tables. */
  ordersStatusEnum: string
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`
const SCHEMA = Symbol.for('drizzle:Schema')

const cache = new WeakMap<object, BulkTables>()

/**
 * The SQL names of the bulk layer's tables: each drizzle table object of `payload.db.tables` gives
 * its name and (PostgreSQL) schema, so a host's `schemaName` still works; a table the adapter does
 * not list falls back to the slug-derived name in the adapter's `schemaName`.
 */
export const bulkTables = (payload: Payload): BulkTables => {
  const db = payload.db as unknown as object
  const known = cache.get(db)
  if (known) return known
  const tables = (payload.db as unknown as { tables?: Record<string, object | undefined> }).tables ?? {}
  const fallbackPrefix = payload.db.name === 'postgres' ? pgSchemaPrefix(payload) : ''
  const nameOf = (key: string): string => {
    const table = tables[key]
    if (!table) return `${fallbackPrefix}${quote(key)}`
    const schema = (table as Record<symbol, string | undefined>)[SCHEMA]
    return `${schema && schema !== 'public' ? `${quote(schema)}.` : ''}${quote(getTableName(table as Parameters<typeof getTableName>[0]))}`
  }
  const result = Object.fromEntries(Object.entries(TABLE_KEYS).map(([name, key]) => [name, nameOf(key)])) as BulkTables
  result.ordersStatusEnum = `${payload.db.name === 'postgres' ? pgSchemaPrefix(payload) : ''}enum_orders_status`
  cache.set(db, result)
  return result
}
