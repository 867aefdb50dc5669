import { sql } from 'drizzle-orm'

import { runSql, upsertCustomers, upsertOrders } from '../src/bulk/index.js'
import { generateCustomers, generateOrders } from '../src/domain/seed/generateSeedData.js'
import { bootBenchPayload } from './lib/bootBenchPayload.js'
import { parseBenchOptions } from './lib/options.js'
import { progress, report } from './lib/report.js'

/**
 * `npm run bench -- sqliteDriver [--scale f] [--rounds n]`: which SQLite driver the bulk data plane
 * should use, measured on the same work with each: the bulk upsert of 200,000 × scale customers and
 * 600,000 × scale orders (linked by email, as a CSV import does; 10,000-row calls), then a
 * campaign-snapshot-shaped `INSERT … SELECT` of every customer into `communication_logs`. The
 * drivers alternate on fresh databases for `--rounds` rounds (default 3), so a busy machine slows
 * both alike; the median of each is reported, and `speedup_vs_libsql` for better-sqlite3, by wall
 * clock and by the process's CPU seconds (`cpu_speedup_vs_libsql`, steadier when the machine is busy).
 */
const BENCH = 'sqliteDriver'
const DRIVERS = ['libsql', 'better-sqlite3'] as const
type Driver = (typeof DRIVERS)[number]
/** Rates by wall clock, and the process's CPU seconds for the same work (steadier on a busy machine). */
type Sample = { customers: number; customersCpuS: number; orders: number; ordersCpuS: number; snapshotCpuS: number; snapshotS: number }

const cpuSeconds = (): number => {
  const { system, user } = process.cpuUsage()
  return (system + user) / 1e6
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const runOnce = async ({ customers, driver, orders, postgresUrl }: { customers: number; driver: Driver; orders: number; postgresUrl: string }): Promise<Sample> => {
  process.env.CRM_SQLITE_BULK_DRIVER = driver
  const bench = await bootBenchPayload({ kind: 'sqlite', label: `driver_${driver.replace(/\W/g, '')}`, postgresUrl })
  const { payload } = bench
  try {
    const now = new Date()
    const emails: string[] = []
    let started = performance.now()
    let cpu = cpuSeconds()
    for (const batch of generateCustomers({ batchSize: 10_000, count: customers, now, seed: 7 })) {
      for (const row of batch) emails.push(row.email)
      await upsertCustomers({ now, payload, returnIds: false, rows: batch })
    }
    const customersRate = customers / ((performance.now() - started) / 1000)
    const customersCpuS = cpuSeconds() - cpu
    started = performance.now()
    cpu = cpuSeconds()
    for (const batch of generateOrders({ batchSize: 10_000, count: orders, customerCount: customers, now, seed: 7 })) {
      await upsertOrders({ now, payload, rows: batch.map(({ customerIndex, ...order }) => ({ ...order, customerEmail: emails[customerIndex]! })) })
    }
    const ordersRate = orders / ((performance.now() - started) / 1000)
    const ordersCpuS = cpuSeconds() - cpu
    const campaign = await payload.create({ collection: 'campaigns', data: { message: 'x', name: 'driver bench' } as never, overrideAccess: true })
    started = performance.now()
    cpu = cpuSeconds()
    await runSql({
      payload,
      query: sql`INSERT INTO communication_logs (campaign_id, customer_id, recipient, status, reference, attempts, updated_at, created_at)
                 SELECT ${Number(campaign.id)}, id, email, 'pending', 'r' || id, 0, ${now.toISOString()}, ${now.toISOString()}
                   FROM customers WHERE email IS NOT NULL AND COALESCE(marketing_opt_out, 0) = 0`,
    })
    const snapshotS = (performance.now() - started) / 1000
    return { customers: customersRate, customersCpuS, orders: ordersRate, ordersCpuS, snapshotCpuS: cpuSeconds() - cpu, snapshotS }
  } finally {
    await bench.cleanup()
    delete process.env.CRM_SQLITE_BULK_DRIVER
  }
}

export const run = async (argv: string[]): Promise<void> => {
  const options = await parseBenchOptions(argv)
  const roundsAt = options.rest.indexOf('--rounds')
  const rounds = roundsAt >= 0 ? Math.max(1, Number(options.rest[roundsAt + 1]) || 3) : 3
  const customers = Math.max(1000, Math.round(200_000 * options.scale))
  const orders = customers * 3
  const samples: Record<Driver, Sample[]> = { 'better-sqlite3': [], libsql: [] }
  for (let round = 1; round <= rounds; round++) {
    // Alternate which driver goes first, so neither always gets the cooler machine.
    for (const driver of round % 2 ? DRIVERS : [...DRIVERS].reverse()) {
      progress(`round ${round}/${rounds}: ${driver}: ${customers} customers, ${orders} orders, snapshot`)
      const sample = await runOnce({ customers, driver, orders, postgresUrl: options.postgresUrl })
      progress(
        `  ${Math.round(sample.customers)} customers/s (cpu ${sample.customersCpuS.toFixed(1)} s), ${Math.round(sample.orders)} orders/s (cpu ${sample.ordersCpuS.toFixed(1)} s), snapshot ${sample.snapshotS.toFixed(2)} s (cpu ${sample.snapshotCpuS.toFixed(2)} s)`,
      )
      samples[driver].push(sample)
    }
  }
  const emit = (caseName: string, metric: string, value: number, unit: string) => report({ bench: BENCH, case: caseName, db: 'sqlite', metric, unit, value })
  for (const driver of DRIVERS) {
    const s = samples[driver]
    emit(`${driver}-customers`, 'rows_per_s', median(s.map((x) => x.customers)), 'rows/s')
    emit(`${driver}-orders`, 'rows_per_s', median(s.map((x) => x.orders)), 'rows/s')
    emit(`${driver}-snapshot`, 'snapshot_s', median(s.map((x) => x.snapshotS)), 's')
    emit(`${driver}-customers`, 'cpu_s', median(s.map((x) => x.customersCpuS)), 's')
    emit(`${driver}-orders`, 'cpu_s', median(s.map((x) => x.ordersCpuS)), 's')
    emit(`${driver}-snapshot`, 'cpu_s', median(s.map((x) => x.snapshotCpuS)), 's')
  }
  const b = samples['better-sqlite3']
  const l = samples.libsql
  emit('better-sqlite3-customers', 'speedup_vs_libsql', median(b.map((x) => x.customers)) / median(l.map((x) => x.customers)), 'x')
  emit('better-sqlite3-orders', 'speedup_vs_libsql', median(b.map((x) => x.orders)) / median(l.map((x) => x.orders)), 'x')
  emit('better-sqlite3-snapshot', 'speedup_vs_libsql', median(l.map((x) => x.snapshotS)) / median(b.map((x) => x.snapshotS)), 'x')
  // The same comparison in CPU seconds: libsql's ÷ better-sqlite3's (above 1: better-sqlite3 needs less).
  for (const key of ['customers', 'orders', 'snapshot'] as const) {
    const field = `${key}CpuS` as const
    emit(`better-sqlite3-${key}`, 'cpu_speedup_vs_libsql', median(l.map((x) => x[field])) / median(b.map((x) => x[field])), 'x')
  }
}
