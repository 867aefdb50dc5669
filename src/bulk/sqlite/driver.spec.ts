import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { BetterSqliteBulkClient, SqliteBulkError, sqliteFileOf } from './driver.js'
import { ThreadedSqliteBulkClient } from './threadClient.js'

describe('sqliteFileOf', () => {
  it('should give the path of a plain file URL and null for anything a second connection would not share', () => {
    expect(sqliteFileOf('file:/data/crm.db')).toBe('/data/crm.db')
    expect(sqliteFileOf('file:///data/crm.db')).toBe('/data/crm.db')
    expect(sqliteFileOf('file:./data/crm.db')).toBe('./data/crm.db')
    expect(sqliteFileOf('file::memory:')).toBeNull()
    expect(sqliteFileOf(':memory:')).toBeNull()
    expect(sqliteFileOf('libsql://example.turso.io')).toBeNull()
    expect(sqliteFileOf('file:/data/crm.db?mode=ro')).toBeNull()
    expect(sqliteFileOf(undefined)).toBeNull()
  })
})

type Client = { batch: BetterSqliteBulkClient['batch']; close: () => void; execute: BetterSqliteBulkClient['execute'] }

// The same behaviour in the server's own thread and in the bulk thread (threadClient.ts).
describe.each([
  ['BetterSqliteBulkClient', (file: string): Client => new BetterSqliteBulkClient(file)],
  ['ThreadedSqliteBulkClient', (file: string): Client => new ThreadedSqliteBulkClient(file, { warn: (message) => { throw new Error(message) } })],
])('%s', (_name, open) => {
  let dir: string
  let client: Client

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'crm-driver-'))
    client = open(path.join(dir, 'test.db'))
    await client.execute({ args: [], sql: `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, flag INTEGER, at INTEGER)` })
  })

  afterEach(() => {
    client.close()
    rmSync(dir, { force: true, recursive: true })
  })

  it('should bind numbered placeholders by number and convert booleans and dates as libsql does', async () => {
    const at = new Date('2025-01-02T03:04:05.000Z')
    await client.execute({ args: ['a', true, at], sql: `INSERT INTO t (name, flag, at) VALUES (?1, ?2, ?3)` })
    await client.execute({ args: ['b', false, null], sql: `INSERT INTO t (name, flag, at) VALUES (?, ?, ?)` })
    const { rows } = await client.execute({ args: [], sql: `SELECT name, flag, at FROM t ORDER BY id` })
    expect(rows).toEqual([
      { at: at.valueOf(), flag: 1, name: 'a' },
      { at: null, flag: 0, name: 'b' },
    ])
    // A numbered parameter used twice takes one value.
    const same = await client.execute({ args: ['x'], sql: `SELECT ?1 AS one, ?1 AS two` })
    expect(same.rows).toEqual([{ one: 'x', two: 'x' }])
  })

  it('should count changed rows for writes, returned rows for writes with RETURNING, none for reads', async () => {
    const insert = await client.execute({ args: [JSON.stringify(['a', 'b', 'c'])], sql: `INSERT INTO t (name) SELECT value FROM json_each(?1)` })
    expect(insert.rowsAffected).toBe(3)
    const returning = await client.execute({ args: [], sql: `UPDATE t SET flag = 1 WHERE name <> 'a' RETURNING id` })
    expect(returning).toMatchObject({ rowsAffected: 2 })
    expect(returning.rows).toHaveLength(2)
    expect((await client.execute({ args: [], sql: `SELECT * FROM t` })).rowsAffected).toBe(0)
  })

  it('should run a statement with onlyIf only when the statement it names returned a row', async () => {
    await client.execute({ args: [], sql: `INSERT INTO t (name) VALUES ('a')` })
    const found = `SELECT id FROM t WHERE name = ?1`
    const mark = `UPDATE t SET flag = 1 WHERE name = ?1`
    const results = await client.batch(
      [
        { args: ['a'], sql: found },
        { args: ['a'], onlyIf: 0, sql: mark },
        { args: ['zz'], sql: found },
        // Skipped: statement 2 found nothing. Unconditioned, it would insert a row.
        { args: [], onlyIf: 2, sql: `INSERT INTO t (name) VALUES ('skipped')` },
        { args: [], sql: `INSERT INTO t (name) VALUES ('b')` },
      ],
      'write',
    )
    expect(results.map((result) => result.rowsAffected)).toEqual([0, 1, 0, 0, 1])
    expect(results[3]).toEqual({ rows: [], rowsAffected: 0 })
    const { rows } = await client.execute({ args: [], sql: `SELECT name, flag FROM t ORDER BY id` })
    expect(rows).toEqual([
      { flag: 1, name: 'a' },
      { flag: null, name: 'b' },
    ])
  })

  it('should roll a write batch back whole and throw an Error with SQLite\'s message and code', async () => {
    const failure = await client
      .batch(
        [
          { args: ['kept?'], sql: `INSERT INTO t (name) VALUES (?)` },
          { args: [null], sql: `INSERT INTO t (name) VALUES (?)` },
        ],
        'write',
      )
      .catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(Error)
    expect(failure).toBeInstanceOf(SqliteBulkError)
    expect(failure).toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL', message: 'NOT NULL constraint failed: t.name' })
    expect((await client.execute({ args: [], sql: `SELECT COUNT(*) AS n FROM t` })).rows).toEqual([{ n: 0 }])
    // The connection is usable after the failure, and a good batch commits.
    await client.batch([{ args: ['ok'], sql: `INSERT INTO t (name) VALUES (?)` }], 'write')
    expect((await client.execute({ args: [], sql: `SELECT name FROM t` })).rows).toEqual([{ name: 'ok' }])
  })

  it('should report a statement it cannot prepare as an Error too', async () => {
    await expect(client.execute({ args: [], sql: `SELEC 1` })).rejects.toThrow(/syntax error/)
  })
})
