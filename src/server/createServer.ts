import type { Server, ServerResponse } from 'node:http'
import type { Payload, SanitizedConfig } from 'payload'

import express from 'express'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { getPayload, handleEndpoints } from 'payload'

import type { DatabaseSettings } from '../env.js'
import type { JobsDashboard } from '../jobs/dashboard.js'

import { dropStaleImportKeys } from '../bulk/index.js'
import { handleReceiptWebhook, RECEIPT_WEBHOOK_PATH, servesReceiptWebhook } from '../campaigns/receiptWebhook.js'
import { closePayload } from '../db/closePayload.js'
import { SIGNATURE_HEADER } from '../domain/campaigns/receiptSignature.js'
import { bodyTooLargeResponse } from '../limits/bodyLimit.js'
import { DEFAULT_OPTIONS } from '../defaults.js'
import { DEFAULT_JOBS_RETENTION_DAYS } from '../env.js'
import { mountJobsDashboard } from '../jobs/dashboard.js'
import { getQueueHealth } from '../jobs/queueHealth.js'
import { startJobRuntime } from '../jobs/runtime.js'
import { setQueueHealthProvider } from '../jobs/queueHealthRegistry.js'
import { readCrmLimits } from '../limits/applyRequestLimits.js'
import { withBodyLimit } from '../limits/withBodyLimit.js'
import { authenticateWithPayload } from './authenticateWithPayload.js'
import { applyHeapPolicy } from './heapPolicy.js'
import { readBoundedBody, sendFetchResponse, toFetchRequest } from './fetchBridge.js'
import { toErrorEnvelope } from './toErrorEnvelope.js'

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export type CrmServerOptions = {
  config: Promise<SanitizedConfig> | SanitizedConfig
  /** The database the config points at; the job runtime (Agenda) uses the same one. */
  database: DatabaseSettings
  /** Run a job worker inside the server process. @default true */
  jobs?: boolean
  /** How long `close()` lets running jobs finish before leaving them to lock expiry. @default 10000 */
  jobsStopTimeoutMs?: number
  /** Finished jobs older than this many days are purged by an hourly job. @default 7 */
  jobsRetentionDays?: number
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
  /**
   * Graceful stop: stops accepting connections (before it returns), lets in-flight requests finish (up to `timeoutMs`,
   * then cuts them), stops the job worker (running jobs get up to `timeoutMs` too), closes Next, then
   * Payload and its database pool. Safe to call twice. `timedOut`: some request had to be cut.
   */
  close: (options?: { timeoutMs?: number }) => Promise<{ timedOut: boolean }>
  payload: Payload
  server: Server
  url: string
}

type Closer = () => Promise<void>

/** How long shutdown waits for in-flight requests, and then for running jobs. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000

/** The longest a request may take to arrive whole (a streamed CSV import included). */
export const REQUEST_TIMEOUT_MS = 60 * 60 * 1000

/**
 * Express 5 hosting Payload's REST API (`/api/*`) and GraphQL (`/api/graphql`) in-process through
 * Fetch handlers, and Next for the admin UI (`/admin`). Used by `npm start`, `npm run dev` and the
 * HTTP tests, so tests exercise the same request path users do.
 */
export const createCrmServer = async (options: CrmServerOptions): Promise<CrmServer> => {
  const { config, database, dev = false, host = '0.0.0.0', jobs = true, port, withAdmin = true } = options
  const jobsStopTimeoutMs = options.jobsStopTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS
  applyHeapPolicy()
  // The default cache key on purpose: Payload's GraphQL handler looks the instance up by it.
  const payload = await getPayload({ config })
  // Key tables left by a server killed mid-import (older than any import that can still run).
  await dropStaleImportKeys({ payload }).then(
    (dropped) => dropped.length > 0 && payload.logger.info(`Dropped ${dropped.length} stale import key table(s): ${dropped.join(', ')}`),
    (err: unknown) => payload.logger.warn({ err, msg: 'Could not drop stale import key tables' }),
  )
  const closers: Closer[] = []
  let dashboard: JobsDashboard | undefined

  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')

  if (jobs) {
    const runtime = await startJobRuntime({
      database,
      payload,
      purgeFinishedJobs: { retentionDays: options.jobsRetentionDays ?? DEFAULT_JOBS_RETENTION_DAYS },
      workerName: options.workerName ?? `server-${os.hostname()}-${process.pid}`,
    })
    setQueueHealthProvider(payload, () => getQueueHealth(runtime.agenda))
    closers.push(async () => {
      setQueueHealthProvider(payload, null)
      await runtime.stop({ timeoutMs: jobsStopTimeoutMs })
    })
    dashboard = mountJobsDashboard({
      agenda: runtime.agenda,
      // Payload's CSRF list: PUBLIC_URL and, for a loopback PUBLIC_URL, its other loopback names.
      allowedOrigins: payload.config.csrf,
      app,
      authenticate: authenticateWithPayload(payload),
      onError: ({ err, msg }) => payload.logger.error({ err, msg }),
    })
  }

  // The plugin limits each REST endpoint's body; these bounds cover what Payload reads before any
  // endpoint runs: GraphQL bodies and method-override (POST → GET) bodies get the JSON limit, the rest
  // the largest limit.
  const { bodyBytes } = readCrmLimits(payload.config) ?? DEFAULT_OPTIONS.limits
  const largestBody = Math.max(bodyBytes.json, bodyBytes.ingest, bodyBytes.upload)
  const isMethodOverride = (req: express.Request) => Boolean(req.headers['x-payload-http-method-override'] || req.headers['x-http-method-override'])
  const send = (response: Response, res: express.Response) => {
    // The rest of a refused body is never read: the connection cannot carry another request.
    if (response.status === 413) res.setHeader('Connection', 'close')
    return sendFetchResponse(response, res)
  }
  const rest = async (request: Request) => toErrorEnvelope(await handleEndpoints({ config, request }))
  const restBounded = { json: withBodyLimit({ handler: rest, maxBytes: bodyBytes.json }), largest: withBodyLimit({ handler: rest, maxBytes: largestBody }) }

  const { GRAPHQL_POST } = await import('@payloadcms/next/routes')
  const graphql = withBodyLimit({ handler: GRAPHQL_POST(config), maxBytes: bodyBytes.json })
  app.post('/api/graphql', async (req, res, next) => {
    try {
      await send(await graphql(toFetchRequest(req), undefined), res)
    } catch (err) {
      next(err)
    }
  })

  // The vendor's receipt webhook, the hottest route during a send (about two callbacks of up to 1,000
  // receipts per message): answered here, ahead of Payload's router, with the same contract
  // (signature, 401/400/413, answer) as the Payload endpoint, which still documents it in OpenAPI.
  if (servesReceiptWebhook(payload)) {
    app.post(RECEIPT_WEBHOOK_PATH, async (req, res, next) => {
      try {
        const raw = await readBoundedBody(req, bodyBytes.json)
        if (!raw) {
          await send(bodyTooLargeResponse(bodyBytes.json), res)
          return
        }
        const answer = await handleReceiptWebhook({ payload, raw, signature: req.headers[SIGNATURE_HEADER] })
        res.status(answer.status).json(answer.body)
      } catch (err) {
        next(err)
      }
    })
  }

  app.use('/api', async (req, res, next) => {
    try {
      await send(await restBounded[isMethodOverride(req) ? 'json' : 'largest'](toFetchRequest(req), undefined), res)
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
  // Node cuts any request whose body has not fully arrived after `requestTimeout` (5 min by default).
  // A CSV import reads its upload only as fast as the database writes it (backpressure), so a
  // million-row file on a busy machine takes longer than that: allow an hour. Headers still have to
  // arrive within `headersTimeout`, and bodies stay capped by the body limits.
  server.requestTimeout = REQUEST_TIMEOUT_MS
  const address = server.address()
  const boundPort = typeof address === 'object' && address ? address.port : port
  const url = `http://127.0.0.1:${boundPort}`

  // Every response in progress, so shutdown can wait for them and tell their connections to close.
  const inFlight = new Set<ServerResponse>()
  let isClosing = false
  server.on('request', (_req, res: ServerResponse) => {
    inFlight.add(res)
    if (isClosing) res.shouldKeepAlive = false
    res.once('close', () => {
      inFlight.delete(res)
      // A keep-alive connection that just went idle would otherwise hold server.close() open.
      if (isClosing) setImmediate(() => server.closeIdleConnections())
    })
  })

  let closing: Promise<{ timedOut: boolean }> | null = null
  const close: CrmServer['close'] = ({ timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS } = {}) => {
    closing ??= (async () => {
      isClosing = true
      let timedOut = false
      await new Promise<void>((resolve) => {
        const bound = setTimeout(() => {
          timedOut = inFlight.size > 0
          server.closeAllConnections()
        }, timeoutMs)
        server.close(() => {
          clearTimeout(bound)
          resolve()
        })
        // Live-update streams never end by themselves; idle keep-alive sockets hold nothing.
        dashboard?.close()
        for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false
        server.closeIdleConnections()
      })
      for (const closer of closers.reverse()) await closer().catch((err: unknown) => payload.logger.error({ err, msg: 'Shutdown step failed' }))
      await closePayload(payload)
      return { timedOut }
    })()
    return closing
  }
  return { close, payload, server, url }
}
