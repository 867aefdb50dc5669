import { CsvError } from 'csv-parse'

import type { CsvItem } from './readCsvRecords.js'

/**
 * The messages between an import and its CSV parsing thread (`csvParseWorker.ts`), and the pure
 * packing on both sides. Few messages: the upload's chunks travel several to a message in one
 * transferred ArrayBuffer (their boundaries kept, so the parser sees exactly the chunks it would
 * see in the thread), and records travel a batch to a message as one string plus a transferred
 * table of cell lengths (one copy, no per-cell structured clone).
 *
 * Both directions are bounded: the import has at most `BYTES_IN_FLIGHT` (plus one message) of bytes
 * the worker has not taken, and the worker at most `BATCHES_IN_FLIGHT` batches the import has not taken.
 */

/**
 * Bytes of the upload sent and not yet taken by the worker (upload → worker backpressure): a bit
 * over two write batches of typical rows (10,000 customers ≈ 1.4 MB), so the worker can parse a
 * batch ahead while the import's thread is held by a write.
 */
export const BYTES_IN_FLIGHT = 4 * 1024 * 1024
/** Batches the import has not yet taken (database → parser backpressure). */
export const BATCHES_IN_FLIGHT = 8
/** A chunk message is sent once it holds this many bytes (or the upload has nothing more ready). */
export const BYTES_PER_MESSAGE = 256 * 1024
/** A batch is sent once it holds this many items, or this many characters of cells (or the parser waits for input). */
export const ITEMS_PER_BATCH = 2000
export const CHARS_PER_BATCH = 1024 * 1024

/** A record the parser skipped, as it crosses the thread boundary (an Error loses its own properties there). */
export type UnreadableAt = { at: number; code: string; context: Record<string, unknown>; message: string }

/** A batch of items: every record's cells joined in `text`; `layout` = per item its cell count (−1: unreadable), then the cells' lengths. */
export type PackedBatch = { layout: Int32Array; text: string; unreadable: UnreadableAt[] }

/** What the import sends the worker. */
export type ToWorker =
  /** Upload chunks: `lengths` slices of `buffer`, in order. */
  | { buffer: ArrayBuffer; lengths: number[]; type: 'bytes' }
  /** The upload ended. */
  | { type: 'end' }
  /** Reading the upload failed; `message` is the error's (none when it was not an Error). */
  | { message?: string; type: 'broke' }
  /** The import took a batch: one more may be sent. */
  | { type: 'took' }

/** What the worker sends the import. */
export type FromWorker =
  | { type: 'ready' }
  /** The worker took a chunk message: one more may be sent. */
  | { type: 'took' }
  | ({ type: 'items' } & PackedBatch)
  | { type: 'done' }
  /** Parsing failed: `name` is `CsvInputError`, `CsvUploadError` or another error's name. */
  | { message: string; name: string; type: 'failed' }

/** Collects items into one `PackedBatch`. */
export const createBatchPacker = () => {
  let parts: string[] = []
  let layout: number[] = []
  let unreadable: UnreadableAt[] = []
  let items = 0
  let chars = 0
  return {
    add: (item: CsvItem) => {
      if (item.kind === 'unreadable') {
        const { code, message, ...context } = item.error
        // `stack` is not enumerable; the rest (lines, record, …) is plain data csv-parse already JSON-copied.
        unreadable.push({ at: items, code, context, message })
        layout.push(-1)
      } else {
        layout.push(item.cells.length)
        for (const cell of item.cells) {
          layout.push(cell.length)
          parts.push(cell)
          chars += cell.length
        }
      }
      items += 1
    },
    get isEmpty() {
      return items === 0
    },
    get isFull() {
      return items >= ITEMS_PER_BATCH || chars >= CHARS_PER_BATCH
    },
    /** The batch so far, and a fresh one begun. */
    take: (): PackedBatch => {
      const batch = { layout: Int32Array.from(layout), text: parts.join(''), unreadable }
      parts = []
      layout = []
      unreadable = []
      items = 0
      chars = 0
      return batch
    },
  }
}

/** The items of a `PackedBatch`, in order (unreadable records as `CsvError`s again). */
export const unpackBatch = ({ layout, text, unreadable }: PackedBatch): CsvItem[] => {
  const out: CsvItem[] = []
  let next = 0
  let pos = 0
  for (let i = 0; i < layout.length; ) {
    const count = layout[i++]!
    if (count < 0) {
      const { code, context, message } = unreadable[next++]!
      out.push({ error: new CsvError(code as ConstructorParameters<typeof CsvError>[0], message, undefined, context), kind: 'unreadable' })
      continue
    }
    const cells = new Array<string>(count)
    for (let c = 0; c < count; c++) {
      const length = layout[i++]!
      cells[c] = text.slice(pos, pos + length)
      pos += length
    }
    out.push({ cells, kind: 'record' })
  }
  return out
}

/**
 * Collects upload chunks into one message: copied into a buffer the import owns (a chunk may be a
 * view into a pooled buffer that must not be transferred away), boundaries kept.
 */
export const createChunkPacker = () => {
  let chunks: Uint8Array[] = []
  let bytes = 0
  return {
    add: (chunk: Uint8Array) => {
      chunks.push(chunk)
      bytes += chunk.byteLength
    },
    get bytes() {
      return bytes
    },
    get isEmpty() {
      return chunks.length === 0
    },
    take: (): Extract<ToWorker, { type: 'bytes' }> => {
      const joined = new Uint8Array(bytes)
      const lengths: number[] = []
      let at = 0
      for (const chunk of chunks) {
        joined.set(chunk, at)
        at += chunk.byteLength
        lengths.push(chunk.byteLength)
      }
      chunks = []
      bytes = 0
      return { buffer: joined.buffer, lengths, type: 'bytes' }
    },
  }
}

/** The chunks of a `bytes` message, as they were added. */
export const unpackChunks = ({ buffer, lengths }: { buffer: ArrayBuffer; lengths: number[] }): Uint8Array[] => {
  const out: Uint8Array[] = []
  let at = 0
  for (const length of lengths) {
    out.push(new Uint8Array(buffer, at, length))
    at += length
  }
  return out
}

/**
 * A counter of messages sent and not yet taken by the other side: `acquire()` waits while `limit`
 * are out, `release()` is called when the other side says it took one. `close()` wakes waiters
 * (they get `false`) when the exchange ends.
 */
export const createCredits = (limit: number) => {
  let out = 0
  let closed = false
  let waiting: ((ok: boolean) => void) | undefined
  return {
    acquire: async (): Promise<boolean> => {
      while (out >= limit && !closed) await new Promise<boolean>((resolve) => (waiting = resolve))
      if (closed) return false
      out += 1
      return true
    },
    close: () => {
      closed = true
      waiting?.(false)
      waiting = undefined
    },
    get out() {
      return out
    },
    /** Takes a credit if one is free, without waiting. */
    tryAcquire: (): boolean => {
      if (closed || out >= limit) return false
      out += 1
      return true
    },
    release: () => {
      out = Math.max(0, out - 1)
      const wake = waiting
      waiting = undefined
      wake?.(true)
    },
  }
}

/**
 * Bytes sent and not yet taken by the other side, which takes messages in order: `waitForRoom()`
 * waits while `limit` bytes or more are out, `sent(n)` counts a message, `took()` the oldest.
 * `close()` wakes a waiter (it gets `false`) when the exchange ends.
 */
export const createByteWindow = (limit: number) => {
  const sizes: number[] = []
  let out = 0
  let closed = false
  let waiting: ((ok: boolean) => void) | undefined
  return {
    close: () => {
      closed = true
      waiting?.(false)
      waiting = undefined
    },
    get out() {
      return out
    },
    sent: (bytes: number) => {
      sizes.push(bytes)
      out += bytes
    },
    took: () => {
      out -= sizes.shift() ?? 0
      if (out < limit) {
        const wake = waiting
        waiting = undefined
        wake?.(true)
      }
    },
    waitForRoom: async (): Promise<boolean> => {
      while (out >= limit && !closed) await new Promise<boolean>((resolve) => (waiting = resolve))
      return !closed
    },
  }
}

/**
 * A queue of values pushed by events and pulled by one consumer, which waits when it is empty.
 * Its length is bounded by the credits of whoever pushes.
 */
export const createInbox = <T>() => {
  const queue: T[] = []
  let waiting: ((value: T) => void) | undefined
  return {
    push: (value: T) => {
      if (waiting) {
        const wake = waiting
        waiting = undefined
        wake(value)
      } else queue.push(value)
    },
    get size() {
      return queue.length
    },
    take: (): Promise<T> => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise<T>((resolve) => (waiting = resolve))),
  }
}
