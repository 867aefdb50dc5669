import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { SqliteBulkError } from './driver.js'
import { liveBulkThreads, ThreadedSqliteBulkClient } from './threadClient.js'

describe('ThreadedSqliteBulkClient', () => {
  let dir: string
  let file: string
  const clients: ThreadedSqliteBulkClient[] = []
  const open = (options?: ConstructorParameters<typeof ThreadedSqliteBulkClient>[1]) => {
    const client = new ThreadedSqliteBulkClient(file, options)
    clients.push(client)
    return client
  }
  /** A thread entry of the test's own (CommonJS, no loader needed). */
  const entry = (name: string, code: string) => {
    const at = path.join(dir, name)
    writeFileSync(at, code)
    return at
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'crm-thread-'))
    file = path.join(dir, 'test.db')
  })

  afterEach(() => {
    for (const client of clients.splice(0)) client.close()
    rmSync(dir, { force: true, recursive: true })
  })

  it('should run statements in its thread, answering calls in the order they were made', async () => {
    const client = open()
    await client.whenStarted()
    expect(client.threaded).toBe(true)
    await client.execute({ args: [], sql: `CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)` })
    // Many calls in flight at once: every insert lands, and each read sees exactly the writes made before it.
    const calls = Array.from({ length: 50 }, (_, i) =>
      i % 5 === 4
        ? client.execute({ args: [], sql: `SELECT COUNT(*) AS n FROM t` })
        : client.execute({ args: [i], sql: `INSERT INTO t (n) VALUES (?)` }),
    )
    const results = await Promise.all(calls)
    results.forEach((result, i) => {
      if (i % 5 === 4) expect(result.rows).toEqual([{ n: i - Math.floor(i / 5) }])
      else expect(result.rowsAffected).toBe(1)
    })
  })

  it('should run a write batch as one transaction that a call made meanwhile does not see half-done', async () => {
    const client = open()
    await client.execute({ args: [], sql: `CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)` })
    const inserts = Array.from({ length: 200 }, (_, i) => ({ args: [i], sql: `INSERT INTO t (n) VALUES (?)` }))
    const [batch, count] = await Promise.all([client.batch(inserts, 'write'), client.execute({ args: [], sql: `SELECT COUNT(*) AS n FROM t` })])
    expect(batch).toHaveLength(200)
    expect(count.rows).toEqual([{ n: 200 }])
    // A failing batch leaves nothing behind and the error keeps SQLite's code across the thread boundary.
    const failure = await client.batch([inserts[0]!, { args: [null], sql: `INSERT INTO t (n) VALUES (?)` }], 'write').catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(SqliteBulkError)
    expect(failure).toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' })
    expect((await client.execute({ args: [], sql: `SELECT COUNT(*) AS n FROM t` })).rows).toEqual([{ n: 200 }])
  })

  it('should run statements in this thread, and say why, when the thread cannot start', async () => {
    const warnings: string[] = []
    const client = open({ entry: entry('broken.cjs', `throw new Error('no loader here')`), warn: (message) => warnings.push(message) })
    await client.whenStarted()
    expect(client.threaded).toBe(false)
    expect(warnings).toEqual([expect.stringMatching(/did not start \(no loader here\)/)])
    await client.execute({ args: [], sql: `CREATE TABLE t (n INTEGER)` })
    expect((await client.execute({ args: [7], sql: `INSERT INTO t VALUES (?)` })).rowsAffected).toBe(1)
    expect((await client.execute({ args: [], sql: `SELECT n FROM t` })).rows).toEqual([{ n: 7 }])
  })

  it('should give up on a thread that never gets ready after its start timeout', async () => {
    const warnings: string[] = []
    const client = open({
      entry: entry('silent.cjs', `setInterval(() => {}, 1000)`),
      startTimeoutMs: 200,
      warn: (message) => warnings.push(message),
    })
    expect((await client.execute({ args: [], sql: `SELECT 1 AS one` })).rows).toEqual([{ one: 1 }])
    expect(client.threaded).toBe(false)
    expect(warnings).toEqual([expect.stringMatching(/not ready after 200 ms/)])
  })

  it('should fail the call in flight when the thread dies, and run later calls in this thread', async () => {
    const client = open({
      entry: entry('dies.cjs', `const { parentPort } = require('node:worker_threads'); parentPort.on('message', () => process.exit(3)); parentPort.postMessage({ type: 'ready' })`),
    })
    await client.whenStarted()
    expect(client.threaded).toBe(true)
    await expect(client.execute({ args: [], sql: `SELECT 1` })).rejects.toThrow(/thread stopped during a statement .*exited with code 3.*may or may not have been applied/)
    expect(client.threaded).toBe(false)
    expect((await client.execute({ args: [], sql: `SELECT 2 AS two` })).rows).toEqual([{ two: 2 }])
  })

  it('should free the file lock of a thread that died holding it', async () => {
    // Dies in the middle of a call, the lock taken (as a crash during a statement would leave it).
    const client = open({
      entry: entry(
        'dies-holding.cjs',
        `const { parentPort, threadId, workerData } = require('node:worker_threads')
         const cell = new Int32Array(workerData.lock)
         parentPort.on('message', () => { Atomics.store(cell, 0, threadId + 1); process.exit(4) })
         parentPort.postMessage({ type: 'ready' })`,
      ),
    })
    await client.whenStarted()
    await expect(client.execute({ args: [], sql: `SELECT 1` })).rejects.toThrow(/exited with code 4/)
    // This thread takes the same lock for its statements now: it must not wait forever.
    expect((await client.execute({ args: [], sql: `SELECT 3 AS three` })).rows).toEqual([{ three: 3 }])
    expect(Atomics.load(new Int32Array(client.lock.buffer), 0)).toBe(0)
  })

  it('should end its thread on close, after the calls already made', async () => {
    const before = liveBulkThreads()
    const client = open()
    await client.whenStarted()
    expect(liveBulkThreads()).toBe(before + 1)
    await client.execute({ args: [], sql: `CREATE TABLE t (n INTEGER)` })
    const last = client.execute({ args: [1], sql: `INSERT INTO t VALUES (?)` })
    client.close()
    expect((await last).rowsAffected).toBe(1)
    expect(liveBulkThreads()).toBe(before)
    // Closed while it was still starting: the thread ends as soon as it is ready.
    const early = open()
    early.close()
    await early.whenStarted()
    expect(liveBulkThreads()).toBe(before)
  })
})
