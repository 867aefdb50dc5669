import type { SeedCustomer } from '../../src/domain/seed/generateSeedData.js'

import { stringify } from 'csv-stringify'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'

import { generateCustomers, generateOrders } from '../../src/domain/seed/generateSeedData.js'
import { toExportCell } from '../../src/domain/ingest/index.js'

const CUSTOMER_HEADERS = ['email', 'name', 'phone', 'city', 'tags', 'visits', 'spend', 'opt out', 'signup date', 'last visit at', 'preferred channel']

/** One generated customer as a CSV row (formula-protected like our export, so `+91…` phones get `'`). */
export const customerCells = (c: SeedCustomer): string[] =>
  [
    c.email,
    c.name,
    c.phone,
    c.city,
    c.tags.join(';'),
    c.visits,
    c.baseSpend,
    c.marketingOptOut ? 'yes' : 'no',
    c.createdAt.toISOString(),
    c.lastVisitAt?.toISOString() ?? '',
    c.attributes?.preferredChannel ?? '',
  ].map(toExportCell)

const writeCsv = async (path: string, headers: string[], rows: Iterable<string[][]>): Promise<void> => {
  const file = createWriteStream(path)
  const csv = stringify({ record_delimiter: 'windows' })
  csv.pipe(file)
  csv.write(headers)
  for (const batch of rows) {
    for (const row of batch) if (!csv.write(row)) await once(csv, 'drain')
  }
  csv.end()
  await once(file, 'close')
}

/**
 * Writes the benchmark's customers and orders CSV files (CRLF, BOM-less, the seed's realistic
 * rows); returns the emails by customer index, which the orders file links to.
 */
export const writeImportFiles = async ({
  customers,
  customersPath,
  now,
  orders,
  ordersPath,
  seed,
}: {
  customers: number
  customersPath: string
  now: Date
  orders: number
  ordersPath: string
  seed: number
}): Promise<void> => {
  const emails: string[] = []
  await writeCsv(
    customersPath,
    CUSTOMER_HEADERS,
    (function* () {
      for (const batch of generateCustomers({ batchSize: 10_000, count: customers, now, seed })) {
        for (const customer of batch) emails.push(customer.email)
        yield batch.map(customerCells)
      }
    })(),
  )
  await writeCsv(
    ordersPath,
    ['order id', 'customer email', 'amount', 'currency', 'ordered at', 'status'],
    (function* () {
      for (const batch of generateOrders({ batchSize: 10_000, count: orders, customerCount: customers, now, seed })) {
        yield batch.map((o) => [o.externalId, emails[o.customerIndex]!, String(o.amount), 'INR', o.orderedAt.toISOString(), o.status])
      }
    })(),
  )
}
