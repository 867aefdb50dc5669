/** A key given again by a later row of the same stream: the earlier row's write was replaced. */
export type StreamRepeat = { earlier: number; key: string; later: number }

/**
 * The repeats inside one batch, in row order (each row replaced by the next written row with its
 * key), and each key's last written row (what the batch leaves for that key, to compare with the
 * earlier batches). Rows with no key (not written) are skipped. Memory: one batch.
 */
export const repeatsWithin = (rows: readonly { key: null | string; ref: number }[]): { last: Map<string, number>; repeated: StreamRepeat[] } => {
  const last = new Map<string, number>()
  const repeated: StreamRepeat[] = []
  for (const { key, ref } of rows) {
    if (key === null) continue
    const earlier = last.get(key)
    if (earlier !== undefined) repeated.push({ earlier, key, later: ref })
    last.set(key, ref)
  }
  return { last, repeated }
}
