import type { RowFailure, RowStatus, WrittenStatus } from './types.js'

/** The short reason a database gave for refusing a row (its first line, no stack). */
const reasonOf = (err: unknown): string => {
  const message = err instanceof Error ? err.message : String(err)
  return `The database refused this row: ${message.split('\n', 1)[0]!.slice(0, 300)}`
}

/**
 * Writes `rows` with `write` (one transaction per call). When the database refuses the call and
 * `canRetry`, the rows are split in halves and each half is written on its own, recursively, so
 * the good rows of the batch are written and each refusing row comes back in `failed` with the
 * database's reason, named by the input indices (`sources`) merged into it. ~2·log2(n) extra
 * round trips per refusing row; none when nothing is refused. `statuses[i]` is what the write
 * said about `rows[i]` (undefined for a refused row).
 */
export const writeIsolated = async <TRow, TResult extends { statuses: readonly WrittenStatus[] }>({
  canRetry,
  combine,
  empty,
  rows,
  sources,
  write,
}: {
  canRetry: boolean
  /** Adds up two results' counts (their `statuses` are placed by position here, not combined). */
  combine: (a: TResult, b: TResult) => TResult
  empty: TResult
  rows: TRow[]
  sources: number[][]
  write: (rows: TRow[]) => Promise<TResult>
}): Promise<{ failed: RowFailure[]; result: TResult; statuses: (undefined | WrittenStatus)[] }> => {
  const failed: RowFailure[] = []
  const statuses: (undefined | WrittenStatus)[] = new Array(rows.length)
  const attempt = async (from: number, to: number): Promise<TResult> => {
    if (from >= to) return empty
    try {
      const result = await write(from === 0 && to === rows.length ? rows : rows.slice(from, to))
      result.statuses.forEach((status, offset) => (statuses[from + offset] = status))
      return result
    } catch (err) {
      if (!canRetry) throw err
      if (to - from === 1) {
        const reason = reasonOf(err)
        for (const index of sources[from]!) failed.push({ index, reason })
        return empty
      }
      const middle = from + Math.ceil((to - from) / 2)
      const first = await attempt(from, middle)
      return combine(first, await attempt(middle, to))
    }
  }
  const result = await attempt(0, rows.length)
  return { failed, result, statuses }
}

/**
 * One status per input row of a call: `statuses[i]` (what the write said about normalised row `i`)
 * for every input row merged into it (`sources[i]`); `failed` for the rest (rows that could not be
 * normalised, rows the database refused).
 */
export const rowOutcomes = (count: number, sources: readonly (readonly number[])[], statuses: readonly (undefined | WrittenStatus)[]): RowStatus[] => {
  const outcomes = new Array<RowStatus>(count).fill('failed')
  sources.forEach((indices, position) => {
    const status = statuses[position]
    if (status !== undefined) for (const index of indices) outcomes[index] = status
  })
  return outcomes
}
