import { writeIsolated } from './isolateFailures.js'
import { normaliseCustomerBatch, normaliseOrderBatch } from './normaliseRows.js'

describe('normaliseCustomerBatch / normaliseOrderBatch', () => {
  it('should keep the input indices merged into each row', () => {
    const batch = normaliseCustomerBatch([{ email: 'a@x.in', name: 'A' }, { email: 'b@x.in' }, { city: 'Goa', email: 'A@X.in' }])
    expect(batch.rows).toEqual([{ city: 'Goa', email: 'a@x.in', name: 'A' }, { email: 'b@x.in' }])
    expect(batch.sources).toEqual([[0, 2], [1]])
    expect(batch.failed).toEqual([])
  })

  it('should return rows it cannot normalise in failed when isolating, and throw otherwise', () => {
    const rows = [
      { amount: 1, customerEmail: 'a@x.in', externalId: 'O-1', orderedAt: '2025-01-01' },
      { amount: -1, customerEmail: 'a@x.in', externalId: 'O-2', orderedAt: '2025-01-01' },
      { amount: 2, customerEmail: 'nope', externalId: 'O-3', orderedAt: '2025-01-01' },
      { amount: 3, attributes: { channel: 'app' }, customerEmail: 'a@x.in', externalId: 'O-1', orderedAt: '2025-01-02' },
    ]
    const batch = normaliseOrderBatch(rows, 'UTC', true)
    expect(batch.failed.map((failure) => failure.index)).toEqual([1, 2])
    expect(batch.failed[0]!.reason).toMatch(/^amount must be/)
    expect(batch.rows).toEqual([{ amount: 3, attributes: { channel: 'app' }, customerEmail: 'a@x.in', externalId: 'O-1', orderedAt: '2025-01-02T00:00:00.000Z' }])
    expect(batch.sources).toEqual([[0, 3]])
    expect(() => normaliseOrderBatch(rows)).toThrow(/Row 1: amount/)
  })
})

describe('writeIsolated', () => {
  const sum = (a: number, b: number) => a + b

  it('should write the good rows of a refused batch and name every input row of a refused one', async () => {
    const calls: string[][] = []
    const write = async (rows: string[]) => {
      calls.push(rows)
      if (rows.some((row) => row.startsWith('bad'))) throw new Error(`refused ${rows.join(',')}\nstack line`)
      return rows.length
    }
    const rows = ['a', 'bad1', 'c', 'd', 'e', 'bad2', 'g']
    const sources = rows.map((_, index) => (index === 5 ? [5, 9] : [index]))
    const { failed, result } = await writeIsolated({ canRetry: true, combine: sum, empty: 0, rows, sources, write })
    expect(result).toBe(5)
    expect(failed).toEqual([
      { index: 1, reason: 'The database refused this row: refused bad1' },
      { index: 5, reason: 'The database refused this row: refused bad2' },
      { index: 9, reason: 'The database refused this row: refused bad2' },
    ])
    // Every good row was written exactly once.
    const written = calls.filter((call) => !call.some((row) => row.startsWith('bad'))).flat()
    expect(written.sort()).toEqual(['a', 'c', 'd', 'e', 'g'])
  })

  it('should make one call when nothing is refused, and rethrow when it cannot retry', async () => {
    let calls = 0
    const ok = await writeIsolated({ canRetry: true, combine: sum, empty: 0, rows: [1, 2, 3], sources: [[0], [1], [2]], write: async (rows) => (calls += 1, rows.length) })
    expect(ok).toEqual({ failed: [], result: 3 })
    expect(calls).toBe(1)
    await expect(
      writeIsolated({ canRetry: false, combine: sum, empty: 0, rows: [1], sources: [[0]], write: async () => Promise.reject(new Error('boom')) }),
    ).rejects.toThrow('boom')
  })
})
