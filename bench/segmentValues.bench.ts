import type { PayloadRequest } from 'payload'

import type { DistinctSource } from '../src/segments/distinctValues.js'
import type { BenchDb } from './lib/report.js'

import { analyzeAfterBulkLoad, upsertCustomers } from '../src/bulk/index.js'
import { generateCustomers } from '../src/domain/seed/generateSeedData.js'
import { distinctValues } from '../src/segments/distinctValues.js'
import { bootBenchPayload } from './lib/bootBenchPayload.js'
import { parseBenchOptions } from './lib/options.js'
import { percentile, progress, report } from './lib/report.js'

/**
 * `npm run bench -- segmentValues [--db …] [--scale f] [--runs N]`: seeds 1,000,000 × scale customers
 * (demo data: weighted cities, tags, a quarter with `attributes.preferredChannel`) and times
 * `GET /api/segments/values`' query (`distinctValues`) for the admin rule builder's pickers: cities,
 * tags, attribute keys and one attribute's values, with and without a `q` filter.
 */
const BENCH = 'segmentValues'

const CASES: { name: string; q: string; source: DistinctSource }[] = [
  { name: 'city', q: '', source: { kind: 'city' } },
  { name: 'city-q', q: 'pu', source: { kind: 'city' } },
  { name: 'tags', q: '', source: { kind: 'tags' } },
  { name: 'attribute-keys', q: '', source: { kind: 'attributeKeys' } },
  { name: 'attribute-values', q: '', source: { key: 'preferredChannel', kind: 'attributeValues' } },
]

export const run = async (argv: string[]): Promise<void> => {
  const options = await parseBenchOptions(argv)
  const runsAt = options.rest.indexOf('--runs')
  const runs = runsAt >= 0 ? Number(options.rest[runsAt + 1]) : 9
  const customers = Math.round(1_000_000 * options.scale)
  for (const db of options.dbs) {
    const bench = await bootBenchPayload({ kind: db, label: 'segment-values', postgresUrl: options.postgresUrl })
    try {
      progress(`${db}: seeding ${customers} customers`)
      const now = new Date()
      for (const batch of generateCustomers({ batchSize: 50_000, count: customers, now, seed: 1 })) await upsertCustomers({ now, payload: bench.payload, rows: batch })
      await analyzeAfterBulkLoad({ payload: bench.payload })
      const req = { payload: bench.payload } as PayloadRequest
      for (const { name, q, source } of CASES) {
        const times: number[] = []
        let found: string[] = []
        for (let i = 0; i <= runs; i++) {
          const started = performance.now()
          found = (await distinctValues({ limit: 50, q, req, source })) ?? []
          if (i > 0) times.push(performance.now() - started) // the first run warms up
        }
        times.sort((a, b) => a - b)
        progress(`${db} ${name}: ${found.length} values (${found.slice(0, 5).join(', ')}…)`)
        const emit = (metric: string, value: number, unit: string) => report({ bench: BENCH, case: name, db: db as BenchDb, metric, unit, value })
        emit('p50', percentile(times, 50), 'ms')
        emit('p95', percentile(times, 95), 'ms')
        emit('values', found.length, 'count')
      }
    } finally {
      await bench.cleanup()
    }
  }
}
