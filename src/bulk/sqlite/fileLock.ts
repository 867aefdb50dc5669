import path from 'node:path'
import { threadId } from 'node:worker_threads'

/**
 * One lock for every statement this process runs on a SQLite file, shared by the server's thread
 * and the bulk thread (a `SharedArrayBuffer`): Payload's libsql connection and the bulk layer's
 * better-sqlite3 connections bundle different copies of SQLite, whose POSIX locks do not see each
 * other within one process (docs/bulk.md), so without it a statement of one could run while the
 * other writes — two writers in the WAL at once. A statement on either side takes the lock for its
 * (synchronous) run; the other side waits. Counted per thread, so a statement started while this
 * thread already holds it (a nested call) does not wait for itself.
 */
export type FileLock = { acquire: () => void; readonly buffer: SharedArrayBuffer; release: () => void }

/** The value a thread writes into the lock's cell while it holds it (0: free). */
const holderTag = (thread: number) => thread + 1

/** A lock over `buffer` (a new one when omitted): the thread that starts another passes it the same buffer. */
export const createFileLock = (buffer = new SharedArrayBuffer(4)): FileLock => {
  const cell = new Int32Array(buffer)
  const tag = holderTag(threadId)
  let depth = 0
  return {
    acquire: () => {
      if (depth++ > 0) return
      // 0 free, else the holder's tag; a waiter sleeps until notified (or re-checks every 50 ms).
      for (let held = Atomics.compareExchange(cell, 0, 0, tag); held !== 0; held = Atomics.compareExchange(cell, 0, 0, tag)) {
        Atomics.wait(cell, 0, held, 50)
      }
    },
    buffer,
    release: () => {
      if (depth === 0 || --depth > 0) return
      Atomics.store(cell, 0, 0)
      Atomics.notify(cell, 0, 1)
    },
  }
}

/**
 * Frees the lock if the thread `deadThreadId` still held it when it ended (a thread that dies
 * during a statement never releases it, and every statement of the process would wait forever).
 */
export const releaseLockOfDeadThread = (lock: FileLock, deadThreadId: number): void => {
  const cell = new Int32Array(lock.buffer)
  if (Atomics.compareExchange(cell, 0, holderTag(deadThreadId), 0) === holderTag(deadThreadId)) Atomics.notify(cell, 0, 1)
}

const REGISTRY = Symbol.for('mini-crm.sqliteFileLocks')

/**
 * This thread's lock on a database file: one per file for the whole process, whichever Payload
 * instance (or bundled copy of this module) asks, so two instances on one file still take turns.
 */
export const fileLockFor = (filePath: string): FileLock => {
  const scope = globalThis as { [REGISTRY]?: Map<string, FileLock> }
  const locks = (scope[REGISTRY] ??= new Map())
  const key = path.resolve(filePath)
  let lock = locks.get(key)
  if (!lock) locks.set(key, (lock = createFileLock()))
  return lock
}

type LibsqlLike = Record<string, unknown>

const GUARDED = ['execute', 'batch', 'migrate', 'executeMultiple'] as const
const guarded = new WeakSet<object>()

/**
 * Makes every statement of a libsql client (Payload's SQLite adapter's) take `lock` while it runs.
 * The local-file client runs each call's statements synchronously before its promise settles, so
 * the lock is released as soon as the call returns. (`transaction()` is left alone: its object runs
 * statements across awaits; Payload's SQLite adapter runs without transactions, so it opens none.)
 */
export const guardLibsqlClient = (client: LibsqlLike, lock: FileLock): void => {
  if (guarded.has(client)) return
  guarded.add(client)
  for (const name of GUARDED) {
    const original = client[name]
    if (typeof original !== 'function') continue
    client[name] = function (this: unknown, ...args: unknown[]) {
      lock.acquire()
      try {
        return (original as (...a: unknown[]) => unknown).apply(this, args)
      } finally {
        lock.release()
      }
    }
  }
}
