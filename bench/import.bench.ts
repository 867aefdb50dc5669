import type { BenchDb } from './lib/report.js'

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { request as httpRequest } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'

import { streamBatchRows, upsertCustomers, upsertOrders } from '../src/bulk/index.js'
import { generateCustomers, generateOrders } from '../src/domain/seed/generateSeedData.js'
import { createScratchDatabase } from '../scripts/lib/scratchDatabase.js'
import { parseDatabaseUrl } from '../src/env.js'
import { bareDatabaseLoader } from './lib/bareCustomerLoad.js'
import { bootBenchPayload, closeBenchPayload } from './lib/bootBenchPayload.js'
import { writeImportFiles } from './lib/importFiles.js'
import { parseBenchOptions } from './lib/options.js'
import { progress, report, trackPeakRssOf } from './lib/report.js'

/**
 * `npm run bench -- import [--db …] [--scale f] [--cpu-prof [dir]]`: a 1,000,000 × scale customers CSV and a
 * 3,000,000 × scale orders CSV imported over HTTP (`POST /api/<slug>/import`, raw text/csv streamed
 * from disk) into the real Express server; beside them the bare bulk upsert of the same rows in the
 * same batches (`ceiling-`) and `payload.create` of a 20,000 × scale sample (`baseline-`).
 * Then the background paths on a fresh database and a server with its job worker: the customers
 * file as an async import (`Prefer: respond-async`, 202 → done, `async-customers-…`) and JSON
 * ingest, 4 concurrent producers of 10,000-record batches (`json-ingest-…`, records/s from the
 * first POST to the last batch `done`). `--only ingest` runs just these, `--no-ingest` all but these.
 * `--only parse` runs only the two HTTP imports, each with the CSV parsing thread off and on
 * (`CRM_IMPORT_PARSE_WORKER`), alternating off, on, on, off on fresh servers, and reports each
 * mode's mean and their ratio. `--only customers`: the customers import over HTTP, its ceilings
 * and the baseline, nothing else (a full-scale customers run takes minutes, not an hour). `--only http`:
 * the customers import over HTTP alone (its rows/s and the server's peak RSS).
 * `--cpu-prof [dir]`: each server process writes a V8 CPU profile (`.cpuprofile`) there when it stops.
 */
const BENCH = 'import'
const SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import.server.ts')
const SEED = 1

const label = (count: number): string =>
  count >= 1_000_000 && count % 1_000_000 === 0 ? `${count / 1_000_000}m` : count % 1000 === 0 ? `${count / 1000}k` : String(count)

/** `--cpu-prof [dir]`: the import servers write a V8 CPU profile there when they stop. */
let serverNodeArgs: string[] = []

export const run = async (argv: string[]): Promise<void> => {
  const options = await parseBenchOptions(argv)
  const at = options.rest.indexOf('--cpu-prof')
  if (at >= 0) {
    const next = options.rest[at + 1]
    const dir = next && !next.startsWith('--') ? path.resolve(next) : os.tmpdir()
    options.rest.splice(at, next && !next.startsWith('--') ? 2 : 1)
    serverNodeArgs = ['--cpu-prof', `--cpu-prof-dir=${dir}`]
    progress(`server CPU profiles go to ${dir}`)
  }
  const only = options.rest.join(' ')
  const onlyIngest = only === '--only ingest'
  const onlyParse = only === '--only parse'
  // `--no-ingest`: skip the background paths (async CSV, JSON ingest), e.g. on a full-scale run.
  const noIngest = only === '--no-ingest'
  // `--only customers`: the customers import over HTTP, its ceilings and the baseline (no orders, no background paths).
  const onlyCustomers = only === '--only customers'
  // `--only http`: the customers import over HTTP alone (rows/s and peak RSS; no ceilings, no baseline), for probing the server.
  const onlyHttp = only === '--only http'
  if (options.rest.length > 0 && !onlyIngest && !onlyParse && !noIngest && !onlyCustomers && !onlyHttp) {
    throw new Error(`unknown options: ${only} (import takes --only ingest, --only parse, --only customers, --only http or --no-ingest)`)
  }
  const customers = Math.max(1000, Math.round(1_000_000 * options.scale))
  const orders = onlyCustomers || onlyHttp ? 0 : Math.max(1000, Math.round(3_000_000 * options.scale))
  const sample = Math.max(200, Math.round(20_000 * options.scale))
  const now = new Date()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-import-bench-'))
  const customersPath = path.join(dir, 'customers.csv')
  const ordersPath = path.join(dir, 'orders.csv')
  try {
    progress(`writing ${customers} customers and ${orders} orders as CSV`)
    await writeImportFiles({ customers, customersPath, now, orders, ordersPath, seed: SEED })
    progress(`files: ${Math.round(statSync(customersPath).size / 1e6)} MB and ${Math.round(statSync(ordersPath).size / 1e6)} MB`)
    for (const db of options.dbs) {
      const emit = (caseName: string, metric: string, value: number, unit: string) =>
        report({ bench: BENCH, case: caseName, db: db as BenchDb, metric, unit, value })
      const customersCase = `customers-${label(customers)}`
      const ordersCase = `orders-${label(orders)}`

      // 4. The background paths (async CSV, JSON ingest) on their own fresh database.
      const background = () =>
        ingestOverHttp({ customers, customersCase, customersPath, db, emit, jsonRecords: Math.max(40_000, Math.round(400_000 * options.scale)), postgresUrl: options.postgresUrl })
      if (onlyIngest) {
        await background()
        continue
      }
      if (onlyParse) {
        await compareParseWorker({ customers, customersCase, customersPath, db, emit, orders, ordersCase, ordersPath, postgresUrl: options.postgresUrl })
        continue
      }

      // 1. Over HTTP into the real server.
      const rates = await importOverHttp({ customersPath, db, ordersPath, postgresUrl: options.postgresUrl, emit, customersCase, ordersCase, customers, orders })
      if (onlyHttp) continue

      // 2. Ceiling: the bare bulk upserts of the same rows, same batches as the endpoint (`streamBatchRows`), no CSV and no HTTP.
      const bare = await bootBenchPayload({ kind: db, label: 'import-ceiling', postgresUrl: options.postgresUrl })
      try {
        progress(`${db}: ceiling, bulk upserts of the same rows`)
        let started = performance.now()
        for (const batch of generateCustomers({ batchSize: streamBatchRows(db), count: customers, now, seed: SEED })) {
          await upsertCustomers({ payload: bare.payload, returnIds: false, rows: batch })
        }
        const bulkCustomersCeiling = customers / ((performance.now() - started) / 1000)
        emit(`ceiling-bulk-${customersCase}`, 'rows_per_s', bulkCustomersCeiling, 'rows/s')
        const emails: string[] = []
        for (const batch of generateCustomers({ batchSize: 10_000, count: customers, now, seed: SEED })) for (const c of batch) emails.push(c.email)
        started = performance.now()
        for (const batch of generateOrders({ batchSize: streamBatchRows(db), count: orders, customerCount: customers, now, seed: SEED })) {
          await upsertOrders({
            payload: bare.payload,
            rows: batch.map(({ customerIndex, ...order }) => ({ ...order, currency: 'INR', customerEmail: emails[customerIndex]! })),
          })
        }
        const bulkOrdersCeiling = orders / ((performance.now() - started) / 1000)
        if (orders > 0) emit(`ceiling-bulk-${ordersCase}`, 'rows_per_s', bulkOrdersCeiling, 'rows/s')
        // Each ceiling is the faster of the bulk layer and the bare driver on our schema (bench/lib/bareCustomerLoad.ts).
        const bareRates = await bareDriverRates({ customers, db, emails, now, orders, postgresUrl: options.postgresUrl })
        emit(`ceiling-bare-${customersCase}`, 'rows_per_s', bareRates.customers, 'rows/s')
        if (orders > 0) emit(`ceiling-bare-${ordersCase}`, 'rows_per_s', bareRates.orders, 'rows/s')
        const customersCeiling = Math.max(bulkCustomersCeiling, bareRates.customers)
        const ordersCeiling = Math.max(bulkOrdersCeiling, bareRates.orders)
        emit(`ceiling-${customersCase}`, 'rows_per_s', customersCeiling, 'rows/s')
        emit(customersCase, 'fraction_of_ceiling', rates.customers / customersCeiling, 'ratio')
        if (orders > 0) {
          emit(`ceiling-${ordersCase}`, 'rows_per_s', ordersCeiling, 'rows/s')
          emit(ordersCase, 'fraction_of_ceiling', rates.orders / ordersCeiling, 'ratio')
        }
      } finally {
        await bare.cleanup()
      }

      // 3. Baseline: payload.create per document on a sample of the same customers.
      const base = await bootBenchPayload({ kind: db, label: 'import-baseline', postgresUrl: options.postgresUrl })
      try {
        progress(`${db}: baseline, ${sample} customers through payload.create`)
        const started = performance.now()
        for (const batch of generateCustomers({ batchSize: 1000, count: sample, now, seed: SEED })) {
          for (const row of batch) {
            await base.payload.create({
              collection: 'customers',
              data: { ...row, createdAt: row.createdAt.toISOString(), lastVisitAt: row.lastVisitAt?.toISOString() ?? null },
              depth: 0,
              overrideAccess: true,
            })
          }
        }
        const baseline = sample / ((performance.now() - started) / 1000)
        emit('baseline-payload-create', 'rows_per_s', baseline, 'rows/s')
        emit(customersCase, 'speedup_vs_payload_create', rates.customers / baseline, 'x')
      } finally {
        await base.cleanup()
      }
      if (noIngest || onlyCustomers) continue
      const asyncRate = await background()
      emit(`async-${customersCase}`, 'ratio_to_sync', asyncRate / rates.customers, 'ratio')
    }
  } finally {
    rmSync(dir, { force: true, recursive: true })
  }
}

/**
 * Rows per second of the bare loaders (pg COPY → staging → INSERT, or better-sqlite3 row by row) on a
 * fresh migrated database: the customers, then the orders onto them (customer by email, aggregates
 * recomputed per batch: `ceiling-bare-orders`).
 */
const bareDriverRates = async ({
  customers,
  db,
  emails,
  now,
  orders,
  postgresUrl,
}: {
  customers: number
  db: 'postgres' | 'sqlite'
  emails: string[]
  now: Date
  orders: number
  postgresUrl: string
}): Promise<{ customers: number; orders: number }> => {
  const bare = await bootBenchPayload({ kind: db, label: 'import-bare', postgresUrl })
  await closeBenchPayload(bare.payload)
  try {
    progress(`${db}: bare-driver ceiling, ${customers} customers`)
    const loader = await bareDatabaseLoader(parseDatabaseUrl({ dataDir: '.', url: bare.url }))
    try {
      let started = performance.now()
      for (const batch of generateCustomers({ batchSize: streamBatchRows(db), count: customers, now, seed: SEED })) {
        await loader.load(batch, now.toISOString())
      }
      const customersRate = customers / ((performance.now() - started) / 1000)
      if (orders === 0) return { customers: customersRate, orders: 0 }
      progress(`${db}: bare-driver ceiling, ${orders} orders`)
      started = performance.now()
      for (const batch of generateOrders({ batchSize: streamBatchRows(db), count: orders, customerCount: customers, now, seed: SEED })) {
        await loader.loadOrders(
          batch.map(({ customerIndex, ...order }) => ({ ...order, currency: 'INR', customerEmail: emails[customerIndex]! })),
          now.toISOString(),
        )
      }
      return { customers: customersRate, orders: orders / ((performance.now() - started) / 1000) }
    } finally {
      await loader.close()
    }
  } finally {
    await bare.cleanup()
  }
}

type HttpArgs = {
  customers: number
  customersCase: string
  customersPath: string
  db: 'postgres' | 'sqlite'
  emit: (caseName: string, metric: string, value: number, unit: string) => void
  orders: number
  ordersCase: string
  ordersPath: string
  postgresUrl: string
}

/**
 * POSTs a file streamed from disk with node:http, which (unlike fetch, whose client gives up
 * after 300 s without response headers) waits as long as the import takes.
 */
const postFile = (url: string, file: string, headers: Record<string, string>): Promise<{ body: string; status: number }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, method: 'POST' }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ body, status: res.statusCode ?? 0 }))
      res.on('error', reject)
    })
    req.on('error', reject)
    pipeline(createReadStream(file), req).catch(reject)
  })

/** The server process on a fresh database, signed in; `close()` stops it and drops the database. */
const startImportServer = async ({ db, env, jobs, postgresUrl }: { db: 'postgres' | 'sqlite'; env?: Record<string, string>; jobs: boolean; postgresUrl: string }) => {
  const database = await createScratchDatabase({ adminUrl: postgresUrl, kind: db, label: 'bench_import' })
  const child = spawn(process.execPath, [...serverNodeArgs, '--import', 'tsx', SERVER, database.url, ...(jobs ? ['--jobs'] : [])], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const close = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000).unref())])
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    await database.cleanup()
  }
  try {
    const lines = createInterface({ input: child.stdout! })
    const exited = once(child, 'exit').then(() => {
      throw new Error('the import server exited before it was ready')
    })
    const ready = (async () => {
      for await (const line of lines) if (line.startsWith('url ')) return line.slice(4)
      throw new Error('the import server printed no url')
    })()
    const url = await Promise.race([ready, exited])
    const email = 'bench-import@crm.test'
    const password = 'bench-password-123'
    const json = { 'content-type': 'application/json' }
    const first = await fetch(`${url}/api/users/first-register`, { body: JSON.stringify({ email, password }), headers: json, method: 'POST' })
    if (first.status >= 300) throw new Error(`first-register answered ${first.status}`)
    const login = await fetch(`${url}/api/users/login`, { body: JSON.stringify({ email, password }), headers: json, method: 'POST' })
    const { token } = (await login.json()) as { token?: string }
    if (!token) throw new Error(`login failed with ${login.status}`)
    return { child, close, token, url }
  } catch (err) {
    await close()
    throw err
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The background paths on a fresh database: the customers file as an async import (from the POST
 * to `done`), then JSON ingest by 4 concurrent producers of 10,000-record batches (records/s from
 * the first POST until every batch is `done`). Returns the async import's rows/s.
 */
const ingestOverHttp = async (args: {
  customers: number
  customersCase: string
  customersPath: string
  db: 'postgres' | 'sqlite'
  emit: HttpArgs['emit']
  jsonRecords: number
  postgresUrl: string
}): Promise<number> => {
  const { db, emit } = args
  const server = await startImportServer({ db, jobs: true, postgresUrl: args.postgresUrl })
  const auth = { authorization: `JWT ${server.token}` }
  try {
    progress(`${db}: POST /api/customers/import with Prefer: respond-async, ${args.customers} rows`)
    const rss = trackPeakRssOf(server.child.pid!)
    let started = performance.now()
    const postedAt = Date.now()
    const res = await postFile(`${server.url}/api/customers/import`, args.customersPath, { ...auth, 'content-type': 'text/csv', prefer: 'respond-async' })
    if (res.status !== 202) throw new Error(`async import answered ${res.status}: ${res.body.slice(0, 500)}`)
    const { id } = JSON.parse(res.body) as { id: number }
    const acceptedMs = performance.now() - started
    type Doc = { createdAt: string; durationMs: number; failed: number; rows: number; startedAt: string; status: string }
    let doc: Doc
    for (;;) {
      doc = (await (await fetch(`${server.url}/api/imports/${id}`, { headers: auth })).json()) as Doc
      if (doc.status === 'failed' || (doc.status === 'done' && (doc.rows !== args.customers || doc.failed !== 0))) throw new Error(`async import ended ${JSON.stringify(doc).slice(0, 500)}`)
      if (doc.status === 'done') break
      await sleep(200)
    }
    const asyncRate = args.customers / ((performance.now() - started) / 1000)
    const asyncCase = `async-${args.customersCase}`
    emit(asyncCase, 'rows_per_s', asyncRate, 'rows/s')
    emit(asyncCase, 'accepted_ms', acceptedMs, 'ms')
    // Where the time went: POST → the job started (upload, staging, queue), then the job's own run.
    emit(asyncCase, 'job_started_after_ms', new Date(doc.startedAt).getTime() - postedAt, 'ms')
    emit(asyncCase, 'job_rows_per_s', args.customers / (doc.durationMs / 1000), 'rows/s')
    emit(asyncCase, 'peak_rss_mb', rss.stop(), 'MB')

    const producers = 4
    const perBatch = 10_000
    const batchesEach = Math.max(1, Math.round(args.jsonRecords / (producers * perBatch)))
    const total = producers * batchesEach * perBatch
    const jsonCase = `json-ingest-${label(total)}`
    progress(`${db}: JSON ingest, ${producers} producers × ${batchesEach} batches of ${perBatch} customers`)
    const cities = ['Pune', 'Delhi', 'Mumbai', 'Kochi', 'Jaipur']
    const batchOf = (producer: number, batch: number) =>
      JSON.stringify(
        Array.from({ length: perBatch }, (_, i) => ({
          city: cities[i % cities.length],
          email: `json-${producer}-${batch}-${i}@ingest.bench`,
          name: `Json Customer ${producer}-${batch}-${i}`,
          tags: i % 10 === 0 ? ['vip'] : [],
          visits: i % 13,
        })),
      )
    const jsonRss = trackPeakRssOf(server.child.pid!)
    const acceptMs: number[] = []
    started = performance.now()
    const batchIds = (
      await Promise.all(
        Array.from({ length: producers }, async (_, producer) => {
          const ids: number[] = []
          for (let batch = 0; batch < batchesEach; batch += 1) {
            const body = batchOf(producer, batch)
            const sent = performance.now()
            const answer = await fetch(`${server.url}/api/ingest/customers`, { body, headers: { ...auth, 'content-type': 'application/json' }, method: 'POST' })
            acceptMs.push(performance.now() - sent)
            const json = (await answer.json()) as { accepted?: number; batchId?: number }
            if (answer.status !== 202 || json.accepted !== perBatch) throw new Error(`ingest answered ${answer.status}: ${JSON.stringify(json).slice(0, 300)}`)
            ids.push(json.batchId!)
          }
          return ids
        }),
      )
    ).flat()
    let persisted = 0
    for (const batchId of batchIds) {
      for (;;) {
        const status = (await (await fetch(`${server.url}/api/ingest/batches/${batchId}`, { headers: auth })).json()) as { persisted: number; status: string }
        if (status.status === 'failed') throw new Error(`batch ${batchId} failed`)
        if (status.status === 'done') {
          persisted += status.persisted
          break
        }
        await sleep(100)
      }
    }
    if (persisted !== total) throw new Error(`JSON ingest persisted ${persisted} of ${total}`)
    emit(jsonCase, 'records_per_s', total / ((performance.now() - started) / 1000), 'records/s')
    acceptMs.sort((a, b) => a - b)
    emit(jsonCase, 'accept_p50_ms', acceptMs[Math.floor(acceptMs.length / 2)]!, 'ms')
    emit(jsonCase, 'peak_rss_mb', jsonRss.stop(), 'MB')
    return asyncRate
  } finally {
    await server.close()
  }
}

/**
 * Starts the server in its own process on a fresh database, imports both files over HTTP and
 * reports rate and the server's peak RSS for each.
 */
const importOverHttp = async (args: HttpArgs & { env?: Record<string, string> }): Promise<{ customers: number; orders: number }> => {
  const { db, emit } = args
  const { child, close, token, url } = await startImportServer({ db, env: args.env, jobs: false, postgresUrl: args.postgresUrl })
  try {
    const upload = async (slug: string, file: string, rows: number, caseName: string): Promise<number> => {
      progress(`${db}: POST /api/${slug}/import, ${rows} rows`)
      const rss = trackPeakRssOf(child.pid!)
      const started = performance.now()
      const res = await postFile(`${url}/api/${slug}/import`, file, { authorization: `JWT ${token}`, 'content-type': 'text/csv' })
      const answer = JSON.parse(res.body) as { created?: number; errors?: unknown[]; failed?: number; rows?: number }
      const seconds = (performance.now() - started) / 1000
      const peak = rss.stop()
      if (res.status !== 200 || answer.rows !== rows || answer.failed !== 0) {
        throw new Error(`import of ${slug} answered ${res.status}: ${JSON.stringify(answer).slice(0, 500)}`)
      }
      const rate = rows / seconds
      emit(caseName, 'rows_per_s', rate, 'rows/s')
      emit(caseName, 'peak_rss_mb', peak, 'MB')
      return rate
    }
    const customers = await upload('customers', args.customersPath, args.customers, args.customersCase)
    const orders = args.orders > 0 ? await upload('orders', args.ordersPath, args.orders, args.ordersCase) : 0
    return { customers, orders }
  } finally {
    await close()
  }
}

/**
 * `--only parse`: both HTTP imports with the parsing thread off and on (CRM_IMPORT_PARSE_WORKER),
 * each on a fresh server and database, in the order off, on, on, off so a drift of the machine's
 * load weighs on both; reports each mode's mean rows/s and the ratio on ÷ off.
 */
const compareParseWorker = async (args: HttpArgs): Promise<void> => {
  const modes = [
    { name: 'in-thread', value: '0' },
    { name: 'worker', value: '1' },
  ]
  const rates = new Map<string, { customers: number[]; orders: number[] }>(modes.map((mode) => [mode.name, { customers: [], orders: [] }]))
  for (const mode of [modes[0]!, modes[1]!, modes[1]!, modes[0]!]) {
    progress(`${args.db}: parsing ${mode.name} (CRM_IMPORT_PARSE_WORKER=${mode.value})`)
    const emit = (caseName: string, metric: string, value: number, unit: string) => args.emit(`${caseName}-parse-${mode.name}`, metric, value, unit)
    const rate = await importOverHttp({ ...args, emit, env: { CRM_IMPORT_PARSE_WORKER: mode.value } })
    rates.get(mode.name)!.customers.push(rate.customers)
    rates.get(mode.name)!.orders.push(rate.orders)
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length
  for (const kind of ['customers', 'orders'] as const) {
    const caseName = kind === 'customers' ? args.customersCase : args.ordersCase
    const off = mean(rates.get('in-thread')![kind])
    const on = mean(rates.get('worker')![kind])
    args.emit(`${caseName}-parse-in-thread`, 'mean_rows_per_s', off, 'rows/s')
    args.emit(`${caseName}-parse-worker`, 'mean_rows_per_s', on, 'rows/s')
    args.emit(`${caseName}-parse-worker`, 'speedup_vs_in_thread', on / off, 'x')
  }
}
