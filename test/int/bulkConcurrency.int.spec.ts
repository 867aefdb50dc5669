import type { CollectionAfterChangeHook } from 'payload'

import type { TestPayload } from '../helpers/bootPayload.js'

import { sql } from 'drizzle-orm'
import pg from 'pg'

import { runSql, upsertCustomers, upsertOrders } from '../../src/bulk/index.js'
import { staleAggregates } from '../helpers/aggregates.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { currentTestDb } from '../helpers/testDb.js'

/**
 * Two writers of the same customers at once. Each test holds the first writer inside its
 * transaction (PostgreSQL: after its writes, before COMMIT; an order PATCH: after the order row is
 * written, before its hook derives the aggregates) until the second writer has started, and records
 * the order of events to prove they overlapped. On PostgreSQL the second writer is seen waiting on a
 * lock held by the first. On SQLite a bulk call is one synchronous write transaction, so it cannot
 * be held open; there the overlap is a bulk call running while a PATCH sits between its order write
 * and its recompute (Payload's SQLite adapter runs without transactions). Every test ends by
 * comparing its customers with a from-scratch derivation of their aggregates.
 */
describe('bulk writers under concurrency', () => {
  let t: TestPayload
  const isPostgres = currentTestDb() === 'postgres'

  type Deferred = { promise: Promise<void>; resolve: () => void }
  const deferred = (): Deferred => {
    let resolve!: () => void
    const promise = new Promise<void>((done) => {
      resolve = done
    })
    return { promise, resolve }
  }

  /** PostgreSQL: waits until `count` other backends of this database wait on a lock, and returns what they run. */
  const lockWaiters = async (count = 1): Promise<string[]> => {
    const deadline = Date.now() + 20_000
    for (;;) {
      const rows = await runSql<{ query: string }>({
        payload: t.payload,
        query: sql`SELECT query FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      })
      if (rows.length >= count) return rows.map((row) => row.query)
      if (Date.now() > deadline) throw new Error(`${rows.length} of ${count} writers waited on a lock: the writers did not overlap`)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
  const lockWaiter = async () => (await lockWaiters(1))[0]!

  /**
   * PostgreSQL: a third transaction, on its own connection, holding one row lock until `release`.
   * Writers queue behind it, so the order in which they take their other locks is fixed by the test.
   */
  const holdRow = async (table: 'customers' | 'orders', id: number | string) => {
    const client = new pg.Client({ connectionString: t.url })
    await client.connect()
    await client.query('BEGIN')
    await client.query(`SELECT id FROM ${table} WHERE id = $1 FOR UPDATE`, [id])
    return {
      release: async () => {
        await client.query('COMMIT')
        await client.end()
      },
    }
  }

  const customerIds = async (emails: string[]) => {
    const result = await upsertCustomers({ payload: t.payload, rows: emails.map((email) => ({ email })) })
    return emails.map((email) => result.ids.get(email) as number)
  }
  const customer = async (id: number) => t.payload.findByID({ collection: 'customers', depth: 0, id, overrideAccess: true })
  const orderId = async (externalId: string) =>
    (await t.payload.find({ collection: 'orders', depth: 0, overrideAccess: true, where: { externalId: { equals: externalId } } })).docs[0]!.id

  /** A PATCH of one order through Payload, held after the order row is written and before its recompute hook runs. */
  const heldPatch = (id: number | string, data: Record<string, unknown>, events: string[]) => {
    const written = deferred()
    const release = deferred()
    const done = t.payload
      .update({
        collection: 'orders',
        context: {
          holdBeforeRecompute: async () => {
            events.push('patch:order-written')
            written.resolve()
            await release.promise
          },
        },
        data,
        id,
        overrideAccess: true,
      })
      .then(() => {
        events.push('patch:done')
      })
    return {
      done,
      release: () => {
        events.push('patch:released')
        release.resolve()
      },
      written: written.promise,
    }
  }

  /** A `beforeCommit` that holds the bulk call until released. */
  const holdBeforeCommit = (name: string, events: string[]) => {
    const reached = deferred()
    const release = deferred()
    return {
      beforeCommit: async () => {
        events.push(`${name}:before-commit`)
        reached.resolve()
        await release.promise
      },
      reached: reached.promise,
      release: () => {
        events.push(`${name}:released`)
        release.resolve()
      },
    }
  }

  beforeAll(async () => {
    t = await bootTestPayload('bulk-concurrency')
    // Runs before the collection's own recompute hook, so a test can hold a PATCH between its write and its recompute.
    const hold: CollectionAfterChangeHook = async ({ context, doc }) => {
      if (typeof context.holdBeforeRecompute === 'function') await (context.holdBeforeRecompute as () => Promise<void>)()
      return doc
    }
    t.payload.collections.orders.config.hooks.afterChange.unshift(hold)
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should converge when a bulk order upsert runs while an order PATCH of the same customer is mid-transaction', async () => {
    const [asha] = await customerIds(['conc.patch@example.com'])
    await upsertCustomers({ payload: t.payload, rows: [{ baseSpend: 100, email: 'conc.patch@example.com' }] })
    await upsertOrders({ payload: t.payload, rows: [{ amount: 200, customerId: asha!, externalId: 'CP-1', orderedAt: '2025-05-01' }] })
    expect(await customer(asha!)).toMatchObject({ orderCount: 1, totalSpend: 300 })

    const events: string[] = []
    const patch = heldPatch(await orderId('CP-1'), { amount: 250 }, events)
    await patch.written
    const bulkHold = holdBeforeCommit('bulk', events)
    const bulk = upsertOrders({
      beforeCommit: bulkHold.beforeCommit,
      payload: t.payload,
      rows: [{ amount: 1000, customerId: asha!, externalId: 'CP-2', orderedAt: '2025-06-01' }],
    }).then(() => events.push('bulk:done'))
    await bulkHold.reached
    patch.release()
    if (isPostgres) {
      // The PATCH's recompute waits for the bulk call's lock on the customer; without it, it would
      // derive from a snapshot without order CP-2 and overwrite the bulk call's total after it commits.
      expect(await lockWaiter()).toMatch(/customers/)
      events.push('patch:waiting-for-lock')
    } else {
      await patch.done
    }
    bulkHold.release()
    await Promise.all([bulk, patch.done])

    expect(events.slice(0, 5)).toEqual(
      isPostgres
        ? ['patch:order-written', 'bulk:before-commit', 'patch:released', 'patch:waiting-for-lock', 'bulk:released']
        : ['patch:order-written', 'bulk:before-commit', 'patch:released', 'patch:done', 'bulk:released'],
    )
    expect(await customer(asha!)).toMatchObject({ lastOrderAt: '2025-06-01T00:00:00.000Z', orderCount: 2, totalSpend: 100 + 250 + 1000 })
    expect(await staleAggregates(t.payload, [asha!])).toEqual([])
  })

  it('should converge when a bulk customer upsert changing baseSpend and a bulk order upsert overlap', async () => {
    const emails = ['conc.base1@example.com', 'conc.base2@example.com']
    const [b1, b2] = await customerIds(emails)
    await upsertOrders({
      payload: t.payload,
      rows: [
        { amount: 100, customerId: b1!, externalId: 'CB-1', orderedAt: '2025-01-01' },
        { amount: 100, customerId: b2!, externalId: 'CB-2', orderedAt: '2025-01-01' },
      ],
    })

    const events: string[] = []
    const customersHold = holdBeforeCommit('customers', events)
    const customersCall = upsertCustomers({
      beforeCommit: customersHold.beforeCommit,
      payload: t.payload,
      rows: [
        { baseSpend: 500, email: emails[0]! },
        { baseSpend: 700, email: emails[1]! },
      ],
    }).then(() => events.push('customers:done'))
    await customersHold.reached
    // The other writer lists the same customers in the opposite order.
    const ordersCall = upsertOrders({
      payload: t.payload,
      rows: [
        { amount: 40, customerId: b2!, externalId: 'CB-3', orderedAt: '2025-02-01' },
        { amount: 60, customerId: b1!, externalId: 'CB-4', orderedAt: '2025-02-01' },
      ],
    }).then(() => events.push('orders:done'))
    if (isPostgres) {
      expect(await lockWaiter()).toMatch(/pg_advisory_xact_lock|customers/)
      events.push('orders:waiting-for-lock')
    } else {
      await ordersCall
    }
    customersHold.release()
    await Promise.all([customersCall, ordersCall])

    expect(events.slice(0, 3)).toEqual(
      isPostgres
        ? ['customers:before-commit', 'orders:waiting-for-lock', 'customers:released']
        : ['customers:before-commit', 'orders:done', 'customers:released'],
    )
    expect(await customer(b1!)).toMatchObject({ baseSpend: 500, orderCount: 2, totalSpend: 500 + 100 + 60 })
    expect(await customer(b2!)).toMatchObject({ baseSpend: 700, orderCount: 2, totalSpend: 700 + 100 + 40 })
    expect(await staleAggregates(t.payload, [b1!, b2!])).toEqual([])
  })

  it('should re-derive the real previous owner when a bulk upsert moves an order a PATCH is moving at the same time', async () => {
    const [m1, m2, m3] = await customerIds(['conc.move1@example.com', 'conc.move2@example.com', 'conc.move3@example.com'])
    await upsertOrders({ payload: t.payload, rows: [{ amount: 300, customerId: m1!, externalId: 'CM-1', orderedAt: '2025-03-01' }] })

    const events: string[] = []
    const patch = heldPatch(await orderId('CM-1'), { customer: m2 }, events)
    await patch.written
    const bulk = upsertOrders({
      payload: t.payload,
      rows: [{ amount: 300, customerId: m3!, externalId: 'CM-1', orderedAt: '2025-03-01' }],
    }).then(() => events.push('bulk:done'))
    if (isPostgres) {
      // The bulk call waits for the PATCH's lock on the order, then reads its new owner (m2), not the old one (m1).
      expect(await lockWaiter()).toMatch(/orders/)
      events.push('bulk:waiting-for-lock')
    } else {
      await bulk
    }
    patch.release()
    await Promise.all([bulk, patch.done])

    expect(events.slice(0, 3)).toEqual(
      isPostgres
        ? ['patch:order-written', 'bulk:waiting-for-lock', 'patch:released']
        : ['patch:order-written', 'bulk:done', 'patch:released'],
    )
    expect(await customer(m1!)).toMatchObject({ orderCount: 0, totalSpend: 0 })
    expect(await customer(m2!)).toMatchObject({ orderCount: 0, totalSpend: 0 })
    expect(await customer(m3!)).toMatchObject({ orderCount: 1, totalSpend: 300 })
    expect(await staleAggregates(t.payload, [m1!, m2!, m3!])).toEqual([])
  })

  /**
   * The classic deadlock: each writer holds a row the other wants next. A third transaction holds
   * one row so that, without a fixed lock order, the first writer locks its first row and queues on
   * the held one while the second writer locks its first row and queues on the first writer's. When
   * the held row is released the first writer wants the second's row: PostgreSQL would abort one
   * with 40P01. With the bulk layer's lock order (locks.ts) the second writer queues before taking
   * any row.
   */
  it('should finish two bulk order upserts that list the same orders in opposite orders without a deadlock', async () => {
    const [x, y] = await customerIds(['conc.dlo1@example.com', 'conc.dlo2@example.com'])
    const order = (externalId: string, amount: number, customerId: number) => ({ amount, customerId, externalId, orderedAt: '2025-04-01' })
    await upsertOrders({ payload: t.payload, rows: [order('DO-1', 10, x!), order('DO-2', 20, x!), order('DO-3', 30, x!)] })

    const events: string[] = []
    const holder = isPostgres ? await holdRow('orders', await orderId('DO-3')) : null
    const first = upsertOrders({ payload: t.payload, rows: [order('DO-1', 110, y!), order('DO-3', 130, y!), order('DO-2', 120, y!)] }).then(() =>
      events.push('first:done'),
    )
    if (holder) {
      await lockWaiters(1)
      events.push('first:waiting')
    }
    const second = upsertOrders({ payload: t.payload, rows: [order('DO-2', 220, x!), order('DO-1', 210, x!)] }).then(() => events.push('second:done'))
    if (holder) {
      await lockWaiters(2)
      events.push('second:waiting')
      // Recorded before the release: a writer may finish before release() itself returns.
      events.push('holder:releasing')
      await holder.release()
    }
    // A deadlock would reject one of them (PostgreSQL error 40P01).
    await expect(Promise.all([first, second])).resolves.toBeDefined()

    expect(events.slice(0, isPostgres ? 3 : 1)).toEqual(isPostgres ? ['first:waiting', 'second:waiting', 'holder:releasing'] : ['first:done'])
    // The first writer got every lock first, so the second one's values are the last written.
    expect(await customer(x!)).toMatchObject({ orderCount: 2, totalSpend: 210 + 220 })
    expect(await customer(y!)).toMatchObject({ orderCount: 1, totalSpend: 130 })
    expect(await staleAggregates(t.payload, [x!, y!])).toEqual([])
  })

  it('should finish two bulk customer upserts that list the same customers in opposite orders without a deadlock', async () => {
    const emails = ['conc.dlc1@example.com', 'conc.dlc2@example.com', 'conc.dlc3@example.com']
    const [a, b, c] = await customerIds(emails)
    await upsertOrders({
      payload: t.payload,
      rows: [a, b, c].map((id, i) => ({ amount: 5 * (i + 1), customerId: id!, externalId: `DC-${i}`, orderedAt: '2025-04-01' })),
    })

    const events: string[] = []
    const holder = isPostgres ? await holdRow('customers', c!) : null
    const first = upsertCustomers({
      payload: t.payload,
      rows: [
        { baseSpend: 1, email: emails[0]! },
        { baseSpend: 3, email: emails[2]! },
        { baseSpend: 2, email: emails[1]! },
      ],
    }).then(() => events.push('first:done'))
    if (holder) {
      await lockWaiters(1)
      events.push('first:waiting')
    }
    const second = upsertCustomers({
      payload: t.payload,
      rows: [
        { baseSpend: 20, email: emails[1]! },
        { baseSpend: 10, email: emails[0]! },
      ],
    }).then(() => events.push('second:done'))
    if (holder) {
      await lockWaiters(2)
      events.push('second:waiting')
      // Recorded before the release: a writer may finish before release() itself returns.
      events.push('holder:releasing')
      await holder.release()
    }
    await expect(Promise.all([first, second])).resolves.toBeDefined()

    expect(events.slice(0, isPostgres ? 3 : 1)).toEqual(isPostgres ? ['first:waiting', 'second:waiting', 'holder:releasing'] : ['first:done'])
    expect(await customer(a!)).toMatchObject({ baseSpend: 10, totalSpend: 10 + 5 })
    expect(await customer(b!)).toMatchObject({ baseSpend: 20, totalSpend: 20 + 10 })
    expect(await customer(c!)).toMatchObject({ baseSpend: 3, totalSpend: 3 + 15 })
    expect(await staleAggregates(t.payload, [a!, b!, c!])).toEqual([])
  })

  // PostgreSQL only: on SQLite a bulk call is one synchronous write transaction, so nothing can insert meanwhile.
  // With ids asked for, the INSERT returns its rows; without (a stream), only its count says what it inserted.
  ;(isPostgres ? it.each([true, false]) : it.skip.each([true, false]))('should update, not lose, a customer another writer inserts while a bulk upsert of only new customers runs (returnIds: %s)', async (returnIds) => {
    const emails = [`conc.new1.${returnIds}@example.com`, `conc.new2.${returnIds}@example.com`, `conc.new3.${returnIds}@example.com`]
    // Another writer has inserted the second email and not committed: the bulk call finds none of its
    // emails stored, its INSERT waits on that row's unique key, then skips it (ON CONFLICT DO NOTHING),
    // and the row must still be updated (the UPDATE runs again for rows neither updated nor inserted).
    const other = new pg.Client({ connectionString: t.url })
    await other.connect()
    await other.query('BEGIN')
    await other.query(`INSERT INTO customers (email, name, city, visits, base_spend, total_spend, order_count, updated_at, created_at)
                       VALUES ($1, 'Other', 'Pune', 1, 0, 0, 0, now(), now())`, [emails[1]])
    const bulk = upsertCustomers({
      payload: t.payload,
      returnIds,
      rows: emails.map((email, i) => ({ city: 'Delhi', email, name: `Bulk ${i}`, tags: ['vip', `t${i}`] })),
    })
    const waiting = await lockWaiter()
    expect(waiting).toMatch(/INSERT INTO "customers"/)
    await other.query('COMMIT')
    await other.end()
    const result = await bulk
    expect(result.outcomes).toEqual(['created', 'updated', 'created'])
    expect(result).toMatchObject({ created: 2, updated: 1 })
    const stored = await t.payload.find({ collection: 'customers', depth: 0, overrideAccess: true, sort: 'email', where: { email: { in: emails } } })
    expect(stored.docs.map((doc) => ({ city: doc.city, email: doc.email, name: doc.name, tags: doc.tags }))).toEqual(
      emails.map((email, i) => ({ city: 'Delhi', email, name: `Bulk ${i}`, tags: ['vip', `t${i}`] })),
    )
    expect(emails.map((email) => result.ids.get(email))).toEqual(returnIds ? stored.docs.map((doc) => doc.id) : [undefined, undefined, undefined])
  })
})
