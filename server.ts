/**
 * Mini CRM server: `npm start` (production build) and `npm run dev`.
 * Express hosts Payload's REST/GraphQL API and the Next admin; SIGTERM/SIGINT shut down gracefully.
 */
import { createCrmServer } from './src/server/createServer.js'
import { handleShutdownSignals } from './src/server/handleShutdownSignals.js'
import { readEnv } from './src/env.js'

const env = readEnv()
const dev = env.nodeEnv !== 'production'
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
