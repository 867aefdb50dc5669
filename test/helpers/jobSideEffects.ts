import type { DatabaseSettings } from '../../src/env.js'

import Database from 'better-sqlite3'
import pg from 'pg'

/**
 * Side effects of test jobs, written to the jobs' own database so they are counted across processes:
 * `job_runs` gets one row per execution (no dedup: proves exactly-once delivery), `job_effects` one
 * row per idempotency key (the pattern real jobs use to make a re-run harmless).
 */
export type JobSideEffects = {
  close: () => Promise<void>
  /** Workers that executed `key`, in order. */
  runsOf: (key: string) => Promise<string[]>
  countRuns: () => Promise<{ distinct: number; total: number; workers: number }>
  countEffects: () => Promise<number>
  init: () => Promise<void>
  recordRun: (key: string, worker: string) => Promise<void>
  /** Applies the effect once per key; returns false when it had already been applied. */
  applyEffect: (key: string) => Promise<boolean>
}

export const openJobSideEffects = (database: DatabaseSettings): JobSideEffects => {
  if (database.kind === 'sqlite') {
    const db = new Database(database.filePath, { timeout: 10_000 })
    db.pragma('journal_mode = WAL')
    return {
      applyEffect: async (key) => db.prepare('INSERT INTO job_effects (key) VALUES (?) ON CONFLICT (key) DO NOTHING').run(key).changes === 1,
      close: async () => void db.close(),
      countEffects: async () => (db.prepare('SELECT COUNT(*) AS n FROM job_effects').get() as { n: number }).n,
      countRuns: async () =>
        db.prepare('SELECT COUNT(*) AS total, COUNT(DISTINCT key) AS "distinct", COUNT(DISTINCT worker) AS workers FROM job_runs').get() as {
          distinct: number
          total: number
          workers: number
        },
      init: async () => {
        db.exec('CREATE TABLE IF NOT EXISTS job_runs (id INTEGER PRIMARY KEY, key TEXT NOT NULL, worker TEXT NOT NULL)')
        db.exec('CREATE TABLE IF NOT EXISTS job_effects (key TEXT PRIMARY KEY)')
      },
      recordRun: async (key, worker) => void db.prepare('INSERT INTO job_runs (key, worker) VALUES (?, ?)').run(key, worker),
      runsOf: async (key) =>
        (db.prepare('SELECT worker FROM job_runs WHERE key = ? ORDER BY id').all(key) as { worker: string }[]).map((r) => r.worker),
    }
  }
  if (database.kind !== 'postgres') throw new Error('side effects are only wired for SQLite and PostgreSQL')
  const pool = new pg.Pool({ connectionString: database.url, max: 4 })
  pool.on('error', () => undefined)
  return {
    applyEffect: async (key) => ((await pool.query('INSERT INTO job_effects (key) VALUES ($1) ON CONFLICT (key) DO NOTHING', [key])).rowCount ?? 0) === 1,
    close: () => pool.end(),
    countEffects: async () => Number((await pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM job_effects')).rows[0]?.n),
    countRuns: async () => {
      const row = (
        await pool.query<{ distinct: string; total: string; workers: string }>(
          'SELECT COUNT(*) AS total, COUNT(DISTINCT key) AS "distinct", COUNT(DISTINCT worker) AS workers FROM job_runs',
        )
      ).rows[0]
      return { distinct: Number(row?.distinct), total: Number(row?.total), workers: Number(row?.workers) }
    },
    init: async () => {
      await pool.query('CREATE TABLE IF NOT EXISTS job_runs (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL, worker TEXT NOT NULL)')
      await pool.query('CREATE TABLE IF NOT EXISTS job_effects (key TEXT PRIMARY KEY)')
    },
    recordRun: async (key, worker) => void (await pool.query('INSERT INTO job_runs (key, worker) VALUES ($1, $2)', [key, worker])),
    runsOf: async (key) =>
      (await pool.query<{ worker: string }>('SELECT worker FROM job_runs WHERE key = $1 ORDER BY id', [key])).rows.map((r) => r.worker),
  }
}
