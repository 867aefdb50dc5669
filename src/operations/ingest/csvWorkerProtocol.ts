import { CsvError } from 'csv-parse'

import type { CsvItem } from './readCsvRecords.js'

/**
 * The messages between an import and its CSV parsing thread (`csvParseWorker.ts`), and the pure
 * packing on both sides. Few messages: the upload's chunks travel several to a message in one
 * transferred ArrayBuffer (their boundaries kept, so the parser sees exactly the chunks it would
 * see in the thread), and records travel a batch to a message.
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
/** Batches the import has not yet taken (database → parser backpressure): 20,000 items, two write batches. */
export const BATCHES_IN_FLIGHT = 4
/**
 * A chunk message is sent once it holds this many bytes, or when the worker has taken everything
 * sent and the upload has nothing more ready. Every message wakes the other thread, which on a
 * loaded machine can wait for a core: fewer, larger messages.
 */
export const BYTES_PER_MESSAGE = 1024 * 1024
/** A batch is sent once it holds this many items, or this many characters of cells (or the parser waits for input). */
export const ITEMS_PER_BATCH = 5000
export const CHARS_PER_BATCH = 2 * 1024 * 1024

/** A record the parser skipped, as it crosses the thread boundary (an Error loses its own properties there). */
export type UnreadableWire = { code: string; context: Record<string, unknown>; message: string }

/**
 * A batch of items: a record as its cells, a skipped record as `UnreadableWire`. Structured
 * clone gives the import's thread strings of its own (cells sliced from one shared string would
 * keep the whole batch's text alive as long as any cell, e.g. in a warning, lives).
 */
export type PackedBatch = { items: (string[] | UnreadableWire)[] }

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
  let items: PackedBatch['items'] = []
  let chars = 0
  return {
    add: (item: CsvItem) => {
      if (item.kind === 'unreadable') {
        // `stack` is not enumerable; the rest (lines, record, …) is plain data csv-parse already JSON-copied.
        const { code, message, ...context } = item.error
        items.push({ code, context, message })
      } else {
        items.push(item.cells)
        for (const cell of item.cells) chars += cell.length
      }
    },
    get isEmpty() {
      return items.length === 0
    },
    get isFull() {
      return items.length >= ITEMS_PER_BATCH || chars >= CHARS_PER_BATCH
    },
    /** The batch so far, and a fresh one begun. */
    take: (): PackedBatch => {
      const batch = { items }
      items = []
      chars = 0
      return batch
    },
  }
}

/** The items of a `PackedBatch`, in order (unreadable records as `CsvError`s again). */
export const unpackBatch = ({ items }: PackedBatch): CsvItem[] =>
  items.map((item) =>
    Array.isArray(item)
      ? { cells: item, kind: 'record' as const }
      : { error: new CsvError(item.code as ConstructorParameters<typeof CsvError>[0], item.message, undefined, item.context), kind: 'unreadable' as const },
  )

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
 * `whenEmpty()` waits until nothing is out. `close()` wakes waiters (`waitForRoom` gets `false`)
 * when the exchange ends.
 */
export const createByteWindow = (limit: number) => {
  const sizes: number[] = []
  let out = 0
  let closed = false
  let waiting: ((ok: boolean) => void) | undefined
  let emptied: (() => void) | undefined
  return {
    close: () => {
      closed = true
      waiting?.(false)
      waiting = undefined
      emptied?.()
      emptied = undefined
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
      if (out === 0) {
        emptied?.()
        emptied = undefined
      }
      if (out < limit) {
        const wake = waiting
        waiting = undefined
        wake?.(true)
      }
    },
    /** Resolves once the other side has taken every message sent (or the exchange ended). */
    whenEmpty: (): Promise<void> => (out === 0 || closed ? Promise.resolve() : new Promise<void>((resolve) => (emptied = resolve))),
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
