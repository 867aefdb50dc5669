import type { Payload } from 'payload'

import Database from 'better-sqlite3'
import { sql } from 'drizzle-orm'
import { mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { getPayload } from 'payload'
import pg from 'pg'

import type { Id } from '../src/bulk/index.js'
import type { CustomerFacts } from '../src/domain/segments/evaluate.js'
import type { RuleClock, RuleGroup } from '../src/domain/segments/types.js'
import type { BenchDb } from './lib/report.js'

import { analyzeAfterBulkLoad, recomputeCustomerAggregates, runSql, upsertCustomers, upsertOrders } from '../src/bulk/index.js'
import { generateCustomers, generateOrders } from '../src/domain/seed/generateSeedData.js'
import { parseDsl } from '../src/domain/segments/dsl/parse.js'
import { evaluateRules } from '../src/domain/segments/evaluate.js'
import { compileAudience, countAudience, previewAudience, segmentSqlTarget } from '../src/segments/audience.js'
import { countSql } from '../src/segments/compileSql.js'
import type { BenchPayload } from './lib/bootBenchPayload.js'
import { benchConfig, bootBenchPayload, closeBenchPayload } from './lib/bootBenchPayload.js'
import { parseBenchOptions } from './lib/options.js'
import { percentile, progress, report } from './lib/report.js'
import { BENCH_RULES } from './lib/segmentBenchRules.js'

/**
 * `npm run bench -- segments [--db …] [--scale f] [--runs N] [--explain] [--keep] [--only rule[,rule]]
 * [--no-baseline]`: seeds 1,000,000 × scale customers (+ 300,000 × scale orders, aggregates derived)
 * and measures a preview (count + the first 10 ids) for ten fixed rules through the compiler, beside
 * the same rules as hand-written SQL on a bare driver (`ceiling-`) and loading every customer into
 * JavaScript to filter there (`baseline-`). `--keep` seeds a named database once
 * (`crm_bench_segments_<scale>` / `$TMPDIR/crm-bench-segments-<scale>/crm.db`), keeps it, and reuses it
 * on the next `--keep` run (migrated to the current schema on boot); `--only` measures some rules;
 * `--no-baseline` skips the load-everything baseline (minutes at full scale).
 */
const BENCH = 'segments'
const SEED = 1
const SAMPLE = 10

type Ceiling = { close: () => Promise<void>; preview: (where: string, params: unknown[]) => Promise<{ count: number; ids: number[] }> }

const bareCeiling = async (kind: 'postgres' | 'sqlite', url: string): Promise<Ceiling> => {
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    return {
      close: () => client.end(),
      preview: async (where, params) => {
        const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM customers WHERE ${where}`, params)
        const ids = await client.query<{ id: number }>(`SELECT id FROM customers WHERE ${where} ORDER BY id LIMIT ${SAMPLE}`, params)
        return { count: Number(count.rows[0]!.n), ids: ids.rows.map((row) => Number(row.id)) }
      },
    }
  }
  const db = new Database(url.replace(/^file:/, ''), { readonly: true })
  return {
    close: async () => {
      db.close()
    },
    preview: async (where, params) => {
      const count = db.prepare(`SELECT count(*) AS n FROM customers WHERE ${where}`).get(...params) as { n: number }
      const ids = db.prepare(`SELECT id FROM customers WHERE ${where} ORDER BY id LIMIT ${SAMPLE}`).all(...params) as { id: number }[]
      return { count: count.n, ids: ids.map((row) => row.id) }
    },
  }
}

/**
 * The kept benchmark database for `--keep` (created when missing, never dropped): Payload booted on
 * it (which applies pending migrations), and whether it still needs seeding.
 */
const bootKeptPayload = async ({ kind, postgresUrl, scale }: { kind: 'postgres' | 'sqlite'; postgresUrl: string; scale: number }): Promise<BenchPayload> => {
  const tag = String(scale).replace(/[^0-9]+/g, '_')
  let url: string
  if (kind === 'sqlite') {
    const dir = path.join(os.tmpdir(), `crm-bench-segments-${tag}`)
    mkdirSync(dir, { recursive: true })
    url = `file:${path.join(dir, 'crm.db')}`
  } else {
    const name = `crm_bench_segments_${tag}`
    const admin = new pg.Client({ connectionString: postgresUrl })
    await admin.connect()
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
      if (!rowCount) await admin.query(`CREATE DATABASE "${name}"`)
    } finally {
      await admin.end()
    }
    const target = new URL(postgresUrl)
    target.pathname = `/${name}`
    url = target.toString()
  }
  const config = benchConfig(url)
  const key = `bench-segments-kept-${kind}`
  const payload = await getPayload({ config, key })
  return { cleanup: () => closeBenchPayload(payload), config, key, payload, url }
}

const time = async <T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> => {
  const started = performance.now()
  const result = await fn()
  return { ms: performance.now() - started, result }
}

const measure = async <T>(runs: number, fn: () => Promise<T>): Promise<{ p50: number; p95: number; result: T }> => {
  const times: number[] = []
  let result!: T
  for (let i = 0; i < runs; i++) {
    const run = await time(fn)
    times.push(run.ms)
    result = run.result
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 50), p95: percentile(times, 95), result }
}

/**
 * Times `a` and `b` alternately (after one warm-up each), so a noisy, shared machine slows both
 * alike and their ratio survives.
 */
const measurePair = async <A, B>(runs: number, a: () => Promise<A>, b: () => Promise<B>): Promise<[{ p50: number; p95: number; result: A }, { p50: number; p95: number; result: B }]> => {
  await a()
  await b()
  const timesA: number[] = []
  const timesB: number[] = []
  let resultA!: A
  let resultB!: B
  for (let i = 0; i < runs; i++) {
    const runA = await time(a)
    const runB = await time(b)
    timesA.push(runA.ms)
    timesB.push(runB.ms)
    resultA = runA.result
    resultB = runB.result
  }
  const summary = <T>(times: number[], result: T) => {
    times.sort((x, y) => x - y)
    return { p50: percentile(times, 50), p95: percentile(times, 95), result }
  }
  return [summary(timesA, resultA), summary(timesB, resultB)]
}

/** The naive way: every customer (and tag) into memory, then filter in JavaScript. */
const loadEverything = async (payload: Payload): Promise<(CustomerFacts & { id: number })[]> => {
  const customers = await runSql<Record<string, unknown>>({
    payload,
    query: sql`SELECT id, email, name, phone, city, visits, total_spend, order_count, last_order_at, last_visit_at, created_at, marketing_opt_out, attributes FROM customers`,
  })
  const tags = await runSql<{ parent_id: number; text: string }>({ payload, query: sql`SELECT parent_id, text FROM customers_texts WHERE path = 'tags'` })
  const tagsById = new Map<number, string[]>()
  for (const tag of tags) {
    const id = Number(tag.parent_id)
    const list = tagsById.get(id)
    if (list) list.push(tag.text)
    else tagsById.set(id, [tag.text])
  }
  const num = (value: unknown) => (value === null || value === undefined ? null : Number(value))
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string))
  return customers.map((row) => ({
    attributes: typeof row.attributes === 'string' ? (JSON.parse(row.attributes) as Record<string, unknown>) : ((row.attributes as null | Record<string, unknown>) ?? null),
    city: (row.city as null | string) ?? null,
    createdAt: new Date(row.created_at as string),
    email: (row.email as null | string) ?? null,
    id: Number(row.id),
    lastOrderAt: date(row.last_order_at),
    lastVisitAt: date(row.last_visit_at),
    marketingOptOut: row.marketing_opt_out === null ? null : Boolean(row.marketing_opt_out),
    name: (row.name as null | string) ?? null,
    orderCount: num(row.order_count),
    phone: (row.phone as null | string) ?? null,
    tags: tagsById.get(Number(row.id)) ?? [],
    totalSpend: num(row.total_spend),
    visits: num(row.visits),
  }))
}

const explain = async (payload: Payload, rules: RuleGroup, clock: RuleClock): Promise<string> => {
  const { compiled } = await compileAudience({ clock, payload, rules })
  const target = segmentSqlTarget(payload)!
  const prefix = target.dialect === 'postgres' ? sql`EXPLAIN ` : sql`EXPLAIN QUERY PLAN `
  const rows = await runSql<Record<string, unknown>>({ payload, query: sql`${prefix}${countSql(compiled, target)}` })
  return rows.map((row) => String(row['QUERY PLAN'] ?? row.detail ?? JSON.stringify(row))).join('\n    ')
}

export const run = async (argv: string[]): Promise<void> => {
  const options = await parseBenchOptions(argv)
  const runsIndex = options.rest.indexOf('--runs')
  const runs = runsIndex >= 0 ? Number(options.rest[runsIndex + 1]) : 15
  const showPlans = options.rest.includes('--explain')
  const keep = options.rest.includes('--keep')
  const withBaseline = !options.rest.includes('--no-baseline')
  const onlyIndex = options.rest.indexOf('--only')
  const only = onlyIndex >= 0 ? new Set((options.rest[onlyIndex + 1] ?? '').split(',').filter(Boolean)) : null
  const unknown = [...(only ?? [])].filter((name) => !BENCH_RULES.some((rule) => rule.case === name))
  if (unknown.length > 0 || (only && only.size === 0)) throw new Error(`--only takes rule names (comma-separated) of: ${BENCH_RULES.map((rule) => rule.case).join(', ')}`)
  const customers = Math.max(1000, Math.round(1_000_000 * options.scale))
  const orders = Math.max(1000, Math.round(300_000 * options.scale))
  const now = new Date()
  const timeZone = 'UTC'
  const clock: RuleClock = { now, timeZone }
  const rules = BENCH_RULES.filter((rule) => !only || only.has(rule.case)).map((rule) => {
    const parsed = parseDsl(rule.dsl)
    if (!parsed.ok) throw new Error(`bench rule ${rule.case} does not parse: ${parsed.errors[0]!.message}`)
    return { ...rule, rules: parsed.rules }
  })

  const seed = async (payload: Payload): Promise<void> => {
    progress(`seeding ${customers} customers and ${orders} orders`)
    const ids: Id[] = new Array(customers)
    let done = 0
    for (const batch of generateCustomers({ batchSize: 50_000, count: customers, now, seed: SEED })) {
      const result = await upsertCustomers({ now, payload, rows: batch })
      for (const row of batch) ids[done++] = result.ids.get(row.email) as Id
    }
    for (const batch of generateOrders({ batchSize: 50_000, count: orders, customerCount: customers, now, seed: SEED })) {
      await upsertOrders({ now, payload, recompute: false, rows: batch.map(({ customerIndex, ...order }) => ({ ...order, customerId: ids[customerIndex] as Id })) })
    }
    await recomputeCustomerAggregates({ payload })
    await analyzeAfterBulkLoad({ payload })
  }

  for (const db of options.dbs) {
    const emit = (caseName: string, metric: string, value: number, unit: string) => report({ bench: BENCH, case: caseName, db: db as BenchDb, metric, unit, value })
    const bench = keep ? await bootKeptPayload({ kind: db, postgresUrl: options.postgresUrl, scale: options.scale }) : await bootBenchPayload({ kind: db, label: 'segments', postgresUrl: options.postgresUrl })
    try {
      const seeded = Number((await runSql<{ n: number | string }>({ payload: bench.payload, query: sql`SELECT count(*) AS n FROM customers` }))[0]?.n ?? 0)
      if (seeded !== 0 && seeded !== customers) throw new Error(`${bench.url} holds ${seeded} customers, not ${customers}: drop it or use another --scale`)
      if (seeded === customers) progress(`${db}: reusing the kept database ${bench.url} (${seeded} customers)`)
      else await seed(bench.payload)
      const ceiling = await bareCeiling(db, bench.url)
      const ours: Record<string, number> = {}
      const ceilings: Record<string, number> = {}
      try {
        for (const rule of rules) {
          progress(`${db}: ${rule.case}: ${rule.dsl}`)
          if (showPlans) progress(`${db}: plan for ${rule.case}:\n    ${await explain(bench.payload, rule.rules, clock)}`)
          const hand = rule.handWritten({ dialect: db, now, timeZone })
          const [mine, bare] = await measurePair(
            runs,
            // What POST /api/segments/preview runs (before loading the 10 documents).
            () => previewAudience({ clock, limit: SAMPLE, payload: bench.payload, rules: rule.rules }),
            () => ceiling.preview(hand.where, hand.params),
          )
          // A fast wrong answer is no answer: both must select the same customers.
          if (mine.result.count !== bare.result.count || JSON.stringify(mine.result.ids) !== JSON.stringify(bare.result.ids)) {
            throw new Error(`${rule.case}: compiler found ${mine.result.count} customers, hand-written SQL ${bare.result.count}`)
          }
          ours[rule.case] = mine.p50
          ceilings[rule.case] = bare.p50
          emit(rule.case, 'p50_ms', mine.p50, 'ms')
          emit(rule.case, 'p95_ms', mine.p95, 'ms')
          emit(rule.case, 'audience', mine.result.count, 'customers')
          emit(`ceiling-${rule.case}`, 'p50_ms', bare.p50, 'ms')
          emit(`ceiling-${rule.case}`, 'p95_ms', bare.p95, 'ms')
          emit(rule.case, 'fraction_of_ceiling', Math.min(1, bare.p50 / mine.p50), 'ratio')
        }
      } finally {
        await ceiling.close()
      }

      if (!withBaseline) continue
      progress(`${db}: baseline: load every customer into JavaScript, then filter`)
      const loaded = await time(() => loadEverything(bench.payload))
      emit('baseline-load-all', 'load_ms', loaded.ms, 'ms')
      for (const rule of rules) {
        const filter = await measure(3, async () => {
          const members = loaded.result.filter((customer) => evaluateRules({ clock, customer, rules: rule.rules }))
          return { count: members.length }
        })
        if (filter.result.count !== (await countAudience({ clock, payload: bench.payload, rules: rule.rules }))) {
          throw new Error(`${rule.case}: the JavaScript baseline disagrees with the database count`)
        }
        const baseline = loaded.ms + filter.p50
        emit(`baseline-${rule.case}`, 'p50_ms', baseline, 'ms')
        emit(rule.case, 'speedup_vs_baseline', baseline / ours[rule.case]!, 'x')
      }
    } finally {
      await bench.cleanup()
    }
  }
}
