import path from 'node:path'
import { threadId, Worker } from 'node:worker_threads'

import { createFileLock, fileLockFor, guardLibsqlClient } from './fileLock.js'

// A thread that takes the lock over the buffer it is given, says so, and lets it go 500 ms later on its own.
const HOLDER = `
const { parentPort, threadId, workerData } = require('node:worker_threads')
const cell = new Int32Array(workerData)
while (Atomics.compareExchange(cell, 0, 0, threadId + 1) !== 0) Atomics.wait(cell, 0, Atomics.load(cell, 0), 50)
parentPort.postMessage('acquired')
setTimeout(() => { Atomics.store(cell, 0, 0); Atomics.notify(cell, 0, 1); parentPort.postMessage('released') }, 500)
`

const next = (worker: Worker) => new Promise<string>((resolve) => worker.once('message', resolve))

describe('createFileLock', () => {
  it('should make another thread wait while this one holds it, and this one while the other does', async () => {
    const lock = createFileLock()
    lock.acquire()
    const worker = new Worker(HOLDER, { eval: true, workerData: lock.buffer })
    try {
      const acquired = next(worker)
      const early = await Promise.race([acquired, new Promise((resolve) => setTimeout(resolve, 200, 'still waiting'))])
      expect(early).toBe('still waiting')
      lock.release()
      expect(await acquired).toBe('acquired')
      // Now the other thread holds it: this one waits (blocking) until it lets go, ~500 ms later.
      const released = next(worker)
      const started = performance.now()
      lock.acquire()
      expect(performance.now() - started).toBeGreaterThan(150)
      expect(await released).toBe('released')
      lock.release()
    } finally {
      await worker.terminate()
    }
  })

  it('should count nested holds in one thread and free the lock at the outermost release', () => {
    const lock = createFileLock()
    const cell = new Int32Array(lock.buffer)
    lock.acquire()
    lock.acquire()
    lock.release()
    expect(Atomics.load(cell, 0)).toBe(threadId + 1)
    lock.release()
    expect(Atomics.load(cell, 0)).toBe(0)
    lock.release() // an extra release changes nothing
    expect(Atomics.load(cell, 0)).toBe(0)
  })

  it('should hold the lock for exactly the synchronous part of each guarded client call', async () => {
    const lock = createFileLock()
    const cell = new Int32Array(lock.buffer)
    const seen: number[] = []
    const client: Record<string, unknown> = {
      batch: async () => seen.push(Atomics.load(cell, 0)),
      execute: async () => {
        seen.push(Atomics.load(cell, 0))
        throw new Error('refused')
      },
      transaction: async () => seen.push(Atomics.load(cell, 0)),
    }
    guardLibsqlClient(client, lock)
    guardLibsqlClient(client, lock) // twice: still one guard
    await (client.batch as () => Promise<unknown>)()
    await expect((client.execute as () => Promise<unknown>)()).rejects.toThrow('refused')
    await (client.transaction as () => Promise<unknown>)()
    expect(seen).toEqual([threadId + 1, threadId + 1, 0])
    expect(Atomics.load(cell, 0)).toBe(0)
  })

  it('should give one lock per database file for the whole process', () => {
    const file = path.join(process.cwd(), 'data', 'lock-test.db')
    expect(fileLockFor(file)).toBe(fileLockFor(path.relative(process.cwd(), file)))
    expect(fileLockFor(file)).not.toBe(fileLockFor(`${file}-other`))
  })
})
