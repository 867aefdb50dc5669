/** A binary min-heap: `push` and `pop` in O(log n), for a million scheduled receipts. */
export type MinHeap<T> = { peek: () => T | undefined; pop: () => T | undefined; push: (item: T) => void; readonly size: number; clear: () => void }

/** Creates an empty heap ordered by `isBefore` (strict: `true` when `a` must come out before `b`). */
export const createMinHeap = <T>({ isBefore }: { isBefore: (a: T, b: T) => boolean }): MinHeap<T> => {
  const items: T[] = []
  const swap = (i: number, j: number) => {
    const item = items[i]!
    items[i] = items[j]!
    items[j] = item
  }
  return {
    clear: () => {
      items.length = 0
    },
    peek: () => items[0],
    pop: () => {
      if (items.length === 0) return undefined
      const top = items[0]
      const last = items.pop()!
      if (items.length > 0) {
        items[0] = last
        for (let i = 0; ; ) {
          const left = 2 * i + 1
          const right = left + 1
          let smallest = i
          if (left < items.length && isBefore(items[left]!, items[smallest]!)) smallest = left
          if (right < items.length && isBefore(items[right]!, items[smallest]!)) smallest = right
          if (smallest === i) break
          swap(i, smallest)
          i = smallest
        }
      }
      return top
    },
    push: (item) => {
      items.push(item)
      for (let i = items.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1
        if (!isBefore(items[i]!, items[parent]!)) break
        swap(i, parent)
        i = parent
      }
    },
    get size() {
      return items.length
    },
  }
}
