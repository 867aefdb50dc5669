import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { sql } from 'drizzle-orm'

import { analyzeAfterBulkLoad, recomputeCustomerAggregates, runSql, upsertCustomers, upsertOrders } from '../../src/bulk/index.js'
import { crmOptionsOf } from '../../src/crmOptionsOf.js'
import { CUSTOM_CONFIG_KEY } from '../../src/defaults.js'
import { staleAggregates } from '../helpers/aggregates.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { currentTestDb } from '../helpers/testDb.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

type Doc = Record<string, unknown> & { id: number | string }

/** The fields both read paths must agree on (Payload adds nothing else we care about). */
const FIELDS = [
  'id', 'email', 'name', 'phone', 'city', 'tags', 'visits', 'baseSpend', 'totalSpend', 'orderCount', 'lastOrderAt',
  'lastVisitAt', 'marketingOptOut', 'attributes', 'createdAt', 'updatedAt',
] as const

const pick = (doc: Record<string, unknown>) => Object.fromEntries(FIELDS.map((field) => [field, doc[field] ?? null]))

describe('bulk data layer', () => {
  let t: TestPayload
  let admin: TestUser
  const now = new Date('2026-01-15T10:00:00.000Z')

  const rest = async (path: string): Promise<Doc & { docs?: Doc[]; totalDocs?: number }> => {
    const res = await t.request(path, { headers: jsonHeaders(admin.token) })
    expect(res.status).toBe(200)
    return (await res.json()) as Doc & { docs?: Doc[] }
  }
  const local = async (id: number | string) => (await t.payload.findByID({ collection: 'customers', depth: 0, id, overrideAccess: true })) as unknown as Doc

  beforeAll(async () => {
    t = await bootTestPayload('bulk')
    admin = await createUserWithRole(t.payload, 'admin')
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it("should find the tables it writes in the adapter's schema (payload.db.tables), not by a fallback name", () => {
    // src/bulk/tables.ts names these by their keys in payload.db.tables; a missing key would fall back to the slug.
    const tables = (t.payload.db as unknown as { tables: Record<string, unknown> }).tables
    expect(Object.keys(tables)).toEqual(expect.arrayContaining(['campaigns', 'communication_logs', 'customers', 'customers_texts', 'orders']))
  })

  it('should write new customers that read back identically through the Local API and REST', async () => {
    const result = await upsertCustomers({
      now,
      payload: t.payload,
      rows: [
        {
          attributes: { loyaltyTier: 'gold', store: 'Koramangala' },
          baseSpend: 1500.5,
          city: 'Bengaluru',
          createdAt: '2024-05-01',
          email: '  Asha.Rao@Example.COM ',
          lastVisitAt: '2025-12-24T18:30:00+05:30',
          marketingOptOut: false,
          name: 'Asha Rao',
          phone: '+919812345678',
          tags: ['vip', 'wholesale', 'new'],
          visits: 7,
        },
        { city: 'Pune', email: 'vikram@example.org', marketingOptOut: true, name: 'Vikram Patil' },
      ],
    })
    expect(result).toMatchObject({ created: 2, updated: 0 })
    const id = result.ids.get('asha.rao@example.com')
    expect(id).toBeDefined()

    const expected = {
      attributes: { loyaltyTier: 'gold', store: 'Koramangala' },
      baseSpend: 1500.5,
      city: 'Bengaluru',
      createdAt: '2024-05-01T00:00:00.000Z',
      email: 'asha.rao@example.com',
      id,
      lastOrderAt: null,
      lastVisitAt: '2025-12-24T13:00:00.000Z',
      marketingOptOut: false,
      name: 'Asha Rao',
      orderCount: 0,
      phone: '+919812345678',
      tags: ['vip', 'wholesale', 'new'],
      totalSpend: 1500.5,
      updatedAt: now.toISOString(),
      visits: 7,
    }
    const viaLocal = pick(await local(id!))
    const viaRest = pick(await rest(`/api/customers/${id}?depth=0`))
    expect(viaLocal).toEqual(expected)
    expect(viaRest).toEqual(expected)

    const vikram = pick(await local(result.ids.get('vikram@example.org')!))
    expect(vikram).toMatchObject({ baseSpend: 0, marketingOptOut: true, tags: [], totalSpend: 0, visits: 0 })
    expect(vikram.createdAt).toBe(now.toISOString())
  })

  it('should find bulk-written customers by tags and city through REST and the Local API', async () => {
    const byTag = await rest('/api/customers?where[tags][equals]=wholesale&depth=0')
    expect(byTag.docs?.map((doc) => doc.email)).toEqual(['asha.rao@example.com'])
    const byCity = await rest('/api/customers?where[city][equals]=Pune&depth=0')
    expect(byCity.docs?.map((doc) => doc.email)).toEqual(['vikram@example.org'])
    const local = await t.payload.find({ collection: 'customers', overrideAccess: true, where: { tags: { in: ['vip'] } } })
    expect(local.docs.map((doc) => doc.email)).toEqual(['asha.rao@example.com'])
  })

  it('should update existing customers and keep the fields a row leaves undefined', async () => {
    const later = new Date('2026-02-01T00:00:00.000Z')
    expect(await upsertCustomers({ payload: t.payload, rows: [] })).toEqual({ created: 0, failed: [], ids: new Map(), outcomes: [], unchanged: 0, updated: 0 })
    const result = await upsertCustomers({
      now: later,
      payload: t.payload,
      rows: [
        { attributes: { loyaltyTier: 'platinum', store: null }, baseSpend: 2000, email: 'ASHA.RAO@example.com', tags: ['churned', 'vip'] },
        { email: 'new.person@example.com', name: 'Neha Gupta' },
        // A later duplicate in the same call wins field by field.
        { email: 'new.person@example.com', city: 'Jaipur' },
      ],
    })
    expect(result).toMatchObject({ created: 1, updated: 1 })
    const asha = pick(await local(result.ids.get('asha.rao@example.com')!))
    expect(asha).toMatchObject({
      attributes: { loyaltyTier: 'platinum' },
      baseSpend: 2000,
      city: 'Bengaluru',
      createdAt: '2024-05-01T00:00:00.000Z',
      lastVisitAt: '2025-12-24T13:00:00.000Z',
      name: 'Asha Rao',
      phone: '+919812345678',
      tags: ['churned', 'vip'],
      totalSpend: 2000,
      updatedAt: later.toISOString(),
      visits: 7,
    })
    expect(pick(await local(result.ids.get('new.person@example.com')!))).toMatchObject({ city: 'Jaipur', name: 'Neha Gupta' })

    const cleared = await upsertCustomers({ payload: t.payload, rows: [{ email: 'asha.rao@example.com', phone: null, tags: [] }] })
    expect(pick(await local(cleared.ids.get('asha.rao@example.com')!))).toMatchObject({ name: 'Asha Rao', phone: null, tags: [] })
  })

  it('should merge attributes shallowly: a nested object replaces the stored one whole and null removes a key', async () => {
    const email = 'attributes@example.com'
    const first = await upsertCustomers({
      payload: t.payload,
      rows: [{ attributes: { dropped: null, note: 'first', prefs: { email: true, sms: true }, tier: 'gold', tiers: [1, 2] }, email }],
    })
    const id = first.ids.get(email)!
    // On insert too, only top-level nulls are dropped.
    expect((await local(id)).attributes).toEqual({ note: 'first', prefs: { email: true, sms: true }, tier: 'gold', tiers: [1, 2] })
    await upsertCustomers({
      payload: t.payload,
      rows: [{ attributes: { flags: { beta: null, vip: false }, note: null, prefs: { sms: false } }, email }],
    })
    const merged = (await local(id)).attributes
    // json_patch (RFC 7396) would have kept prefs.email and dropped flags.beta.
    expect(merged).toEqual({ flags: { beta: null, vip: false }, prefs: { sms: false }, tier: 'gold', tiers: [1, 2] })
    expect(pick(await rest(`/api/customers/${id}?depth=0`)).attributes).toEqual(merged)
    await upsertCustomers({ payload: t.payload, rows: [{ attributes: { flags: null, prefs: null, tier: null, tiers: null }, email }] })
    expect((await local(id)).attributes).toEqual({})
    await upsertCustomers({ payload: t.payload, rows: [{ attributes: null, email }] })
    expect((await local(id)).attributes ?? null).toBeNull()
  })

  it('should link orders by email, create bare customers and derive aggregates without cancelled or refunded orders', async () => {
    const result = await upsertOrders({
      now,
      payload: t.payload,
      rows: [
        { amount: 1200, customerEmail: 'Asha.Rao@example.com', externalId: 'ORD-1', orderedAt: '2025-10-01T10:00:00Z', status: 'delivered' },
        { amount: 800.25, customerEmail: 'asha.rao@example.com', externalId: 'ORD-2', orderedAt: '2025-11-05' },
        { amount: 5000, customerEmail: 'asha.rao@example.com', externalId: 'ORD-3', orderedAt: '2025-12-01', status: 'cancelled' },
        { amount: 300, currency: 'usd', customerEmail: 'walk.in@example.com', externalId: 'ORD-4', orderedAt: '2025-12-20', status: 'refunded' },
        { amount: 450, customerEmail: 'walk.in@example.com', externalId: 'ORD-5', orderedAt: '2025-09-09', status: 'paid' },
      ],
    })
    expect(result).toMatchObject({ created: 5, customersCreated: 1, updated: 0 })

    const [asha] = (await t.payload.find({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'asha.rao@example.com' } } })).docs
    expect(asha).toMatchObject({ lastOrderAt: '2025-11-05T00:00:00.000Z', orderCount: 2, totalSpend: 2000 + 1200 + 800.25 })
    const walkIn = (await rest('/api/customers?where[email][equals]=walk.in@example.com&depth=0')).docs?.[0]
    expect(walkIn).toMatchObject({ baseSpend: 0, lastOrderAt: '2025-09-09T00:00:00.000Z', name: null, orderCount: 1, tags: [], totalSpend: 450, visits: 0 })

    const order = (await rest('/api/orders?where[externalId][equals]=ORD-4&depth=0')).docs?.[0]
    expect(order).toMatchObject({ amount: 300, currency: 'USD', customer: walkIn?.id, orderedAt: '2025-12-20T00:00:00.000Z', status: 'refunded' })
    const defaults = (await t.payload.find({ collection: 'orders', overrideAccess: true, where: { externalId: { equals: 'ORD-2' } } })).docs[0]
    expect(defaults).toMatchObject({ currency: 'INR', status: 'placed', createdAt: now.toISOString() })
  })

  it('should change nothing when the same orders are upserted again', async () => {
    const snapshot = async () => ({
      customers: (await t.payload.find({ collection: 'customers', depth: 0, limit: 0, overrideAccess: true, pagination: false, sort: 'id' })).docs,
      orders: (await t.payload.find({ collection: 'orders', depth: 0, limit: 0, overrideAccess: true, pagination: false, sort: 'id' })).docs,
    })
    const before = await snapshot()
    const again = await upsertOrders({
      now: new Date('2026-03-01T00:00:00.000Z'),
      payload: t.payload,
      rows: [
        { amount: 1200, customerEmail: 'asha.rao@example.com', externalId: 'ORD-1', orderedAt: '2025-10-01T15:30:00+05:30', status: 'delivered' },
        { amount: 800.25, customerEmail: 'asha.rao@example.com', externalId: 'ORD-2', orderedAt: '2025-11-05' },
      ],
    })
    expect(again).toMatchObject({ created: 0, customersCreated: 0, updated: 2 })
    expect(await snapshot()).toEqual(before)
  })

  it('should move an order to another customer and re-derive both customers', async () => {
    const ids = (await upsertCustomers({ payload: t.payload, rows: [{ email: 'vikram@example.org' }] })).ids
    const vikramId = ids.get('vikram@example.org')!
    const result = await upsertOrders({
      payload: t.payload,
      rows: [{ amount: 1200, customerId: vikramId, externalId: 'ORD-1', orderedAt: '2025-10-01T10:00:00Z', status: 'delivered' }],
    })
    expect(result).toMatchObject({ created: 0, updated: 1 })
    expect(await local(vikramId)).toMatchObject({ orderCount: 1, totalSpend: 1200 })
    const asha = (await t.payload.find({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'asha.rao@example.com' } } })).docs[0]
    expect(asha).toMatchObject({ lastOrderAt: '2025-11-05T00:00:00.000Z', orderCount: 1, totalSpend: 2800.25 })
  })

  it('should roll back the whole call when one order names an unknown customer', async () => {
    await expect(
      upsertOrders({
        payload: t.payload,
        rows: [
          { amount: 10, customerEmail: 'rollback@example.com', externalId: 'ORD-RB-1', orderedAt: '2025-01-01' },
          { amount: 10, customerId: 987654, externalId: 'ORD-RB-2', orderedAt: '2025-01-01' },
        ],
      }),
    ).rejects.toThrow(
      // SQLite resolves the unknown id to NULL, which the NOT NULL column refuses; PostgreSQL's foreign key refuses the id itself.
      currentTestDb() === 'sqlite' ? /NOT NULL constraint failed: orders\.customer_id/ : /violates foreign key constraint .*customer/,
    )
    const found = await t.payload.find({ collection: 'orders', overrideAccess: true, where: { externalId: { like: 'ORD-RB' } } })
    expect(found.totalDocs).toBe(0)
    const bare = await t.payload.find({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'rollback@example.com' } } })
    expect(bare.totalDocs).toBe(0)
  })

  it('should write the good rows and return the refused ones with isolateFailures', async () => {
    const result = await upsertOrders({
      isolateFailures: true,
      payload: t.payload,
      rows: [
        { amount: 10, customerEmail: 'isolated@example.com', externalId: 'ORD-ISO-1', orderedAt: '2025-01-01' },
        { amount: 10, customerId: 987654, externalId: 'ORD-ISO-2', orderedAt: '2025-01-01' },
        { amount: 5, customerEmail: 'not an email', externalId: 'ORD-ISO-3', orderedAt: '2025-01-01' },
        { amount: 12, customerEmail: 'isolated@example.com', externalId: 'ORD-ISO-4', orderedAt: '2025-01-02' },
      ],
    })
    expect(result).toMatchObject({ created: 2, unchanged: 0, updated: 0 })
    expect(result.failed.map((failure) => failure.index)).toEqual([1, 2])
    expect(result.failed[0]!.reason).toMatch(currentTestDb() === 'sqlite' ? /NOT NULL constraint failed/ : /foreign key/)
    expect(result.failed[1]!.reason).toMatch(/customerEmail/)
    const found = await t.payload.find({ collection: 'orders', overrideAccess: true, sort: 'externalId', where: { externalId: { like: 'ORD-ISO' } } })
    expect(found.docs.map((doc) => doc.externalId)).toEqual(['ORD-ISO-1', 'ORD-ISO-4'])
    const owner = (await t.payload.find({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'isolated@example.com' } } })).docs[0]
    expect(owner).toMatchObject({ orderCount: 2, totalSpend: 22 })
    // The same rows again: the good ones match and change nothing, the bad ones fail again.
    const again = await upsertOrders({ isolateFailures: true, payload: t.payload, rows: [
      { amount: 10, customerEmail: 'isolated@example.com', externalId: 'ORD-ISO-1', orderedAt: '2025-01-01' },
      { amount: 13, customerEmail: 'isolated@example.com', externalId: 'ORD-ISO-4', orderedAt: '2025-01-02' },
    ] })
    expect(again).toMatchObject({ created: 0, failed: [], unchanged: 1, updated: 2 })
  })

  it('should count customers whose given values are already stored as unchanged', async () => {
    const rows = [{ attributes: { tier: 'gold' }, email: 'same.values@example.com', name: 'Same', tags: ['a', 'b'], visits: 3 }]
    expect(await upsertCustomers({ payload: t.payload, rows })).toMatchObject({ created: 1, unchanged: 0 })
    expect(await upsertCustomers({ payload: t.payload, rows })).toMatchObject({ created: 0, unchanged: 1, updated: 1 })
    expect(await upsertCustomers({ payload: t.payload, rows: [{ ...rows[0]!, tags: ['b', 'a'] }] })).toMatchObject({ unchanged: 0, updated: 1 })
    expect(await upsertCustomers({ payload: t.payload, rows: [{ email: 'same.values@example.com', visits: 4 }] })).toMatchObject({ unchanged: 0, updated: 1 })
    expect(await upsertCustomers({ payload: t.payload, rows: [{ email: 'SAME.values@example.com', name: 'Same' }] })).toMatchObject({ unchanged: 1, updated: 1 })
  })

  it('should default a new order without currency to STORE_CURRENCY, and leave an existing one alone', async () => {
    const options = t.payload.config.custom![CUSTOM_CONFIG_KEY] as { storeCurrency: string }
    const original = options.storeCurrency
    options.storeCurrency = 'USD'
    try {
      expect(crmOptionsOf(t.payload).storeCurrency).toBe('USD')
      await upsertOrders({ payload: t.payload, rows: [{ amount: 1, customerEmail: 'cur@example.com', externalId: 'ORD-CUR-1', orderedAt: '2025-01-01' }] })
      await upsertOrders({ payload: t.payload, rows: [{ amount: 1, currency: 'EUR', customerEmail: 'cur@example.com', externalId: 'ORD-CUR-2', orderedAt: '2025-01-01' }] })
      await upsertOrders({ payload: t.payload, rows: [{ amount: 2, customerEmail: 'cur@example.com', externalId: 'ORD-CUR-2', orderedAt: '2025-01-01' }] })
      const stored = await t.payload.find({ collection: 'orders', overrideAccess: true, sort: 'externalId', where: { externalId: { like: 'ORD-CUR' } } })
      expect(stored.docs.map((doc) => [doc.externalId, doc.currency])).toEqual([
        ['ORD-CUR-1', 'USD'],
        ['ORD-CUR-2', 'EUR'],
      ])
    } finally {
      options.storeCurrency = original
    }
  })

  it("should join a request's transaction: nothing is visible before its commit, and a rollback leaves nothing", async () => {
    // On PostgreSQL the bulk statements then run on the transaction's own client (several statements
    // per simple query included); SQLite's bulk connection never joins (docs/bulk.md).
    const joins = currentTestDb() === 'postgres'
    const emails = ['joined.one@example.com', 'joined.two@example.com']
    const count = async () => (await t.payload.count({ collection: 'customers', overrideAccess: true, where: { email: { in: emails } } })).totalDocs
    for (const outcome of ['rollback', 'commit'] as const) {
      const transactionID = await t.payload.db.beginTransaction()
      expect(transactionID).toBeDefined()
      const req = { transactionID: transactionID! }
      const customers = await upsertCustomers({ payload: t.payload, req, rows: [{ email: emails[0]!, name: 'Joined', tags: ['x', 'y'] }, { email: emails[1]! }] })
      const orders = await upsertOrders({ payload: t.payload, req, rows: [{ amount: 7, customerEmail: emails[0]!, externalId: `JOINED-${outcome}`, orderedAt: '2025-03-01' }] })
      // Not joined (SQLite), the first round's rows stayed: the second finds them as they are.
      expect(customers.outcomes).toEqual(joins || outcome === 'rollback' ? ['created', 'created'] : ['unchanged', 'unchanged'])
      expect(orders.outcomes).toEqual(['created'])
      expect(await count()).toBe(joins ? 0 : 2)
      if (outcome === 'rollback') await t.payload.db.rollbackTransaction(transactionID!)
      else await t.payload.db.commitTransaction(transactionID!)
      expect(await count()).toBe(joins && outcome === 'rollback' ? 0 : 2)
    }
    const [joined] = (await t.payload.find({ collection: 'customers', depth: 0, overrideAccess: true, where: { email: { equals: emails[0] } } })).docs
    expect(joined).toMatchObject({ name: 'Joined', orderCount: joins ? 1 : 2, tags: ['x', 'y'], totalSpend: joins ? 7 : 14 })
  })

  it('should keep ids unique when Payload-created and bulk-written customers interleave', async () => {
    const viaPayload = await t.payload.create({ collection: 'customers', data: { email: 'made.by.payload@example.com', tags: ['a', 'b'] }, overrideAccess: true })
    const bulk = await upsertCustomers({ payload: t.payload, rows: [{ email: 'bulk.after@example.com', tags: ['c'] }] })
    const bulkId = bulk.ids.get('bulk.after@example.com')!
    expect(Number(bulkId)).toBeGreaterThan(Number(viaPayload.id))
    const viaPayload2 = await t.payload.create({ collection: 'customers', data: { email: 'payload.again@example.com' }, overrideAccess: true })
    expect(Number(viaPayload2.id)).toBeGreaterThan(Number(bulkId))
    // An order created through Payload runs the hook, which shares the bulk recompute.
    await t.payload.create({ collection: 'orders', data: { amount: 99, customer: Number(bulkId), externalId: 'ORD-P-1', orderedAt: '2025-06-01T00:00:00.000Z', status: 'placed' }, overrideAccess: true })
    expect(await local(bulkId)).toMatchObject({ orderCount: 1, tags: ['c'], totalSpend: 99 })
    // A bulk update of a Payload-created customer replaces its tags through the side table.
    await upsertCustomers({ payload: t.payload, rows: [{ email: 'made.by.payload@example.com', tags: ['z'] }] })
    expect(await local(viaPayload.id)).toMatchObject({ tags: ['z'] })
    const all = await t.payload.find({ collection: 'customers', limit: 0, overrideAccess: true, pagination: false })
    expect(new Set(all.docs.map((doc) => doc.id)).size).toBe(all.docs.length)
  })

  it('should recompute every customer set-based and repair stale aggregates', async () => {
    const seeded = await upsertCustomers({
      payload: t.payload,
      rows: Array.from({ length: 12_000 }, (_, i) => ({ baseSpend: i % 3, email: `load${i}@example.net`, tags: i % 2 ? ['odd'] : undefined })),
    })
    expect(seeded.created).toBe(12_000)
    expect(seeded.ids.size).toBe(12_000)
    const orders = await upsertOrders({
      payload: t.payload,
      recompute: false,
      rows: Array.from({ length: 15_000 }, (_, i) => ({
        amount: 100 + (i % 7),
        customerId: seeded.ids.get(`load${i % 12_000}@example.net`)!,
        externalId: `LOAD-${i}`,
        orderedAt: new Date(Date.UTC(2025, i % 12, 1 + (i % 28))),
        status: i % 10 === 0 ? ('cancelled' as const) : ('delivered' as const),
      })),
    })
    expect(orders.created).toBe(15_000)
    // Stale in every direction: orders loaded without a recompute, and values corrupted behind the layer's back.
    const load1 = seeded.ids.get('load1@example.net')!
    const load0 = seeded.ids.get('load0@example.net')!
    await runSql({ payload: t.payload, query: sql`UPDATE customers SET total_spend = 999, order_count = 5, last_order_at = ${'2020-01-01T00:00:00.000Z'} WHERE id = ${load0}` })
    await runSql({ payload: t.payload, query: sql`UPDATE customers SET total_spend = -1, order_count = 0, last_order_at = NULL WHERE email = ${'asha.rao@example.com'}` })
    expect(await local(load0)).toMatchObject({ orderCount: 5, totalSpend: 999 })
    expect(await local(load1)).toMatchObject({ lastOrderAt: null, orderCount: 0, totalSpend: 1 })
    const staleBefore = await staleAggregates(t.payload)
    expect(staleBefore.length).toBeGreaterThan(10_000)

    await recomputeCustomerAggregates({ payload: t.payload })
    await analyzeAfterBulkLoad({ payload: t.payload })

    expect(await staleAggregates(t.payload)).toEqual([])
    // load1: orders i = 1 (2025-02-02) and 12001 (2025-02-18), neither cancelled, amounts 101 and 100 + 12001 % 7 (= 3) → 103; baseSpend 1.
    expect(await local(load1)).toMatchObject({ lastOrderAt: '2025-02-18T00:00:00.000Z', orderCount: 2, tags: ['odd'], totalSpend: 1 + 101 + 103 })
    // load0: orders 0 (cancelled) and 12000 (cancelled) → nothing counts, and the corrupted values are gone.
    expect(await local(load0)).toMatchObject({ lastOrderAt: null, orderCount: 0, totalSpend: 0 })
    const [asha] = (await t.payload.find({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'asha.rao@example.com' } } })).docs
    expect(asha).toMatchObject({ lastOrderAt: '2025-11-05T00:00:00.000Z', orderCount: 1, totalSpend: 2800.25 })
  })
})
