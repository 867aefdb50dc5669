import { parentPort, workerData } from 'node:worker_threads'

import type { BulkThreadData, FromBulkThread, ToBulkThread } from './bulkThreadProtocol.js'

import { unshareLongStrings } from './bulkThreadProtocol.js'
import { BetterSqliteBulkClient } from './driver.js'
import { createFileLock } from './fileLock.js'

/**
 * The bulk layer's SQLite thread (started by `ThreadedSqliteBulkClient` through `bulkThread.cjs`):
 * one better-sqlite3 connection on the database file, running the statements it is sent one call
 * at a time, in the order they came, each to completion (a batch is one transaction), so the
 * server's own thread handles HTTP, JSON and the next batch meanwhile.
 */
const port = parentPort
if (!port) throw new Error('bulkThread runs in a worker thread')
const send = (message: FromBulkThread) => port.postMessage(message)

const errorOf = (err: unknown) => {
  const { code, message } = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown }
  return { code: typeof code === 'string' ? code : 'SQLITE_ERROR', message: typeof message === 'string' ? message : String(err) }
}

const data = workerData as BulkThreadData
// Each call runs holding the process's lock on the file (Payload's libsql connection waits meanwhile).
const lock = createFileLock(data.lock)
let client: BetterSqliteBulkClient
try {
  client = new BetterSqliteBulkClient(data.filePath)
} catch (err) {
  send({ message: errorOf(err).message, type: 'failed' })
  throw err
}

port.on('message', (message: ToBulkThread) => {
  if (message.op === 'close') {
    client.close()
    port.close()
    return
  }
  lock.acquire()
  try {
    if (message.op === 'execute') send({ id: message.id, result: client.executeSync(message.statement), type: 'result' })
    else send({ id: message.id, results: client.batchSync(unshareLongStrings(message.statements), message.mode), type: 'results' })
  } catch (err) {
    send({ error: errorOf(err), id: message.id, type: 'error' })
  } finally {
    lock.release()
  }
})
send({ type: 'ready' })
