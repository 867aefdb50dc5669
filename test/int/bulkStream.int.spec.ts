import type { StreamBatch, StreamRow } from '../../src/bulk/index.js'
import type { CustomerRow, OrderRow } from '../../src/bulk/index.js'
import type { TestPayload } from '../helpers/bootPayload.js'

import { upsertCustomers, upsertOrders, upsertStream } from '../../src/bulk/index.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { importKeyTablesSeenByPayload } from '../helpers/importKeyTables.js'
import { currentTestDb } from '../helpers/testDb.js'

/**
 * Per-row outcomes of the bulk upserts and the streaming door (`upsertStream`): batching,
 * backpressure, repeated keys within and across batches, and the per-stream key table's lifetime.
 */
describe('bulk per-row outcomes and streaming', () => {
  let t: TestPayload

  beforeAll(async () => {
    t = await bootTestPayload('bulk-stream')
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  // Through the adapter's own connection.
  const keyTables = () => importKeyTablesSeenByPayload(t.payload)

  const customer = async (email: string) =>
    (await t.payload.find({ collection: 'customers', depth: 0, overrideAccess: true, where: { email: { equals: email } } })).docs[0]

  it('should say per row whether customers were created, updated, unchanged or failed', async () => {
    await upsertCustomers({ payload: t.payload, rows: [{ email: 'upd@out.test', name: 'Old' }, { email: 'same@out.test', name: 'Same', tags: ['x'] }] })
    const result = await upsertCustomers({
      isolateFailures: true,
      payload: t.payload,
      rows: [
        { email: 'new@out.test', name: 'New' },
        { email: 'UPD@out.test', name: 'Changed' },
        { email: 'same@out.test', name: 'Same', tags: ['x'] },
        { email: 'not an email', name: 'Bad' },
        // The same key again: merged into one write, so both rows get the key's outcome.
        { city: 'Pune', email: 'new@out.test' },
      ],
    })
    expect(result.outcomes).toEqual(['created', 'updated', 'unchanged', 'failed', 'created'])
    // Counts stay per distinct key.
    expect(result).toMatchObject({ created: 1, unchanged: 1, updated: 2 })
    expect(result.failed.map((failure) => failure.index)).toEqual([3])
    expect(await customer('new@out.test')).toMatchObject({ city: 'Pune', name: 'New' })
    expect(await customer('upd@out.test')).toMatchObject({ name: 'Changed' })
  })

  it('should say per row what happened to orders, including a row the database refuses', async () => {
    await upsertOrders({
      payload: t.payload,
      rows: [
        { amount: 10, customerEmail: 'buyer@out.test', externalId: 'OUT-1', orderedAt: '2025-01-01' },
        { amount: 20, customerEmail: 'buyer@out.test', externalId: 'OUT-2', orderedAt: '2025-01-02' },
      ],
    })
    const result = await upsertOrders({
      isolateFailures: true,
      payload: t.payload,
      rows: [
        { amount: 10, customerEmail: 'buyer@out.test', externalId: 'OUT-1', orderedAt: '2025-01-01' },
        { amount: 25, customerEmail: 'buyer@out.test', externalId: 'OUT-2', orderedAt: '2025-01-02' },
        // An unknown customer id: the database refuses this row alone.
        { amount: 5, customerId: 987654, externalId: 'OUT-3', orderedAt: '2025-01-03' },
        { amount: 7, customerEmail: 'buyer@out.test', externalId: 'OUT-4', orderedAt: '2025-01-04' },
        { amount: -1, customerEmail: 'buyer@out.test', externalId: 'OUT-5', orderedAt: '2025-01-05' },
      ],
    })
    expect(result.outcomes).toEqual(['unchanged', 'updated', 'failed', 'created', 'failed'])
    expect(result).toMatchObject({ created: 1, unchanged: 1, updated: 2 })
    expect(result.failed.map((failure) => failure.index)).toEqual([2, 4])
    expect(result.failed[0]!.reason).toMatch(currentTestDb() === 'sqlite' ? /NOT NULL constraint failed/ : /foreign key/)
    expect(await customer('buyer@out.test')).toMatchObject({ orderCount: 3, totalSpend: 10 + 25 + 7 })
  })

  it('should stream an async generator in batches, never reading more than one batch ahead of the writes', async () => {
    const total = 23
    const batchSize = 5
    let pulled = 0
    let written = 0
    let maxAhead = 0
    async function* source(): AsyncGenerator<StreamRow<CustomerRow>> {
      for (let i = 0; i < total; i++) {
        pulled += 1
        maxAhead = Math.max(maxAhead, pulled - written)
        // A row is only pulled once every earlier batch is in the database.
        await Promise.resolve()
        yield { ref: 100 + i, row: { email: `s${i}@stream.test`, name: `S ${i}` } }
      }
    }
    const batches: StreamBatch[] = []
    for await (const batch of upsertStream({ batchSize, kind: 'customers', payload: t.payload, rows: source() })) {
      // When a batch is reported, exactly the rows up to its end have been pulled, and they are stored.
      expect(pulled).toBe(Math.min(total, (batches.length + 1) * batchSize))
      const stored = await t.payload.count({ collection: 'customers', overrideAccess: true, where: { email: { like: '@stream.test' } } })
      expect(stored.totalDocs).toBe(pulled)
      written += batch.rows
      batches.push(batch)
    }
    expect(maxAhead).toBe(batchSize)
    expect(batches.map((batch) => batch.rows)).toEqual([5, 5, 5, 5, 3])
    expect(batches.every((batch) => batch.outcomes.every((outcome) => outcome.status === 'created'))).toBe(true)
    expect(batches.flatMap((batch) => batch.outcomes.map((outcome) => outcome.ref))).toEqual(Array.from({ length: total }, (_, i) => 100 + i))
    expect(await keyTables()).toEqual([])
  })

  it('should read the next batch while writing one with readAhead: 1, never more than three batches in hand, and close the source on an early stop', async () => {
    const total = 23
    const batchSize = 5
    let pulled = 0
    let written = 0
    let maxAhead = 0
    let closed = false
    async function* source(): AsyncGenerator<StreamRow<CustomerRow>> {
      try {
        for (let i = 0; i < total; i++) {
          pulled += 1
          maxAhead = Math.max(maxAhead, pulled - written)
          await Promise.resolve()
          yield { ref: 200 + i, row: { email: `ahead${i}@stream.test`, name: `A ${i}` } }
        }
      } finally {
        closed = true
      }
    }
    const pulledAtReport: number[] = []
    const batches: StreamBatch[] = []
    for await (const batch of upsertStream({ batchSize, kind: 'customers', payload: t.payload, readAhead: 1, rows: source() })) {
      pulledAtReport.push(pulled)
      written += batch.rows
      batches.push(batch)
    }
    expect(batches.map((batch) => batch.rows)).toEqual([5, 5, 5, 5, 3])
    expect(batches.flatMap((batch) => batch.outcomes.map((outcome) => outcome.ref))).toEqual(Array.from({ length: total }, (_, i) => 200 + i))
    expect((await t.payload.count({ collection: 'customers', overrideAccess: true, where: { email: { like: 'ahead' } } })).totalDocs).toBe(total)
    // Read ahead: some batch was reported after rows of the next one were pulled. A batch is reported
    // once the next is written (its keys are noted meanwhile), so at most three batches are in hand:
    // the one reported, the one written, the one read.
    expect(pulledAtReport.some((count, index) => count > (index + 1) * batchSize)).toBe(true)
    pulledAtReport.forEach((count, index) => expect(count).toBeLessThanOrEqual(Math.min(total, (index + 3) * batchSize)))
    expect(maxAhead).toBeLessThanOrEqual(3 * batchSize)
    expect(closed).toBe(true)

    // An early stop closes the source (after the read in flight) and drops the key table.
    closed = false
    pulled = 0
    written = 0
    for await (const batch of upsertStream({ batchSize: 2, kind: 'customers', payload: t.payload, readAhead: 1, rows: source() })) {
      expect(batch.rows).toBe(2)
      break
    }
    expect(closed).toBe(true)
    // The first batch is reported once the second is written, with the third read ahead.
    expect(pulled).toBeLessThanOrEqual(6)
    expect(await keyTables()).toEqual([])
  })

  it('should write and report the batch in hand when the source throws during a read ahead, then throw', async () => {
    async function* failing(): AsyncGenerator<StreamRow<CustomerRow>> {
      for (let i = 0; i < 3; i++) yield { ref: i, row: { email: `srcbroke${i}@stream.test` } }
      throw new Error('the source broke ahead')
    }
    const seen: number[] = []
    await expect(
      (async () => {
        for await (const batch of upsertStream({ batchSize: 2, kind: 'customers', payload: t.payload, readAhead: 1, rows: failing() })) seen.push(batch.rows)
      })(),
    ).rejects.toThrow('the source broke ahead')
    // Rows 0-1 are written; row 2 was read ahead into a batch the failure cut short, so it is not.
    expect(seen).toEqual([2])
    expect((await t.payload.count({ collection: 'customers', overrideAccess: true, where: { email: { like: 'srcbroke' } } })).totalDocs).toBe(2)
    expect(await keyTables()).toEqual([])
  })

  it('should report keys repeated within and across batches (the later row wins) and failed rows with reasons', async () => {
    await upsertOrders({ payload: t.payload, rows: [{ amount: 1, customerEmail: 'rep@stream.test', externalId: 'REP-0', orderedAt: '2025-02-01' }] })
    const rows: StreamRow<OrderRow>[] = [
      { ref: 1, row: { amount: 10, customerEmail: 'rep@stream.test', externalId: 'REP-1', orderedAt: '2025-02-01' } },
      { ref: 2, row: { amount: 11, customerEmail: 'rep@stream.test', externalId: 'REP-1', orderedAt: '2025-02-01' } },
      { ref: 3, row: { amount: 1, customerEmail: 'rep@stream.test', externalId: 'REP-0', orderedAt: '2025-02-01' } },
      // Batch 2: REP-1 again (after batch 1), a refused row, and a repeat of a refused row's key.
      { ref: 4, row: { amount: 12, customerEmail: 'rep@stream.test', externalId: ' REP-1 ', orderedAt: '2025-02-01' } },
      { ref: 5, row: { amount: 5, customerId: 987654, externalId: 'REP-BAD', orderedAt: '2025-02-01' } },
      { ref: 6, row: { amount: 6, customerEmail: 'rep@stream.test', externalId: 'REP-2', orderedAt: '2025-02-01' } },
      // Batch 3: REP-BAD was never written, so this is no repeat; REP-2 is.
      { ref: 7, row: { amount: 7, customerEmail: 'rep@stream.test', externalId: 'REP-BAD', orderedAt: '2025-02-01' } },
      { ref: 8, row: { amount: 8, customerEmail: 'rep@stream.test', externalId: 'REP-2', orderedAt: '2025-02-01' } },
    ]
    const batches: StreamBatch[] = []
    for await (const batch of upsertStream({ batchSize: 3, kind: 'orders', payload: t.payload, rows })) batches.push(batch)
    expect(batches.map((batch) => batch.outcomes.map((outcome) => outcome.status))).toEqual([
      ['created', 'created', 'unchanged'],
      ['updated', 'failed', 'created'],
      ['created', 'updated'],
    ])
    expect(batches[1]!.outcomes[1]!.reason).toMatch(currentTestDb() === 'sqlite' ? /NOT NULL constraint failed/ : /foreign key/)
    expect(batches.map((batch) => batch.repeated)).toEqual([
      [{ earlier: 1, key: 'REP-1', later: 2 }],
      [{ earlier: 2, key: 'REP-1', later: 4 }],
      [{ earlier: 6, key: 'REP-2', later: 8 }],
    ])
    expect(batches.map(({ created, failed, unchanged, updated }) => ({ created, failed, unchanged, updated }))).toEqual([
      { created: 1, failed: 0, unchanged: 1, updated: 1 },
      { created: 1, failed: 1, unchanged: 0, updated: 1 },
      { created: 1, failed: 0, unchanged: 0, updated: 1 },
    ])
    const stored = await t.payload.find({ collection: 'orders', depth: 0, overrideAccess: true, sort: 'externalId', where: { externalId: { like: 'REP-' } } })
    expect(stored.docs.map((doc) => [doc.externalId, doc.amount])).toEqual([
      ['REP-0', 1],
      ['REP-1', 12],
      ['REP-2', 8],
      ['REP-BAD', 7],
    ])
    expect(await keyTables()).toEqual([])
  })

  it('should drop its key table when the source throws (the unfinished batch is not written) or the consumer stops early', async () => {
    async function* failing(): AsyncGenerator<StreamRow<CustomerRow>> {
      for (let i = 0; i < 5; i++) yield { ref: i, row: { email: `fail${i}@stream.test` } }
      throw new Error('the source broke')
    }
    const seen: number[] = []
    let tablesDuringStream: string[] = []
    await expect(
      (async () => {
        for await (const batch of upsertStream({ batchSize: 2, kind: 'customers', payload: t.payload, rows: failing() })) {
          seen.push(batch.rows)
          tablesDuringStream = await keyTables()
        }
      })(),
    ).rejects.toThrow('the source broke')
    expect(seen).toEqual([2, 2])
    expect(tablesDuringStream).toHaveLength(1)
    expect(await keyTables()).toEqual([])
    expect((await t.payload.count({ collection: 'customers', overrideAccess: true, where: { email: { like: 'fail' } } })).totalDocs).toBe(4)

    let pulled = 0
    async function* endless(): AsyncGenerator<StreamRow<CustomerRow>> {
      for (let i = 0; ; i++) {
        pulled += 1
        yield { ref: i, row: { email: `endless${i}@stream.test` } }
      }
    }
    for await (const batch of upsertStream({ batchSize: 4, kind: 'customers', payload: t.payload, rows: endless() })) {
      expect(batch.rows).toBe(4)
      break
    }
    expect(pulled).toBe(4)
    expect(await keyTables()).toEqual([])
  })
})
