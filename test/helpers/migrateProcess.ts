/**
 * One "server or worker starting" in its own process for the migrations test
 * (`node --import tsx <this file> <json>`): loads everything, says `ready`, waits for `go` on IPC so
 * every process boots at the same moment, boots Payload (which applies the committed migrations),
 * writes one customer, says `done` and exits.
 */
import { getPayload } from 'payload'

import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { closePayload } from '../../scripts/lib/closePayload.js'

type Args = { dataDir: string; email: string; secret: string; url: string }

const args = JSON.parse(process.argv[2] ?? '{}') as Args
const config = buildCrmConfig({
  env: { database: parseDatabaseUrl({ dataDir: args.dataDir, url: args.url }), publicUrl: 'http://localhost', secret: args.secret },
  extra: { logger: { options: { level: 'error' } } },
})

await new Promise<void>((resolve) => {
  process.once('message', () => resolve())
  process.send?.('ready')
})
const payload = await getPayload({ config })
await payload.create({ collection: 'customers', data: { email: args.email }, overrideAccess: true })
await closePayload(payload)
process.send?.('done', () => process.exit(0))
