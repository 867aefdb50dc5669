import pg from 'pg'

import type { BenchDb } from './report.js'
import { progress } from './report.js'

export type BenchOptions = {
  /** Databases to run on, in order. */
  dbs: Exclude<BenchDb, 'none'>[]
  /** Postgres server for benchmarks (BENCH_DATABASE_URL). */
  postgresUrl: string
  /** Shrinks data sizes for a quick run (1 = full size). */
  scale: number
  /** Remaining, benchmark-specific arguments. */
  rest: string[]
}

export const DEFAULT_BENCH_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test'

const isPostgresReachable = async (url: string): Promise<boolean> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}

/** Parses `--db sqlite|postgres|all` (default: all reachable) and `--scale <factor>`. */
export const parseBenchOptions = async (argv: string[]): Promise<BenchOptions> => {
  const postgresUrl = process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_POSTGRES_URL
  let db = 'all'
  let scale = 1
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--db') db = argv[++i] ?? 'all'
    else if (arg.startsWith('--db=')) db = arg.slice(5)
    else if (arg === '--scale') scale = Number(argv[++i])
    else if (arg.startsWith('--scale=')) scale = Number(arg.slice(8))
    else rest.push(arg)
  }
  if (!Number.isFinite(scale) || scale <= 0) throw new Error('--scale must be a positive number, e.g. --scale 0.01')
  if (!['all', 'postgres', 'sqlite'].includes(db)) throw new Error('--db must be sqlite, postgres or all')
  const dbs: BenchOptions['dbs'] = []
  if (db === 'all' || db === 'sqlite') dbs.push('sqlite')
  if (db === 'all' || db === 'postgres') {
    if (await isPostgresReachable(postgresUrl)) dbs.push('postgres')
    else if (db === 'postgres') throw new Error(`PostgreSQL is not reachable at ${postgresUrl}`)
    else progress(`PostgreSQL not reachable at ${postgresUrl}; running on SQLite only`)
  }
  return { dbs, postgresUrl, rest, scale }
}
