import type { Payload } from 'payload'

import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

import type { FromWorker } from './csvWorkerProtocol.js'
import type { CsvItem } from './readCsvRecords.js'

import { readImportParseWorker } from '../../env.js'
import { BYTES_IN_FLIGHT, BYTES_PER_MESSAGE, createChunkPacker, createCredits, createInbox, unpackBatch } from './csvWorkerProtocol.js'
import { CsvInputError, CsvUploadError, readCsvRecords } from './readCsvRecords.js'

/**
 * `readCsvRecords` in a worker thread: the same items, in the same order, with the same errors, but
 * decoding and csv-parse run on another core while this thread casts and writes. The upload is
 * read here and its chunks handed over (`csvWorkerProtocol.ts`: a few chunks per message, at most
 * `BYTES_IN_FLIGHT` messages the worker has not taken), and the worker parses at most
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

// Threads alive now (tests check none is left behind).
const live = new Set<Worker>()
/** How many CSV parsing threads are running. */
export const liveParseWorkers = (): number => live.size

const startWorker = (entry: string, timeoutMs: number): Promise<Worker> =>
  new Promise<Worker>((resolve, reject) => {
    // No inherited flags: the entry registers its own loader, and jest's or tsx's would differ.
    const worker = new Worker(entry, { execArgv: [] })
    live.add(worker)
    const fail = (err: unknown) => {
      clearTimeout(timer)
      worker.off('message', onMessage)
      worker.off('exit', onExit)
      void worker.terminate()
      live.delete(worker)
      reject(err)
    }
    const timer = setTimeout(() => fail(new Error(`it did not start within ${timeoutMs} ms`)), timeoutMs)
    const onMessage = (message: FromWorker) => {
      if (message.type !== 'ready') return
      clearTimeout(timer)
      worker.off('message', onMessage)
      worker.off('error', fail)
      worker.off('exit', onExit)
      resolve(worker)
    }
    const onExit = (code: number) => fail(new Error(`it exited with code ${code} before it was ready`))
    worker.on('message', onMessage)
    worker.once('error', fail)
    worker.once('exit', onExit)
  })

const IDLE = Symbol('idle')
const idle = () => new Promise<typeof IDLE>((resolve) => setImmediate(resolve, IDLE))

/**
 * Reads the upload into the worker: waits for a free credit, then for a chunk, then adds what the
 * upload has ready without waiting (up to `BYTES_PER_MESSAGE`) and sends it as one message.
 */
const pump = async ({
  credits,
  isStopped,
  post,
  source,
}: {
  credits: ReturnType<typeof createCredits>
  isStopped: () => boolean
  post: (message: object, transfer?: ArrayBuffer[]) => void
  source: AsyncIterable<Uint8Array>
}): Promise<void> => {
  const chunks = source[Symbol.asyncIterator]()
  const packer = createChunkPacker()
  const send = () => {
    const message = packer.take()
    post(message, [message.buffer])
  }
  let pending: Promise<IteratorResult<Uint8Array>> | undefined
  for (;;) {
    if (!(await credits.acquire())) return
    for (;;) {
      pending ??= chunks.next()
      let next: IteratorResult<Uint8Array>
      try {
        if (packer.isEmpty) next = await pending
        else {
          const first = await Promise.race([pending, idle()])
          if (first === IDLE) break
          next = first
        }
      } catch (err) {
        if (isStopped()) return
        if (!packer.isEmpty) send()
        post({ message: err instanceof Error ? err.message : undefined, type: 'broke' })
        return
      }
      pending = undefined
      if (isStopped()) return
      if (next.done) {
        if (!packer.isEmpty) send()
        post({ type: 'end' })
        return
      }
      if (next.value.byteLength > 0) packer.add(next.value)
      if (packer.bytes >= BYTES_PER_MESSAGE) break
    }
    send()
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
  let worker: Worker
  try {
    worker = await startWorker(entry, startTimeoutMs)
  } catch (err) {
    warn?.(`The CSV parsing thread could not start (${err instanceof Error ? err.message : String(err)}): parsing in the import's thread.`, err)
    yield* readCsvRecords(source)
    return
  }
  type Event = Exclude<FromWorker, { type: 'ready' | 'took' }> | { error: Error; type: 'crashed' }
  const events = createInbox<Event>()
  const byteCredits = createCredits(BYTES_IN_FLIGHT)
  let stopped = false
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'took') byteCredits.release()
    else if (message.type !== 'ready') events.push(message)
  })
  worker.on('error', (error) => events.push({ error, type: 'crashed' }))
  worker.on('exit', (code) => {
    live.delete(worker)
    byteCredits.close()
    events.push({ error: new Error(`it exited with code ${code}`), type: 'crashed' })
  })
  void pump({ credits: byteCredits, isStopped: () => stopped, post: (message, transfer) => worker.postMessage(message, transfer), source }).catch((error: Error) =>
    events.push({ error, type: 'crashed' }),
  )
  try {
    for (;;) {
      const event = await events.take()
      if (event.type === 'items') {
        // Taken: the worker may parse one batch more while these are cast and written.
        worker.postMessage({ type: 'took' })
        yield* unpackBatch(event)
      } else if (event.type === 'done') return
      else if (event.type === 'failed') throw errorFrom(event)
      else throw new Error(`The CSV parsing thread stopped: ${event.error.message}`)
    }
  } finally {
    stopped = true
    byteCredits.close()
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
