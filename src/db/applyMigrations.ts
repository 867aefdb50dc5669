import type { Payload } from 'payload'

import { closeSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs'

import type { DatabaseKind } from '../env.js'

import { migrationsFor } from './createDatabaseAdapter.js'

// Arbitrary, fixed: every process of this app serialises its migrations on it.
const MIGRATION_LOCK_KEY = 72_611_001

type PgPool = { connect: () => Promise<{ query: (sql: string, params?: unknown[]) => Promise<unknown>; release: () => void }> }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Applies the committed migrations on every start (any NODE_ENV). Several processes may start at
 * once (server + workers): on PostgreSQL they queue on an advisory lock, on SQLite on a lock file
 * beside the database (Payload's migrate exits the process on a failed migration, so racing is not
 * an option). The second one in finds the migrations recorded and does nothing.
 */
export const applyMigrations = async ({
  kind,
  payload,
  sqliteFile,
}: {
  kind: DatabaseKind
  payload: Payload
  /** The SQLite database file; the lock file sits beside it. */
  sqliteFile?: string
}): Promise<void> => {
  const migrations = migrationsFor(kind)
  if (migrations.length === 0 || typeof payload.db.migrate !== 'function') return

  if (kind === 'postgres') {
    const pool = (payload.db as unknown as { pool: PgPool }).pool
    const client = await pool.connect()
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
      await payload.db.migrate({ migrations })
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined)
      client.release()
    }
    return
  }

  if (kind === 'sqlite' && sqliteFile) {
    const release = await acquireLockFile(`${sqliteFile}.migrate-lock`)
    try {
      await payload.db.migrate({ migrations })
    } finally {
      release()
    }
    return
  }
  await payload.db.migrate({ migrations })
}

// A lock older than this belongs to a process that died mid-migration.
const STALE_LOCK_MS = 120_000

/** Exclusive-create lock file beside the SQLite database; polls until it is free. */
const acquireLockFile = async (lockPath: string): Promise<() => void> => {
  const deadline = Date.now() + STALE_LOCK_MS + 10_000
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx')
      writeFileSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(lockPath, { force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const age = Date.now() - (statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > STALE_LOCK_MS) rmSync(lockPath, { force: true })
      else if (Date.now() > deadline) throw new Error(`Timed out waiting for the migration lock ${lockPath}`)
      else await sleep(100)
    }
  }
}
