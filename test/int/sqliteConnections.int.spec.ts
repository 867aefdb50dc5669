import type { TestPayload } from '../helpers/bootPayload.js'

import Database from 'better-sqlite3'
import os from 'node:os'

import { runSql, upsertCustomers } from '../../src/bulk/index.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { sql } from 'drizzle-orm'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { currentTestDb } from '../helpers/testDb.js'

/**
 * SQLite: Payload's adapter (libsql) and the bulk data plane (better-sqlite3) open one database file
 * from one process, each with its own copy of SQLite. Their POSIX locks do not see each other, so a
 * better-sqlite3 connection that closes while it is its library's last one takes itself for the
 * file's last user and deletes the WAL under libsql: libsql then reads an old snapshot and writes to
 * an unlinked file. The bulk layer opens its connection at start-up and keeps it until Payload has
 * closed (src/bulk/connection.ts). These tests fail when it is opened lazily instead.
 */
const sqliteOnly = currentTestDb() === 'sqlite' ? it : it.skip

describe('one SQLite file, two SQLite libraries in one process', () => {
  let t: TestPayload

  beforeAll(async () => {
    t = await bootTestPayload('sqlite-connections')
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  const filePath = () => (parseDatabaseUrl({ dataDir: os.tmpdir(), url: t.url }) as { filePath: string }).filePath

  sqliteOnly('should keep what the bulk layer writes visible to Payload after another better-sqlite3 connection opens and closes', async () => {
    // What the job runtime, a script or a test helper does: open the same file, write, close.
    const other = new Database(filePath())
    other.prepare(`CREATE TABLE IF NOT EXISTS crm_probe (x INTEGER)`).run()
    other.close()

    await upsertCustomers({ payload: t.payload, rows: [{ email: 'after-close@example.com', name: 'After Close' }] })
    const viaPayload = await t.payload.find({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'after-close@example.com' } } })
    expect(viaPayload.docs.map((doc) => doc.name)).toEqual(['After Close'])

    // And the other way round: a document Payload writes is seen by the bulk layer's connection.
    await t.payload.create({ collection: 'customers', data: { email: 'by-payload@example.com', name: 'By Payload' } as never, overrideAccess: true })
    const viaBulk = await runSql<{ n: number }>({ payload: t.payload, query: sql`SELECT COUNT(*) AS n FROM customers WHERE email IN ('after-close@example.com', 'by-payload@example.com')` })
    expect(Number(viaBulk[0]!.n)).toBe(2)

    // The WAL libsql writes to is still the file's: a fresh connection sees both rows.
    const fresh = new Database(filePath(), { readonly: true })
    const seen = fresh.prepare(`SELECT email FROM customers WHERE email LIKE '%@example.com' ORDER BY email`).all() as { email: string }[]
    fresh.close()
    expect(seen.map((row) => row.email)).toEqual(['after-close@example.com', 'by-payload@example.com'])
  })

  sqliteOnly('should lose nothing when Payload and the bulk thread write at the same time', async () => {
    // The bulk layer's statements run in a worker thread while Payload's run in this one: without the
    // process's lock on the file (src/bulk/sqlite/fileLock.ts), the two libraries' writers overlap.
    const bulk = Array.from({ length: 12 }, (_, b) =>
      upsertCustomers({ payload: t.payload, rows: Array.from({ length: 500 }, (_, i) => ({ city: 'Goa', email: `thread-${b}-${i}@example.com`, tags: ['bulk'] })) }),
    )
    const created: Promise<unknown>[] = []
    for (let i = 0; i < 150; i++) {
      created.push(t.payload.create({ collection: 'customers', data: { email: `payload-${i}@example.com`, name: `P ${i}` } as never, overrideAccess: true }))
      if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    await Promise.all([...bulk, ...created])
    const viaPayload = await t.payload.count({ collection: 'customers', overrideAccess: true, where: { or: [{ email: { like: 'thread-' } }, { email: { like: 'payload-' } }] } })
    expect(viaPayload.totalDocs).toBe(12 * 500 + 150)
    const fresh = new Database(filePath(), { readonly: true })
    const counted = fresh.prepare(`SELECT COUNT(*) AS n FROM customers WHERE email LIKE 'thread-%' OR email LIKE 'payload-%'`).get() as { n: number }
    const integrity = fresh.pragma('integrity_check') as { integrity_check: string }[]
    fresh.close()
    expect(counted.n).toBe(12 * 500 + 150)
    expect(integrity).toEqual([{ integrity_check: 'ok' }])
  })

  sqliteOnly('should leave the file consistent (integrity check) after both libraries wrote', async () => {
    const check = new Database(filePath(), { readonly: true })
    const result = check.pragma('integrity_check') as { integrity_check: string }[]
    check.close()
    expect(result).toEqual([{ integrity_check: 'ok' }])
  })

  it('should read back through Payload what the bulk layer wrote (both databases)', async () => {
    await upsertCustomers({ payload: t.payload, rows: [{ email: 'both@example.com', name: 'Both' }] })
    const found = await t.payload.find({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'both@example.com' } } })
    expect(found.totalDocs).toBe(1)
  })
})
