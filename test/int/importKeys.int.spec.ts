import type { CrmServer } from '../../src/server/createServer.js'
import type { TestPayload } from '../helpers/bootPayload.js'

import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import pg from 'pg'

import { dropStaleImportKeys, openImportKeys, STALE_IMPORT_KEYS_MS } from '../../src/bulk/index.js'
import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { createCrmServer } from '../../src/server/createServer.js'
import { bootTestPayload, closePayload } from '../helpers/bootPayload.js'
import { importKeyTablesSeenByPayload } from '../helpers/importKeyTables.js'
import { createTestDatabase, type TestDatabase } from '../helpers/testDb.js'

const HOUR = 60 * 60 * 1000
/** A key table name as `openImportKeys` writes it, created `ageMs` ago. */
const keyTableAged = (ageMs: number) => `crm_import_keys_${Math.floor((Date.now() - ageMs) / 1000).toString(36)}_${randomBytes(6).toString('hex')}`

/** Raw access to a test database, outside Payload (what a killed server leaves is just tables). */
const rawDb = (url: string) => {
  const location = parseDatabaseUrl({ dataDir: os.tmpdir(), url })
  return {
    create: async (names: string[]) => {
      if (location.kind === 'sqlite') {
        const db = new Database(location.filePath as string)
        for (const name of names) db.exec(`CREATE TABLE "${name}" (key TEXT PRIMARY KEY, row INTEGER NOT NULL)`)
        db.close()
        return
      }
      const client = new pg.Client({ connectionString: location.url })
      await client.connect()
      for (const name of names) await client.query(`CREATE UNLOGGED TABLE "${name}" (key text PRIMARY KEY, row int NOT NULL)`)
      await client.end()
    },
    keyTables: async (): Promise<string[]> => {
      if (location.kind === 'sqlite') {
        const db = new Database(location.filePath as string, { readonly: true })
        const rows = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'crm%import%keys%'`).all() as { name: string }[]
        db.close()
        return rows.map((row) => row.name).sort()
      }
      const client = new pg.Client({ connectionString: location.url })
      await client.connect()
      const { rows } = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'crm%import%keys%'`)
      await client.end()
      return rows.map((row) => row.tablename).sort()
    },
  }
}

describe('stale import key tables', () => {
  let t: TestPayload

  beforeAll(async () => {
    t = await bootTestPayload('import-keys')
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  // Through the adapter's own connection.
  const keyTablesSeenByPayload = () => importKeyTablesSeenByPayload(t.payload)

  it('should drop the tables of killed imports and keep a running import and other tables', async () => {
    const raw = rawDb(t.url)
    const stale = keyTableAged(STALE_IMPORT_KEYS_MS + HOUR)
    const legacy = `crm_import_keys_${randomBytes(6).toString('hex')}`
    const young = keyTableAged(HOUR)
    await raw.create([stale, legacy, young, 'crm_import_keysx'])
    const running = await openImportKeys({ payload: t.payload })
    await running.note([{ key: 'a@b.co', row: 1 }])

    expect((await dropStaleImportKeys({ payload: t.payload })).sort()).toEqual([legacy, stale].sort())
    const left = await keyTablesSeenByPayload()
    expect(left).toEqual(expect.arrayContaining([young, 'crm_import_keysx']))
    expect(left).not.toContain(stale)
    expect(left).not.toContain(legacy)
    // The running import's table is untouched and still works.
    expect(await running.note([{ key: 'a@b.co', row: 2 }])).toEqual([{ key: 'a@b.co', row: 1 }])
    await running.drop()
    expect(await dropStaleImportKeys({ payload: t.payload })).toEqual([])
  })
})

describe('server start', () => {
  let db: TestDatabase
  let crm: CrmServer | undefined

  afterAll(async () => {
    await crm?.close()
    if (crm) await closePayload(crm.payload)
    await db?.cleanup()
  })

  it('should drop a key table a killed server left behind', async () => {
    db = await createTestDatabase('import-keys-start')
    const raw = rawDb(db.url)
    const stale = keyTableAged(STALE_IMPORT_KEYS_MS + HOUR)
    const young = keyTableAged(60_000)
    await raw.create([stale, young])
    const database = parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url })
    const config = buildCrmConfig({
      env: { database, publicUrl: 'http://127.0.0.1', secret: randomBytes(16).toString('hex') },
      extra: { logger: { options: { level: 'warn' } } },
    })
    crm = await createCrmServer({ config, database, host: '127.0.0.1', jobs: false, port: 0, withAdmin: false })
    expect(await raw.keyTables()).toEqual([young])
  })
})
