/**
 * `npm run import -- customers ./file.csv` (or `orders`): imports a CSV file into the configured
 * database (DATABASE_URL, default SQLite ./data/crm.db) through the same path as the import endpoint
 * (runCsvImport → the bulk layer), with Payload booted locally (no HTTP). A progress bar goes to
 * stderr, then the summary; `--json` also prints the whole report as JSON on stdout.
 * Exit codes: 0 imported (rows may have failed: see the summary), 1 the file was refused, 2 usage.
 */
import { createReadStream, statSync } from 'node:fs'
import { getPayload } from 'payload'

import config from '../payload.config.js'
import { closePayload } from '../src/db/closePayload.js'
import { formatImportSummary, progressBar } from '../src/domain/ingest/index.js'
import { importCustomersCsv } from '../src/operations/ingest/importCustomersCsv.js'
import { importOrdersCsv } from '../src/operations/ingest/importOrdersCsv.js'

const USAGE = 'usage: npm run import -- customers|orders <file.csv> [--json]'

const fail = (message: string): never => {
  process.stderr.write(`import: ${message}\n${USAGE}\n`)
  process.exit(2)
}

const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}
const isJson = args.includes('--json')
const [kind, file, ...rest] = args.filter((arg) => arg !== '--json')
if (kind !== 'customers' && kind !== 'orders') fail(`the first argument is what the file holds: customers or orders${kind ? `, not ${kind}` : ''}`)
if (!file) fail('give the CSV file to import')
if (rest.length > 0) fail(`unexpected arguments: ${rest.join(' ')}`)
try {
  if (!statSync(file!).isFile()) fail(`${file} is not a file`)
} catch {
  fail(`cannot read ${file}`)
}

/** Data rows of the file (lines after the header), counted by streaming it, for the bar's total. */
const countRows = async (path: string): Promise<number> => {
  let lines = 0
  let last = 10
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1
    if (chunk.length > 0) last = chunk[chunk.length - 1]!
  }
  if (last !== 10) lines += 1
  return Math.max(0, lines - 1)
}

const total = await countRows(file!)
const payload = await getPayload({ config })
const started = Date.now()
const isTty = process.stderr.isTTY === true
let drawn = -1
const draw = (done: number) => {
  if (done === drawn) return
  drawn = done
  const line = progressBar({ done, rowsPerSecond: done / Math.max(0.001, (Date.now() - started) / 1000), total })
  process.stderr.write(isTty ? `\r${line}` : `${line}\n`)
}
process.stderr.write(`import: ${kind} from ${file} (${total.toLocaleString('en')} rows) → ${payload.db.name}\n`)
const importCsv = kind === 'orders' ? importOrdersCsv : importCustomersCsv
const result = await importCsv({
  payload,
  progress: { onBatch: async (report) => draw(report.rows) },
  source: createReadStream(file!) as AsyncIterable<Uint8Array>,
})
await closePayload(payload).catch(() => undefined)
if (!result.ok) {
  process.stderr.write(`${isTty ? '\n' : ''}import: the file was refused: ${result.message}\n`)
  process.exit(1)
}
draw(result.report.rows)
if (isTty) process.stderr.write('\n')
process.stderr.write(formatImportSummary({ report: result.report, seconds: (Date.now() - started) / 1000 }))
if (isJson) process.stdout.write(`${JSON.stringify(result.report)}\n`)
process.exit(0)
