import type { Payload } from 'payload'

import { pgSchema, pgTable, serial } from 'drizzle-orm/pg-core'
import { integer, sqliteTable } from 'drizzle-orm/sqlite-core'

import { bulkTables } from './tables.js'

const payloadWith = (name: 'postgres' | 'sqlite', tables: Record<string, object>, schemaName?: string) =>
  ({ db: { name, schemaName, tables } }) as unknown as Payload

describe('bulkTables', () => {
  it("should name PostgreSQL tables in the adapter's schema", () => {
    const crm = pgSchema('crm')
    const t = bulkTables(
      payloadWith('postgres', { customers: crm.table('customers', { id: serial('id') }), orders: crm.table('orders', { id: serial('id') }) }, 'crm'),
    )
    expect(t.customers).toBe('"crm"."customers"')
    expect(t.orders).toBe('"crm"."orders"')
    // Not listed by the adapter: the slug's table in the adapter's schemaName.
    expect(t.customersTexts).toBe('"crm"."customers_texts"')
    expect(t.ordersStatusEnum).toBe('"crm".enum_orders_status')
  })

  it('should take the drizzle table name, unqualified in public and on SQLite', () => {
    expect(bulkTables(payloadWith('postgres', { customers: pgTable('customers', { id: serial('id') }) })).customers).toBe('"customers"')
    expect(bulkTables(payloadWith('sqlite', { orders: sqliteTable('shop_orders', { id: integer('id') }) })).orders).toBe('"shop_orders"')
  })
})
