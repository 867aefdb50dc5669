/**
 * The API server with its job worker in its own process, for the import restart test
 * (`node --import tsx <this file>`). Env: DATABASE_URL, PORT and TEST_SECRET (the same across
 * restarts, so tokens stay valid), plus the CRM_IMPORT_* settings. Prints "listening <url>".
 */
import os from 'node:os'

import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { createCrmServer } from '../../src/server/createServer.js'

const database = parseDatabaseUrl({ dataDir: os.tmpdir(), url: process.env.DATABASE_URL })
const config = buildCrmConfig({
  env: { database, publicUrl: `http://127.0.0.1:${process.env.PORT}`, secret: process.env.TEST_SECRET ?? 'import-restart-secret' },
  extra: { logger: { options: { level: 'warn' } } },
})
const crm = await createCrmServer({ config, database, host: '127.0.0.1', port: Number(process.env.PORT), withAdmin: false, workerName: `import-restart-${process.pid}` })
process.stdout.write(`listening ${crm.url}\n`)
