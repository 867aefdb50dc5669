import type { ChildProcess } from 'node:child_process'

import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { getPayload } from 'payload'

import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { migrationsFor } from '../../src/db/createDatabaseAdapter.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { closePayload } from '../helpers/bootPayload.js'
import { createTestDatabase, type TestDatabase } from '../helpers/testDb.js'

const MIGRATE_PROCESS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../helpers/migrateProcess.ts')

/** Server and workers start together on a fresh database: migrations must run once, not crash. */
describe('migrations at start', () => {
  let db: TestDatabase
  const children: ChildProcess[] = []

  beforeAll(async () => {
    db = await createTestDatabase('migrations')
  })

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
    await db?.cleanup()
  })

  it('should apply the committed migrations once when three processes start at the same time', async () => {
    const secret = randomBytes(16).toString('hex')
    const started = ['m0', 'm1', 'm2'].map((name) => {
      const args = { dataDir: os.tmpdir(), email: `${name}@crm.test`, secret, url: db.url }
      const child = spawn(process.execPath, ['--import', 'tsx', MIGRATE_PROCESS, JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      children.push(child)
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      const ready = new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve())
        void exited.then((code) => reject(new Error(`${name} exited with ${code} before it was ready`)))
      })
      return { child, exited, ready }
    })
    await Promise.all(started.map(({ ready }) => ready))
    // Every process has loaded its code; let them boot (and migrate) at the same moment.
    for (const { child } of started) child.send('go')
    expect(await Promise.all(started.map(({ exited }) => exited))).toEqual([0, 0, 0])
    expect(new Set(started.map(({ child }) => child.pid)).size).toBe(3)

    const payload = await getPayload({
      config: buildCrmConfig({
        env: { database: parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url }), publicUrl: 'http://localhost', secret },
        extra: { logger: { options: { level: 'error' } } },
      }),
      key: 'migrations-check',
    })
    try {
      const applied = await payload.find({ collection: 'payload-migrations', limit: 0, overrideAccess: true, pagination: false })
      // Each migration recorded exactly once.
      expect(applied.docs.map((doc) => doc.name).sort()).toEqual(migrationsFor(db.kind).map((migration) => migration.name).sort())
      // Every process could use the schema it (or another) created.
      const customers = await payload.find({ collection: 'customers', overrideAccess: true, pagination: false, sort: 'email' })
      expect(customers.docs.map((doc) => doc.email)).toEqual(['m0@crm.test', 'm1@crm.test', 'm2@crm.test'])
    } finally {
      await closePayload(payload)
    }
  })
})
