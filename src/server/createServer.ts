import type { Server } from 'node:http'
import type { Payload, SanitizedConfig } from 'payload'

import express from 'express'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { getPayload, handleEndpoints } from 'payload'

import type { DatabaseSettings } from '../env.js'

import { mountJobsDashboard } from '../jobs/dashboard.js'
import { getQueueHealth } from '../jobs/queueHealth.js'
import { startJobRuntime } from '../jobs/runtime.js'
import { setQueueHealthProvider } from '../jobs/queueHealthRegistry.js'
import { sendFetchResponse, toFetchHeaders, toFetchRequest } from './fetchBridge.js'

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export type CrmServerOptions = {
  config: Promise<SanitizedConfig> | SanitizedConfig
  /** The database the config points at; the job runtime (Agenda) uses the same one. */
  database: DatabaseSettings
  /** Run a job worker inside the server process. @default true */
  jobs?: boolean
  /** This process's worker name. @default `server-<host>-<pid>` */
  workerName?: string
  /** Next in dev mode (hot reload) instead of the production build. */
  dev?: boolean
  /** Host the admin UI through Next. Off in tests that exercise only the API. */
  withAdmin?: boolean
  port: number
  host?: string
}

export type CrmServer = {
  close: () => Promise<void>
  payload: Payload
  server: Server
  url: string
}

type Closer = () => Promise<void>

/**
 * Express 5 hosting Payload's REST API (`/api/*`) and GraphQL (`/api/graphql`) in-process through
 * Fetch handlers, and Next for the admin UI (`/admin`). Used by `npm start`, `npm run dev` and the
 * HTTP tests, so tests exercise the same request path users do.
 */
export const createCrmServer = async (options: CrmServerOptions): Promise<CrmServer> => {
  const { config, database, dev = false, host = '0.0.0.0', jobs = true, port, withAdmin = true } = options
  // The default cache key on purpose: Payload's GraphQL handler looks the instance up by it.
  const payload = await getPayload({ config })
  const closers: Closer[] = []

  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')

  if (jobs) {
    const runtime = await startJobRuntime({
      database,
      payload,
      workerName: options.workerName ?? `server-${os.hostname()}-${process.pid}`,
    })
    setQueueHealthProvider(payload, () => getQueueHealth(runtime.agenda))
    closers.push(async () => {
      setQueueHealthProvider(payload, null)
      await runtime.stop()
    })
    mountJobsDashboard({
      agenda: runtime.agenda,
      app,
      authenticate: async (req) => {
        const { user } = await payload.auth({ headers: toFetchHeaders(req) })
        return user ? { roles: (user as { roles?: string[] }).roles ?? [] } : null
      },
    })
  }

  const { GRAPHQL_POST } = await import('@payloadcms/next/routes')
  const graphql = GRAPHQL_POST(config)
  app.post('/api/graphql', async (req, res, next) => {
    try {
      await sendFetchResponse(await graphql(toFetchRequest(req)), res)
    } catch (err) {
      next(err)
    }
  })

  app.use('/api', async (req, res, next) => {
    try {
      const response = await handleEndpoints({
        config,
        request: toFetchRequest(req),
      })
      await sendFetchResponse(response, res)
    } catch (err) {
      next(err)
    }
  })

  if (withAdmin) {
    const { default: next } = await import('next')
    // webpack, not Turbopack: our ESM `.js` specifiers need webpack's extensionAlias (next.config.mjs).
    const nextApp = next({ dev, dir: rootDir, quiet: !dev, webpack: true })
    await nextApp.prepare()
    const handle = nextApp.getRequestHandler()
    app.all('/{*path}', (req, res) => handle(req, res))
    closers.push(() => nextApp.close())
  } else {
    app.get('/', (_req, res) => res.redirect('/api/health'))
  }

  // Last resort: never a stack trace to the client.
  app.use((err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    payload.logger.error({ err, msg: `Unhandled error on ${req.method} ${req.originalUrl}` })
    if (!res.headersSent) res.status(500).json({ errors: [{ message: 'Internal server error' }] })
    else res.end()
  })

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(port, host, () => resolve(listening))
    listening.once('error', reject)
  })
  const address = server.address()
  const boundPort = typeof address === 'object' && address ? address.port : port
  const url = `http://127.0.0.1:${boundPort}`

  let closing: Promise<void> | null = null
  const close = () => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
        // Give in-flight requests a moment, then cut the rest.
        setTimeout(() => server.closeAllConnections(), 5000).unref()
      })
      for (const closer of closers.reverse()) await closer().catch(() => undefined)
    })()
    return closing
  }
  return { close, payload, server, url }
}
