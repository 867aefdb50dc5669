import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

import type { LibsqlClientLike, LibsqlResult, LibsqlStatement } from '../connection.js'
import type { BulkThreadData, FromBulkThread, ToBulkThread } from './bulkThreadProtocol.js'
import type { FileLock } from './fileLock.js'

import { shareLongStrings } from './bulkThreadProtocol.js'
import { BetterSqliteBulkClient, SqliteBulkError } from './driver.js'
import { createFileLock, releaseLockOfDeadThread } from './fileLock.js'

/** `bulkThread.cjs` beside this file (a path, not `new URL`, so no bundler rewrites it). */
const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bulkThread.cjs')

export type BulkThreadOptions = {
  /** The thread's entry module (tests: one that cannot start). @default bulkThread.cjs */
  entry?: string
  /** The process's lock on the file (`fileLock.ts`), which the thread takes for each call. @default a new one */
  lock?: FileLock
  /** How long the thread may take to open the database before statements stay in this thread. @default 30 s */
  startTimeoutMs?: number
  /** Told when the thread could not start, or stopped, and statements run in this thread from then on. */
  warn?: (message: string, err?: unknown) => void
}

type Call = { reject: (err: unknown) => void; resolve: (value: LibsqlResult | LibsqlResult[]) => void }

// Threads started and not closed (tests check none is left behind).
let live = 0
/** Bulk SQLite threads open now. */
export const liveBulkThreads = (): number => live

/**
 * The bulk layer's SQLite connection in a worker thread: the same `batch`/`execute` as
 * `BetterSqliteBulkClient`, but the statements run on another core (`bulkThread.ts`), one call at a
 * time in the order they were made, while this thread goes on with HTTP, JSON and the next batch.
 * A `batch` is still one transaction that nothing else of the bulk layer interleaves with.
 *
 * A better-sqlite3 connection is also opened in this thread at once: it anchors the database file
 * for the process (connection.ts, `openBulkConnections`) and runs the statements when the thread
 * cannot start within `startTimeoutMs` (a bundler that moved this file, say) or stops: `warn` is
 * told, and nothing fails for it. Calls in flight when a thread stops fail (their statement may or
 * may not have been applied, as when a connection drops).
 */
export class ThreadedSqliteBulkClient implements LibsqlClientLike {
  private readonly calls = new Map<number, Call>()
  private closed = false
  private readonly local: BetterSqliteBulkClient
  private nextId = 1
  private readonly started: Promise<void>
  private state: 'local' | 'ready' | 'starting' = 'starting'
  private worker?: Worker

  /** The lock the thread takes for each call: give it to every other library's connection on the file (`guardLibsqlClient`). */
  readonly lock: FileLock

  constructor(filePath: string, { entry = ENTRY, lock = createFileLock(), startTimeoutMs = 30_000, warn }: BulkThreadOptions = {}) {
    this.lock = lock
    this.local = new BetterSqliteBulkClient(filePath)
    this.started = new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined
      let worker: undefined | Worker
      const toLocal = (why: string, err?: unknown) => {
        if (this.state !== 'starting') return
        this.state = 'local'
        clearTimeout(timer)
        if (worker) void worker.terminate().finally(() => (live -= 1))
        if (!this.closed) warn?.(`The bulk SQLite thread did not start (${why}): bulk statements run in the server's own thread`, err)
        resolve()
      }
      try {
        worker = new Worker(entry, { workerData: { filePath, lock: lock.buffer } satisfies BulkThreadData })
        live += 1
      } catch (err) {
        toLocal((err as Error).message, err)
        return
      }
      const started = worker
      timer = setTimeout(() => toLocal(`not ready after ${startTimeoutMs} ms`), startTimeoutMs)
      timer.unref()
      started.on('message', (message: FromBulkThread) => {
        if (message.type === 'ready') {
          if (this.state !== 'starting') return
          clearTimeout(timer)
          this.state = 'ready'
          this.worker = started
          // Only a call in flight keeps the process alive (see `call`).
          started.unref()
          resolve()
          if (this.closed) this.closeThread()
          return
        }
        if (message.type === 'failed') {
          toLocal(message.message)
          return
        }
        const call = this.calls.get(message.id)
        if (!call) return
        this.calls.delete(message.id)
        if (this.calls.size === 0) started.unref()
        if (message.type === 'error') call.reject(new SqliteBulkError(message.error.message, message.error.code, undefined))
        else call.resolve(message.type === 'result' ? message.result : message.results)
      })
      started.on('error', (err) => (this.state === 'starting' ? toLocal(err.message, err) : this.stopped(err)))
      const startedThreadId = started.threadId
      started.on('exit', (code) => {
        releaseLockOfDeadThread(lock, startedThreadId)
        if (this.state === 'starting') toLocal(`it exited with code ${code}`)
        else if (this.worker === started) this.stopped(new Error(`the bulk SQLite thread exited with code ${code}`))
      })
    })
  }

  /** The thread stopped after it started: calls in flight fail, later ones run in this thread. */
  private stopped(err: Error): void {
    if (this.worker) live -= 1
    this.worker = undefined
    this.state = 'local'
    for (const call of this.calls.values()) call.reject(new Error(`The bulk SQLite thread stopped during a statement (${err.message}); it may or may not have been applied`, { cause: err }))
    this.calls.clear()
  }

  /** Whether statements run in the worker thread (false until it is ready, and after it fell back). */
  get threaded(): boolean {
    return this.state === 'ready'
  }

  /** Resolves once the thread is ready or statements stay in this thread (tests, start-up). */
  whenStarted(): Promise<void> {
    return this.started
  }

  private async call<T extends LibsqlResult | LibsqlResult[]>(message: Exclude<ToBulkThread, { op: 'close' }>, local: () => T): Promise<T> {
    if (this.state === 'starting') await this.started
    const worker = this.worker
    if (this.state !== 'ready' || !worker) {
      // In this thread: still under the file's lock (another instance's thread may write the same file).
      this.lock.acquire()
      try {
        return local()
      } finally {
        this.lock.release()
      }
    }
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++
      // A call in flight keeps the process alive, like a socket with a request out.
      if (this.calls.size === 0) worker.ref()
      this.calls.set(id, { reject, resolve: resolve as Call['resolve'] })
      worker.postMessage({ ...message, id })
    })
  }

  batch(statements: LibsqlStatement[], mode: 'deferred' | 'read' | 'write' = 'deferred'): Promise<LibsqlResult[]> {
    return this.call({ id: 0, mode, op: 'batch', statements: shareLongStrings(statements) }, () => this.local.batchSync(statements, mode))
  }

  execute(statement: LibsqlStatement): Promise<LibsqlResult> {
    return this.call({ id: 0, op: 'execute', statement }, () => this.local.executeSync(statement))
  }

  private closeThread(): void {
    const worker = this.worker
    if (!worker) return
    this.worker = undefined
    this.state = 'local'
    live -= 1
    // After the calls already sent (the thread takes them in order), it closes its connection and ends.
    worker.postMessage({ op: 'close' } satisfies ToBulkThread)
  }

  /** Closes both connections: the thread's after the statements already sent to it. */
  close(): void {
    this.closed = true
    this.closeThread()
    this.local.close()
  }
}
