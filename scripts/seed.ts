/**
 * `npm run seed -- --customers 100000 --orders 300000 [--seed 1] [--batch 50000] [--append|--force]`
 * Fills the configured database (DATABASE_URL, default SQLite ./data/crm.db) with the same demo data
 * as the dashboard's "Load demo data" (`loadDemoData`): customers and orders through the bulk layer,
 * a few segments and one finished campaign with receipts. Refuses a database that already has customers unless --append/--force is given.
 * Progress goes to stderr, the summary to stdout.
 */
import { getPayload } from 'payload'

import config from '../payload.config.js'
import { databaseKind } from '../src/db/databaseKind.js'
import { DEMO_DEFAULTS } from '../src/domain/seed/demoCatalogue.js'
import { loadDemoData } from '../src/operations/seed/loadDemoData.js'

const USAGE = `usage: npm run seed -- [--customers N (default ${DEMO_DEFAULTS.customers})] [--orders N (default 3 per customer)] [--seed S] [--batch N] [--append|--force]`

const fail = (message: string): never => {
  process.stderr.write(`seed: ${message}\n${USAGE}\n`)
  process.exit(2)
}

const parseArgs = (argv: string[]) => {
  const options = { append: false, batch: 50_000, customers: DEMO_DEFAULTS.customers as number, orders: -1, seed: DEMO_DEFAULTS.seed as number }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split('=', 2) as [string, string | undefined]
    const value = () => {
      const raw = inline ?? argv[++i]
      const number = Number(raw?.replace(/[_,]/g, ''))
      if (raw === undefined || !Number.isInteger(number) || number < 0) fail(`${flag} needs a non-negative whole number`)
      return number
    }
    if (flag === '--customers') options.customers = value()
    else if (flag === '--orders') options.orders = value()
    else if (flag === '--seed') options.seed = value()
    else if (flag === '--batch') options.batch = Math.max(1, value())
    else if (flag === '--append' || flag === '--force') options.append = true
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`)
      process.exit(0)
    } else fail(`unknown option ${flag}`)
  }
  if (options.orders < 0) options.orders = options.customers * 3
  if (options.orders > 0 && options.customers === 0) fail('orders need customers: give --customers > 0')
  return options
}

const options = parseArgs(process.argv.slice(2))
const payload = await getPayload({ config })
const db = databaseKind(payload)
const existing = await payload.count({ collection: 'customers', overrideAccess: true })
if (existing.totalDocs > 0 && !options.append) {
  process.stderr.write(
    `seed: the ${db} database already has ${existing.totalDocs} customers; refusing to seed.\n` +
      'Pass --append (or --force) to add to it: the same --seed rewrites the same customers and orders instead of duplicating them.\n',
  )
  await payload.destroy().catch(() => undefined)
  process.exit(1)
}

process.stderr.write(`seed: ${options.customers} customers, ${options.orders} orders, seed ${options.seed} → ${db}\n`)
let lastReport = 0
const result = await loadDemoData({
  batchSize: options.batch,
  customers: options.customers,
  onProgress: ({ percent, phase }) => {
    const now = Date.now()
    if (now - lastReport < 1000 && percent < 100) return
    lastReport = now
    process.stderr.write(`seed: ${percent}% (${phase})\n`)
  },
  orders: options.orders,
  payload,
  seed: options.seed,
})

const rate = (rows: number, ms: number) => Math.round(rows / Math.max(ms / 1000, 1e-3))
const rows = options.customers + options.orders
process.stdout.write(
  [
    `Seeded ${db}: ${result.customers.created} customers created, ${result.customers.updated} updated, ` +
      `${result.orders.created} orders created, ${result.orders.updated} updated.`,
    `  customers ${(result.customers.ms / 1000).toFixed(2)} s (${rate(options.customers, result.customers.ms)} rows/s), ` +
      `orders ${(result.orders.ms / 1000).toFixed(2)} s (${rate(options.orders, result.orders.ms)} rows/s), ` +
      `aggregates ${(result.aggregatesMs / 1000).toFixed(2)} s; total ${(result.totalMs / 1000).toFixed(2)} s (${rate(rows, result.totalMs)} rows/s)`,
    `  ${result.segments} demo segments; ` +
      (result.campaign
        ? `campaign ${String(result.campaign.id)}: ${result.campaign.audience} recipients, ${result.campaign.delivered} delivered, ${result.campaign.failed} failed`
        : 'the demo campaign already exists (left alone)'),
  ].join('\n') + '\n',
)
await payload.destroy().catch(() => undefined)
process.exit(0)
