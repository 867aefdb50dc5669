/**
 * Generates a migration for SQLite and for PostgreSQL from the current collections:
 *   npm run migrate:create -- <name>
 * Each dialect boots Payload on a scratch database that already has the committed migrations
 * applied, so the new migration holds only the difference. Never needs a TTY.
 */
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { getPayload } from 'payload'

import { buildCrmConfig } from '../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../src/env.js'
import { closePayload } from './lib/closePayload.js'
import { createScratchDatabase } from './lib/scratchDatabase.js'

const name = process.argv[2] || 'change'

for (const kind of ['sqlite', 'postgres'] as const) {
  const db = await createScratchDatabase({ kind, label: `migrate_${kind}` })
  try {
    const config = buildCrmConfig({
      env: { database: parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url }), publicUrl: 'http://localhost:3000', secret: randomBytes(16).toString('hex') },
    })
    const payload = await getPayload({ config, key: `migrate-${kind}` })
    await payload.db.createMigration({ forceAcceptWarning: true, migrationName: name, payload })
    await closePayload(payload)
  } finally {
    await db.cleanup()
  }
}
process.exit(0)
