import type { Payload } from 'payload'

import type { SqlDialect } from './connection.js'
import type { ImportKeys } from './importKeys.js'
import type { NormalisedCustomer, NormalisedOrder, Prepared } from './normaliseRows.js'
import type { StreamRepeat } from './streamRepeats.js'
import type { CustomerRow, OrderRow, RowStatus } from './types.js'

import { CSV_IMPORT_BATCH_ROWS, CSV_IMPORT_BATCH_ROWS_SQLITE } from '../constants.js'
import { crmOptionsOf } from '../crmOptionsOf.js'
import { normaliseEmail } from '../domain/validation/index.js'
import { sqlDialectOf } from './connection.js'
import { openImportKeys } from './importKeys.js'
import { normaliseCustomer, normaliseOrder, prepareRow } from './normaliseRows.js'
import { repeatsWithin } from './streamRepeats.js'
import { upsertCustomers } from './upsertCustomers.js'
import { upsertOrders } from './upsertOrders.js'

/** One row of a stream and the caller's number for it (a file's row number, a record's index), stored with its key between batches. */
export type StreamRow<TRow> = { ref: number; row: TRow }

/** What happened to one row of the stream (`reason` when it `failed`). */
export type StreamOutcome = { reason?: string; ref: number; status: RowStatus }

/** What one batch of a stream did, once it is written. */
export type StreamBatch = {
  /** Keys of the batch that were new (per distinct key, as `upsertCustomers`/`upsertOrders` count). */
  created: number
  /** Rows of the batch that were not written. */
  failed: number
  /** One per row of the batch, in order. */
  outcomes: StreamOutcome[]
  /**
   * Keys a later written row gave again, in this batch or after an earlier one (the later row won):
   * first those inside the batch in row order, then those an earlier batch wrote.
   */
  repeated: StreamRepeat[]
  /** Rows in the batch. */
  rows: number
  /** Of the `updated` keys, those whose stored values already equalled the row's. */
  unchanged: number
  /** Keys of the batch that matched a stored record (changed or not). */
  updated: number
}

type RowSource<TRow> = AsyncIterable<StreamRow<TRow>> | Iterable<StreamRow<TRow>>

type StreamOptions = {
  /** Rows per write (one transaction each). @default `streamBatchRows` of the database (10,000; 25,000 on SQLite) */
  batchSize?: number
  /**
   * Find keys repeated across batches (a per-stream key table, one more statement per batch).
   * `false`: no key table, and `repeated` lists only repeats within a batch. @default true
   */
  acrossBatches?: boolean
  payload: Payload
  /**
   * Batches read ahead of the writes. 0: the next batch is read only when the consumer asks for it,
   * so the source is never ahead of the database. 1: the next batch is read (and normalised) while the
   * current one is written (the source's work — parsing, casting — overlaps the database's; up to three
   * batches in memory), and a written batch's keys are noted in the key table while the next batch is
   * written, so a batch is reported once the next one is written (on PostgreSQL the two statements run
   * on two connections); a consumer that stops early may leave one batch more written than it was
   * shown. Leave it at 0 when the consumer checkpoints after each batch: rows read ahead are not yet
   * written. @default 0
   */
  readAhead?: 0 | 1
}

export type UpsertStreamArgs =
  | (StreamOptions & { kind: 'customers'; rows: RowSource<CustomerRow> })
  | (StreamOptions & {
      kind: 'orders'
      /** Re-derive the affected customers' aggregates in each batch's transaction. @default true */
      recompute?: boolean
      rows: RowSource<OrderRow>
    })

/** Wraps the failure of a write or of a read ahead, after which the batch being noted is still reported. */
class StreamStop extends Error {
  constructor(readonly failure: unknown) {
    super('upsertStream stopped')
  }
}

/** Rows read ahead between two turns of the event loop. */
const YIELD_EVERY_ROWS = 256

/** The key a row upserts by, as the bulk layer normalises it (a row without one fails its write anyway). */
const customerKey = (row: CustomerRow): null | string => (typeof row.email === 'string' ? normaliseEmail(row.email) : null)
const orderKey = (row: OrderRow): null | string => (typeof row.externalId === 'string' ? row.externalId.trim() : null)

/** Rows per write of a stream by default on a database: `CSV_IMPORT_BATCH_ROWS`, or `CSV_IMPORT_BATCH_ROWS_SQLITE` on SQLite (fewer, bigger commits). */
export const streamBatchRows = (dialect: null | SqlDialect): number => (dialect === 'sqlite' ? CSV_IMPORT_BATCH_ROWS_SQLITE : CSV_IMPORT_BATCH_ROWS)

/**
 * Streams rows into the bulk layer: reads `batchSize` rows from `rows`, writes them (one
 * `upsertCustomers`/`upsertOrders` call with `isolateFailures`: a bad row, or one the database
 * refuses, fails alone), and yields what the batch did. The next batch is read only when the
 * consumer asks for it (or, with `readAhead: 1`, while the previous batch is written), so the
 * source is never more than one (two) batches ahead of the database and memory follows the batch,
 * not the stream.
 *
 * A key given again by a later row is reported in `repeated` (the later row wins): within a batch
 * from the batch itself, across batches through a per-stream staging table of keys
 * (`openImportKeys`, opened at the first write), so no key of an earlier batch is held in
 * JavaScript. The table is dropped when the generator ends: after the last batch, when the source
 * throws (the unfinished batch is not written), or when the consumer stops early (`break` in
 * `for await`, or `return()`).
 */
export async function* upsertStream(args: UpsertStreamArgs): AsyncGenerator<StreamBatch, void, undefined> {
  const { acrossBatches = true, payload, readAhead = 0 } = args
  const batchSize = args.batchSize ?? streamBatchRows(sqlDialectOf(payload))
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError('batchSize must be a positive integer')
  let opened: Promise<ImportKeys> | undefined
  /** Writes a batch; returns its report, whose `repeated` still lacks the keys of earlier batches. */
  const write = async ({ items, prepared }: Read): Promise<{ batch: StreamBatch; last: Map<string, number> }> => {
    const result =
      args.kind === 'orders'
        ? await upsertOrders({
            isolateFailures: true,
            payload,
            prepared: prepared as Prepared<NormalisedOrder>[],
            recompute: args.recompute ?? true,
            rows: (items as StreamRow<OrderRow>[]).map((item) => item.row),
          })
        : await upsertCustomers({
            isolateFailures: true,
            payload,
            prepared: prepared as Prepared<NormalisedCustomer>[],
            returnIds: false,
            rows: (items as StreamRow<CustomerRow>[]).map((item) => item.row),
          })
    const reasons = new Map(result.failed.map((failure) => [failure.index, failure.reason]))
    const outcomes = items.map(({ ref }, index): StreamOutcome => {
      const status = result.outcomes[index]!
      return status === 'failed' ? { reason: reasons.get(index) ?? 'The row was not written.', ref, status } : { ref, status }
    })
    const keyOf = (item: StreamRow<CustomerRow> | StreamRow<OrderRow>, index: number): null | string =>
      result.outcomes[index] === 'failed' ? null : args.kind === 'orders' ? orderKey(item.row as OrderRow) : customerKey(item.row as CustomerRow)
    const { last, repeated } = repeatsWithin(items.map((item, index) => ({ key: keyOf(item, index), ref: item.ref })))
    const batch = {
      created: result.created,
      failed: result.failed.length,
      outcomes,
      repeated,
      rows: items.length,
      unchanged: result.unchanged,
      updated: result.updated,
    }
    return { batch, last }
  }
  /** Records a written batch's keys in the key table and adds those an earlier batch wrote to its `repeated`. */
  const noteKeys = async ({ batch, last }: { batch: StreamBatch; last: Map<string, number> }): Promise<StreamBatch> => {
    if (acrossBatches && last.size > 0) {
      opened ??= openImportKeys({ payload })
      const earlier = await (await opened).note([...last].map(([key, ref]) => ({ key, row: ref })))
      for (const { key, row } of earlier) batch.repeated.push({ earlier: row, key, later: last.get(key)! })
    }
    return batch
  }
  type Item = StreamRow<CustomerRow> | StreamRow<OrderRow>
  /** A batch as read: its rows, each normalised as it was read (so a write starts with its statements). */
  type Read = { items: Item[]; prepared: Prepared<NormalisedCustomer | NormalisedOrder>[] }
  const { storeTimezone } = crmOptionsOf(payload)
  const prepare = (row: CustomerRow | OrderRow, index: number): Prepared<NormalisedCustomer | NormalisedOrder> =>
    args.kind === 'orders' ? prepareRow(normaliseOrder, row as OrderRow, index, storeTimezone) : prepareRow(normaliseCustomer, row as CustomerRow, index, storeTimezone)
  const source: AsyncIterator<Item> | Iterator<Item> =
    Symbol.asyncIterator in args.rows ? (args.rows as AsyncIterable<Item>)[Symbol.asyncIterator]() : (args.rows as Iterable<Item>)[Symbol.iterator]()
  let exhausted = false
  const readBatch = async (): Promise<Read> => {
    const items: Item[] = []
    const prepared: Read['prepared'] = []
    while (items.length < batchSize) {
      // Reading ahead, the source's work (parsing, casting) runs beside a write: let the database
      // client's answers in every few hundred rows. Buffered input is otherwise read and cast in one
      // stretch of microtasks, and each statement of the write waited for it (~100 ms a batch).
      if (readAhead === 1 && items.length % YIELD_EVERY_ROWS === YIELD_EVERY_ROWS - 1) await new Promise((resolve) => setImmediate(resolve))
      const step = await source.next()
      if (step.done) {
        exhausted = true
        break
      }
      prepared.push(prepare(step.value.row, items.length))
      items.push(step.value)
    }
    return { items, prepared }
  }
  let ahead: Promise<Read> | undefined
  // Reading ahead, a written batch's keys are noted while the next batch is written (another
  // connection), and the batch is reported once they are; notes still run one after another, in order.
  let noting: Promise<StreamBatch> | undefined
  async function* reportNoted(): AsyncGenerator<StreamBatch> {
    if (!noting) return
    const previous = noting
    noting = undefined
    yield await previous
  }
  try {
    let batch = await readBatch()
    while (batch.items.length > 0) {
      const writing = write(batch)
      if (readAhead === 1 && !exhausted) {
        ahead = readBatch()
        // Its failure is thrown once this batch is written and reported (below), not as an unhandled rejection.
        ahead.catch(() => undefined)
      }
      const written = await writing.catch((err: unknown) => Promise.reject(new StreamStop(err)))
      yield* reportNoted()
      if (readAhead === 1) {
        noting = noteKeys(written)
        noting.catch(() => undefined)
      } else {
        yield await noteKeys(written)
      }
      batch = ahead ? await ahead.catch((err: unknown) => Promise.reject(new StreamStop(err))) : exhausted ? { items: [], prepared: [] } : await readBatch()
      ahead = undefined
    }
    yield* reportNoted()
  } catch (err) {
    if (!(err instanceof StreamStop)) throw err
    // A write or a read ahead failed: report the written batch whose keys were being noted, then fail.
    yield* reportNoted()
    throw err.failure
  } finally {
    // On an early stop or a failed write: let a read and a note in flight finish, then close the source.
    if (ahead) await ahead.catch(() => undefined)
    if (noting) await noting.catch(() => undefined)
    if (!exhausted) await Promise.resolve(source.return?.()).catch(() => undefined)
    await opened?.then((keys) => keys.drop()).catch(() => undefined)
  }
}
