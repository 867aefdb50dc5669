import type { WrittenStatus } from './types.js'

import { rowOutcomes, writeIsolated } from './isolateFailures.js'
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
  type Written = { n: number; statuses: WrittenStatus[] }
  const sum = (a: Written, b: Written): Written => ({ n: a.n + b.n, statuses: [] })
  const empty: Written = { n: 0, statuses: [] }
  // A write that says `created` for rows starting with 'new' and `updated` for the others.
  const written = (rows: readonly string[]): Written => ({ n: rows.length, statuses: rows.map((row) => (row.startsWith('new') ? 'created' : 'updated')) })

  it('should write the good rows of a refused batch, name every input row of a refused one, and place each status', async () => {
    const calls: string[][] = []
    const write = async (rows: string[]) => {
      calls.push(rows)
      if (rows.some((row) => row.startsWith('bad'))) throw new Error(`refused ${rows.join(',')}\nstack line`)
      return written(rows)
    }
    const rows = ['a', 'bad1', 'new-c', 'd', 'e', 'bad2', 'new-g']
    const sources = rows.map((_, index) => (index === 5 ? [5, 9] : [index]))
    const { failed, result, statuses } = await writeIsolated({ canRetry: true, combine: sum, empty, rows, sources, write })
    expect(result.n).toBe(5)
    expect(failed).toEqual([
      { index: 1, reason: 'The database refused this row: refused bad1' },
      { index: 5, reason: 'The database refused this row: refused bad2' },
      { index: 9, reason: 'The database refused this row: refused bad2' },
    ])
    expect(statuses).toEqual(['updated', undefined, 'created', 'updated', 'updated', undefined, 'created'])
    // Every good row was written exactly once.
    const writtenRows = calls.filter((call) => !call.some((row) => row.startsWith('bad'))).flat()
    expect(writtenRows.sort()).toEqual(['a', 'd', 'e', 'new-c', 'new-g'])
  })

  it('should make one call when nothing is refused, and rethrow when it cannot retry', async () => {
    let calls = 0
    const ok = await writeIsolated({ canRetry: true, combine: sum, empty, rows: ['new-1', '2', 'new-3'], sources: [[0], [1], [2]], write: async (rows) => (calls += 1, written(rows)) })
    expect(ok.failed).toEqual([])
    expect(ok.result.n).toBe(3)
    expect(ok.statuses).toEqual(['created', 'updated', 'created'])
    expect(calls).toBe(1)
    await expect(
      writeIsolated({ canRetry: false, combine: sum, empty, rows: ['1'], sources: [[0]], write: async () => Promise.reject(new Error('boom')) }),
    ).rejects.toThrow('boom')
  })
})

describe('rowOutcomes', () => {
  it('should give every input row merged into a key that key\'s status, and failed to the rest', () => {
    // Input rows 0 and 3 share a key (normalised row 0); row 2 could not be normalised; normalised row 2 (input 4) was refused.
    const sources = [[0, 3], [1], [4], [5]]
    expect(rowOutcomes(6, sources, ['created', 'unchanged', undefined, 'updated'])).toEqual(['created', 'unchanged', 'failed', 'created', 'failed', 'updated'])
    expect(rowOutcomes(0, [], [])).toEqual([])
  })
})
