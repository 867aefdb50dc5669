/**
 * The API server in its own process, for the shutdown tests (`node --import tsx <this file>`), with
 * server.ts's own signal handling. Env: DATABASE_URL (required), SHUTDOWN_TIMEOUT_MS (optional).
 * Adds one test-only endpoint, `POST /api/test/slow`: it answers "started\n" at once, then reads the
 * request body to its end and answers "received <bytes>\n" — so the caller decides when it finishes.
 * Prints "listening <url>" once ready.
 */
import { randomBytes } from 'node:crypto'
import os from 'node:os'

import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { createCrmServer } from '../../src/server/createServer.js'
import { handleShutdownSignals } from '../../src/server/handleShutdownSignals.js'

const database = parseDatabaseUrl({ dataDir: os.tmpdir(), url: process.env.DATABASE_URL })
const config = buildCrmConfig({
  env: { database, publicUrl: 'http://localhost:3000', secret: randomBytes(24).toString('hex') },
  extra: {
    endpoints: [
      {
        handler: (req) => {
          const body = req.body
          const encoder = new TextEncoder()
          const stream = new ReadableStream<Uint8Array>({
            start: async (controller) => {
              controller.enqueue(encoder.encode('started\n'))
              let bytes = 0
              const reader = body?.getReader()
              for (let part = await reader?.read(); part && !part.done; part = await reader!.read()) bytes += part.value.byteLength
              controller.enqueue(encoder.encode(`received ${bytes}\n`))
              controller.close()
            },
          })
          return new Response(stream, { headers: { 'content-type': 'text/plain' } })
        },
        method: 'post',
        path: '/test/slow',
      },
    ],
    logger: { options: { level: 'info' } },
  },
})

const crm = await createCrmServer({ config, database, host: '127.0.0.1', port: 0, withAdmin: false, workerName: 'shutdown-test' })
handleShutdownSignals({ crm, timeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS || 10_000) })
process.stdout.write(`listening ${crm.url}\n`)
