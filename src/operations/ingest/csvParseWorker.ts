import { parentPort } from 'node:worker_threads'

import type { FromWorker, ToWorker } from './csvWorkerProtocol.js'

import { BATCHES_IN_FLIGHT, createBatchPacker, createCredits, createInbox, unpackChunks } from './csvWorkerProtocol.js'
import { readCsvRecords } from './readCsvRecords.js'

/**
 * The CSV parsing thread of an import (started by `readCsvRecordsInWorker` through
 * `csvParseWorker.cjs`): the upload's chunks come in, `readCsvRecords` — the same code as in the
 * thread — turns them into items, and the items go back in batches. It takes the next chunk
 * message only when the parser asks for bytes, and sends a batch only while fewer than
 * `BATCHES_IN_FLIGHT` are untaken, so it parses at most a few batches ahead of the database.
 */
const port = parentPort
if (!port) throw new Error('csvParseWorker runs in a worker thread')

const send = (message: FromWorker) => port.postMessage(message)

type Input = Exclude<ToWorker, { type: 'took' }>
const input = createInbox<Input>()
const credits = createCredits(BATCHES_IN_FLIGHT)

/** The upload as the parser reads it: the chunks of each message in order; a break rethrown as it came. */
async function* upload(): AsyncGenerator<Uint8Array> {
  for (;;) {
    const message = await input.take()
    if (message.type === 'end') return
    if (message.type === 'broke') throw message.message === undefined ? 'the upload failed' : new Error(message.message)
    send({ type: 'took' })
    yield* unpackChunks(message)
  }
}

const packer = createBatchPacker()
const flush = () => send({ type: 'items', ...packer.take() })
// A batch that is not full yet goes out as soon as the parser has nothing more at hand (it waits
// for bytes), if a credit is free: the import never waits for items the parser already has.
let idleArmed = false
const armIdle = () => {
  if (idleArmed) return
  idleArmed = true
  setImmediate(() => {
    idleArmed = false
    if (!packer.isEmpty && credits.tryAcquire()) flush()
  })
}
port.on('message', (message: ToWorker) => {
  if (message.type !== 'took') input.push(message)
  else {
    credits.release()
    if (!packer.isEmpty) armIdle()
  }
})
const flushWhenFree = async () => {
  if (await credits.acquire()) flush()
}

const run = async () => {
  try {
    for await (const item of readCsvRecords(upload())) {
      packer.add(item)
      if (packer.isFull) await flushWhenFree()
      else armIdle()
    }
    if (!packer.isEmpty) await flushWhenFree()
    send({ type: 'done' })
  } catch (err) {
    if (!packer.isEmpty) await flushWhenFree()
    send({ message: err instanceof Error ? err.message : String(err), name: err instanceof Error ? err.name : 'Error', type: 'failed' })
  }
}

send({ type: 'ready' })
// No top-level await: the entry loads this module through tsx's require hook (CommonJS).
void run()
