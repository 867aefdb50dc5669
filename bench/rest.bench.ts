import type { BenchDb } from './lib/report.js'

import os from 'node:os'

import { parseDatabaseUrl } from '../src/env.js'
import { createCrmServer } from '../src/server/createServer.js'
import { seedDemoData } from '../src/operations/seed/seedDemoData.js'
import { benchConfig, closeBenchPayload } from './lib/bootBenchPayload.js'
import { createScratchDatabase } from '../scripts/lib/scratchDatabase.js'
import { parseBenchOptions } from './lib/options.js'
import { progress, report } from './lib/report.js'

/** The slice of autocannon's programmatic API used here (the package ships no types). */
type AutocannonResult = {
  errors: number
  latency: { p50: number; p99: number }
  non2xx: number
  requests: { average: number }
  timeouts: number
}
type Autocannon = (options: {
  connections: number
  duration: number
  headers: Record<string, string>
  url: string
}) => Promise<AutocannonResult>

/**
 * `npm run bench -- rest [--db …] [--scale f]`: authenticated `GET /api/customers?limit=10` against
 * the real Express server with 10,000 seeded customers (30,000 orders), 10 connections for
 * 10 s × scale (at least 3 s).
 */
const BENCH = 'rest'
const CASE = 'get-customers-limit-10'

export const run = async (argv: string[]): Promise<void> => {
  const options = await parseBenchOptions(argv)
  const duration = Math.max(3, Math.round(10 * options.scale))
  const { default: autocannon } = (await import('autocannon')) as unknown as { default: Autocannon }

  for (const db of options.dbs) {
    const database = await createScratchDatabase({ adminUrl: options.postgresUrl, kind: db, label: 'bench_rest' })
    const config = benchConfig(database.url)
    // No job worker: the benchmark measures the REST path alone.
    const server = await createCrmServer({
      config,
      database: parseDatabaseUrl({ dataDir: os.tmpdir(), url: database.url }),
      host: '127.0.0.1',
      jobs: false,
      port: 0,
      withAdmin: false,
    })
    try {
      progress(`${db}: seeding 10000 customers, 30000 orders`)
      await seedDemoData({ customers: 10_000, orders: 30_000, payload: server.payload })
      const email = 'bench-admin@crm.test'
      const password = 'bench-password-123'
      await server.payload.create({ collection: 'users', data: { email, password, roles: ['admin'] }, overrideAccess: true })
      const login = await fetch(`${server.url}/api/users/login`, {
        body: JSON.stringify({ email, password }),
        headers: { 'content-type': 'application/json' },
        method: 'POST',
      })
      const { token } = (await login.json()) as { token?: string }
      if (!token) throw new Error(`login failed with ${login.status}`)

      const url = `${server.url}/api/customers?limit=10`
      const probe = await fetch(url, { headers: { authorization: `JWT ${token}` } })
      const body = (await probe.json()) as { totalDocs?: number }
      if (probe.status !== 200 || body.totalDocs !== 10_000) throw new Error(`probe answered ${probe.status} with ${body.totalDocs} docs`)

      progress(`${db}: autocannon GET /api/customers?limit=10, 10 connections, ${duration} s`)
      const result = await autocannon({ connections: 10, duration, headers: { authorization: `JWT ${token}` }, url })
      const failures = result.non2xx + result.errors + result.timeouts
      if (failures > 0) progress(`${db}: ${failures} requests failed (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`)
      const emit = (metric: string, value: number, unit: string) => report({ bench: BENCH, case: CASE, db: db as BenchDb, metric, unit, value })
      emit('requests_per_s', result.requests.average, 'req/s')
      emit('p50_ms', result.latency.p50, 'ms')
      emit('p99_ms', result.latency.p99, 'ms')
      emit('failed_requests', failures, 'requests')
    } finally {
      await server.close()
      await closeBenchPayload(server.payload)
      // createCrmServer boots Payload under the default cache key (GraphQL looks it up there), and
      // destroy() leaves the closed instance cached: drop it so the next database boots afresh.
      ;(globalThis as { _payload?: Map<string, unknown> })._payload?.delete('default')
      await database.cleanup()
    }
  }
}
