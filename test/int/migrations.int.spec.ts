import type { Payload } from 'payload'

import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { getPayload } from 'payload'

import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { migrationsFor } from '../../src/db/createDatabaseAdapter.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { closePayload } from '../helpers/bootPayload.js'
import { createTestDatabase, type TestDatabase } from '../helpers/testDb.js'

/** Server and workers start together on a fresh database: migrations must run once, not crash. */
describe('migrations at start', () => {
  let db: TestDatabase
  const instances: Payload[] = []

  beforeAll(async () => {
    db = await createTestDatabase('migrations')
  })

  afterAll(async () => {
    for (const payload of instances) await closePayload(payload)
    await db?.cleanup()
  })

  it('should apply the committed migrations once when three processes start at the same time', async () => {
    const secret = randomBytes(16).toString('hex')
    const boot = (key: string) =>
      getPayload({
        config: buildCrmConfig({
          env: { database: parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url }), publicUrl: 'http://localhost', secret },
          extra: { logger: { options: { level: 'error' } } },
        }),
        key,
      })
    instances.push(...(await Promise.all([boot('m1'), boot('m2'), boot('m3')])))

    const applied = await instances[0]!.find({ collection: 'payload-migrations', limit: 0, overrideAccess: true, pagination: false })
    const names = applied.docs.map((doc) => doc.name).sort()
    expect(names).toEqual(migrationsFor(db.kind).map((migration) => migration.name).sort())

    // Every instance can use the schema.
    for (const [index, payload] of instances.entries()) {
      await payload.create({ collection: 'customers', data: { email: `m${index}@crm.test` }, overrideAccess: true })
    }
    expect((await instances[2]!.count({ collection: 'customers', overrideAccess: true })).totalDocs).toBe(3)
  })
})
