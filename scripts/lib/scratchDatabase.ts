import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

export type ScratchDbKind = 'postgres' | 'sqlite'

export type ScratchDatabase = {
  /** Drops the database / removes the file. Safe to call twice. */
  cleanup: () => Promise<void>
  kind: ScratchDbKind
  /** A DATABASE_URL for this database (`file:/tmp/…/crm.db` or `postgres://…/crm_t_…`). */
  url: string
}

/**
 * Throwaway databases for tests, benchmarks and `npm run migrate:create` (shared by `test/`, `bench/`
 * and `scripts/`, so none of them imports another's helpers).
 */

/** PostgreSQL server scratch databases are created on; trust auth on this machine. Override with TEST_POSTGRES_URL. */
export const SCRATCH_POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test'

const withAdminClient = async <T>(fn: (client: pg.Client) => Promise<T>, adminUrl = SCRATCH_POSTGRES_ADMIN_URL): Promise<T> => {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
  } catch (err) {
    // Loud on purpose: CI must fail, never skip, when PostgreSQL is missing.
    throw new Error(`PostgreSQL is not reachable at ${adminUrl}: ${(err as Error).message}`)
  }
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/**
 * A fresh, empty database for one test file or benchmark case: a temp SQLite file, or a new
 * PostgreSQL database (`crm_t_<time>_<random>_<label>`) on `adminUrl`'s server, dropped WITH (FORCE)
 * by `cleanup`.
 */
export const createScratchDatabase = async ({
  adminUrl = SCRATCH_POSTGRES_ADMIN_URL,
  kind,
  label,
}: {
  adminUrl?: string
  kind: ScratchDbKind
  label: string
}): Promise<ScratchDatabase> => {
  const safeLabel = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), `crm-${safeLabel}-`))
    let cleaned = false
    return {
      cleanup: async () => {
        if (cleaned) return
        cleaned = true
        rmSync(dir, { force: true, recursive: true })
      },
      kind,
      url: `file:${path.join(dir, 'crm.db')}`,
    }
  }
  // The creation time is in the name so a later run can drop leftovers without touching live runs.
  const name = `crm_t_${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(3).toString('hex')}_${safeLabel}`.slice(0, 63)
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`), adminUrl)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  let cleaned = false
  return {
    cleanup: async () => {
      if (cleaned) return
      cleaned = true
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), adminUrl)
    },
    kind,
    url: url.toString(),
  }
}

/** Drops databases left behind by a crashed earlier run (names start with crm_t_). */
export const dropStaleScratchDatabases = async (): Promise<number> =>
  withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'crm\\_t\\_%'`)
    const cutoff = Date.now() / 1000 - 3 * 3600
    const stale = rows.filter((row) => {
      const created = Number.parseInt(row.datname.split('_')[2] ?? '', 36)
      return Number.isFinite(created) && created < cutoff
    })
    for (const row of stale) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`)
    return stale.length
  })
