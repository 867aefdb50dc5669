import type { Payload } from 'payload'

import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

import type { FromWorker, ToWorker } from './csvWorkerProtocol.js'
import type { CsvItem } from './readCsvRecords.js'

import { readImportParseWorker } from '../../env.js'
import { BYTES_IN_FLIGHT, BYTES_PER_MESSAGE, createByteWindow, createChunkPacker, createInbox, unpackBatch, unpackChunks } from './csvWorkerProtocol.js'
import { CsvInputError, CsvUploadError, readCsvRecords } from './readCsvRecords.js'

/**
 * `readCsvRecords` in a worker thread: the same items, in the same order, with the same errors, but
 * decoding and csv-parse run on another core while this thread casts and writes. The upload is
 * read here and its chunks handed over (`csvWorkerProtocol.ts`: a few chunks per message, at most
 * `BYTES_IN_FLIGHT` bytes the worker has not taken), and the worker parses at most
 * `BATCHES_IN_FLIGHT` batches ahead of what this thread took, so the upload is still read only as
 * fast as the database writes and memory stays a few batches.
 *
 * The thread starts when iteration begins and is terminated when it ends (done, an error, or the
 * consumer stopping early). A thread that cannot start leaves parsing in this thread (`warn` is
 * told why): the import never fails for it.
 */

/** `csvParseWorker.cjs` beside this file (a path, not `new URL`, so no bundler rewrites it). */
const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'csvParseWorker.cjs')

export type ParseWorkerOptions = {
  /** The thread's entry module (tests: one that cannot start). @default csvParseWorker.cjs */
  entry?: string
  /** How long the thread may take to load before parsing stays in this thread. @default 30 s */
  startTimeoutMs?: number
  /** Told when the thread could not start and parsing stays in this thread. */
  warn?: (message: string, err: unknown) => void
}

// Threads alive now, and how many ever got ready (tests check the thread was used and none is left behind).
const live = new Set<Worker>()
let started = 0
/** CSV parsing threads: `live` now, `started` (ready) since the process began. */
export const parseWorkerCounts = (): { live: number; started: number } => ({ live: live.size, started })

const IDLE = Symbol('idle')
const idle = () => new Promise<typeof IDLE>((resolve) => setImmediate(resolve, IDLE))

/** Where reading the upload stands: handed back to in-thread parsing if the worker cannot start. */
type Reader = {
  chunks: AsyncIterator<Uint8Array>
  packer: ReturnType<typeof createChunkPacker>
  /** A chunk asked for and not yet used (a settled promise gives the same value or error again). */
  pending?: Promise<IteratorResult<Uint8Array>>
}

type Input = Exclude<ToWorker, { type: 'took' }>

/**
 * Reads the upload into the worker: waits for room in the window, then for a chunk, then adds
 * more chunks until `BYTES_PER_MESSAGE`, or until the worker has taken everything sent and the
 * upload has nothing more ready, and sends them as one message. Once stopped it returns at its next
 * step, leaving any chunk it holds in `reader`.
 */
const pump = async ({
  isStopped,
  post,
  reader,
  window,
}: {
  isStopped: () => boolean
  post: (message: Input) => void
  reader: Reader
  window: ReturnType<typeof createByteWindow>
}): Promise<void> => {
  const { chunks, packer } = reader
  for (;;) {
    if (!(await window.waitForRoom()) || isStopped()) return
    for (;;) {
      reader.pending ??= chunks.next()
      let next: IteratorResult<Uint8Array>
      try {
        if (packer.isEmpty) next = await reader.pending
        else {
          // While the worker still has bytes to parse, wait for more rather than send a small
          // message; once it has none, send what is here as soon as the upload has nothing ready.
          const first = await Promise.race([reader.pending, window.whenEmpty().then(idle)])
          if (isStopped()) return
          if (first === IDLE) break
          next = first
        }
      } catch (err) {
        if (isStopped()) return
        reader.pending = undefined
        if (!packer.isEmpty) post(packer.take())
        post({ message: err instanceof Error ? err.message : undefined, type: 'broke' })
        return
      }
      if (isStopped()) return
      reader.pending = undefined
      if (next.done) {
        if (!packer.isEmpty) post(packer.take())
        post({ type: 'end' })
        return
      }
      if (next.value.byteLength > 0) packer.add(next.value)
      if (packer.bytes >= BYTES_PER_MESSAGE) break
    }
    post(packer.take())
  }
}

/** The upload from where a stopped `pump` left it: the messages it sent, what it held, then the rest. */
async function* handedBack(sent: Input[], reader: Reader): AsyncGenerator<Uint8Array> {
  for (const message of sent) {
    if (message.type === 'end') return
    // As the worker's upload() rethrows it, so readCsvRecords words it the same.
    if (message.type === 'broke') throw message.message === undefined ? 'the upload failed' : new Error(message.message)
    yield* unpackChunks(message)
  }
  if (!reader.packer.isEmpty) yield* unpackChunks(reader.packer.take())
  for (;;) {
    const next = await (reader.pending ?? reader.chunks.next())
    reader.pending = undefined
    if (next.done) return
    yield next.value
  }
}

const errorFrom = ({ message, name }: { message: string; name: string }): Error => {
  if (name === 'CsvInputError') return new CsvInputError(message)
  if (name === 'CsvUploadError') return new CsvUploadError(message)
  const err = new Error(message)
  err.name = name
  return err
}

async function* itemsInWorker(source: AsyncIterable<Uint8Array>, { entry = ENTRY, startTimeoutMs = 30_000, warn }: ParseWorkerOptions): AsyncGenerator<CsvItem> {
  const fallBack = (err: unknown) =>
    warn?.(`The CSV parsing thread could not start (${err instanceof Error ? err.message : String(err)}): parsing in the import's thread.`, err)
  let worker: Worker
  try {
    // No inherited flags: the entry registers its own loader, and jest's or tsx's would differ.
    worker = new Worker(entry, { execArgv: [] })
  } catch (err) {
    fallBack(err)
    yield* readCsvRecords(source)
    return
  }
  live.add(worker)
  type Event = Exclude<FromWorker, { type: 'took' }> | { error: Error; type: 'crashed' }
  const events = createInbox<Event>()
  const byteWindow = createByteWindow(BYTES_IN_FLIGHT)
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'took') byteWindow.took()
    else events.push(message)
  })
  worker.on('error', (error) => events.push({ error, type: 'crashed' }))
  worker.on('exit', (code) => {
    live.delete(worker)
    events.push({ error: new Error(`it exited with code ${code}`), type: 'crashed' })
  })
  const timer = setTimeout(() => events.push({ error: new Error(`it did not start within ${startTimeoutMs} ms`), type: 'crashed' }), startTimeoutMs)

  // The upload is read from the start, while the thread loads: a stream that errors must have a
  // reader, and bytes that arrived stay readable. Until the thread is ready, messages are copied
  // (not transferred) and kept, so in-thread parsing can take over from them.
  let isReady = false
  let stopped = false
  const sent: Input[] = []
  const reader: Reader = { chunks: source[Symbol.asyncIterator](), packer: createChunkPacker() }
  const post = (message: Input) => {
    if (message.type === 'bytes') byteWindow.sent(message.buffer.byteLength)
    if (isReady) worker.postMessage(message, message.type === 'bytes' ? [message.buffer] : undefined)
    else {
      worker.postMessage(message)
      sent.push(message)
    }
  }
  const pumping = pump({ isStopped: () => stopped, post, reader, window: byteWindow }).catch((error: Error) => events.push({ error, type: 'crashed' }))
  try {
    const first = await events.take()
    clearTimeout(timer)
    if (first.type !== 'ready') {
      stopped = true
      byteWindow.close()
      await worker.terminate()
      fallBack(first.type === 'crashed' ? first.error : new Error(`it sent ${first.type} first`))
      await pumping
      yield* readCsvRecords(handedBack(sent, reader))
      return
    }
    isReady = true
    started += 1
    sent.length = 0
    for (;;) {
      const event = await events.take()
      if (event.type === 'items') {
        // Taken: the worker may parse one batch more while these are cast and written.
        worker.postMessage({ type: 'took' } satisfies ToWorker)
        yield* unpackBatch(event)
      } else if (event.type === 'done') return
      else if (event.type === 'failed') throw errorFrom(event)
      else if (event.type === 'crashed') throw new Error(`The CSV parsing thread stopped: ${event.error.message}`)
    }
  } finally {
    stopped = true
    clearTimeout(timer)
    byteWindow.close()
    await worker.terminate()
    live.delete(worker)
  }
}

export const readCsvRecordsInWorker = (source: AsyncIterable<Uint8Array>, options: ParseWorkerOptions = {}): AsyncIterable<CsvItem> => ({
  [Symbol.asyncIterator]: () => itemsInWorker(source, options),
})

/**
 * The items of an import's CSV: parsed in a worker thread or in this one, as
 * `CRM_IMPORT_PARSE_WORKER` says (`readImportParseWorker`).
 */
export const csvRecordsOf = ({ payload, source }: { payload: Payload; source: AsyncIterable<Uint8Array> }): AsyncIterable<CsvItem> =>
  readImportParseWorker()
    ? readCsvRecordsInWorker(source, { warn: (msg, err) => payload.logger.warn({ err, msg }) })
    : readCsvRecords(source)
