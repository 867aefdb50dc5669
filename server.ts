/**
 * Mini CRM server: `npm start` (production build) and `npm run dev`.
 * Express hosts Payload's REST/GraphQL API and the Next admin; SIGTERM/SIGINT shut down gracefully.
 */
import { createCrmServer } from './src/server/createServer.js'
import { handleShutdownSignals } from './src/server/handleShutdownSignals.js'
import { readEnv, readVendorEnv } from './src/env.js'
import { startBundledVendor } from './src/vendor/startBundledVendor.js'

const env = readEnv()
const dev = env.nodeEnv !== 'production'

// The message vendor: VENDOR_URL, else the bundled simulator calling receipts back to this server.
// Published through the environment before the job worker starts, so a send resumed at boot finds it.
const vendor = await startBundledVendor({
  crmPort: env.port,
  log: (message) => process.stdout.write(`${message}\n`),
  payloadSecret: env.secret,
  vendorEnv: readVendorEnv(),
})
process.env.VENDOR_URL = vendor.url
process.env.VENDOR_WEBHOOK_SECRET = vendor.webhookSecret
const { default: config } = await import('./payload.config.js')

const crm = await createCrmServer({
  config,
  database: env.database,
  dev,
  jobsRetentionDays: env.jobsRetentionDays,
  port: env.port,
  workerName: env.workerName,
}).catch(
  (err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') {
      process.stderr.write(`Port ${env.port} is already in use: stop the other server or set PORT, e.g. PORT=3001 npm start\n`)
      process.exit(1)
    }
    throw err
  },
)
crm.payload.logger.info(`Mini CRM ready on ${env.publicUrl} (admin at /admin, API at /api, docs at /api/docs; database: ${env.database.kind})`)

handleShutdownSignals({ crm })
