import type { Payload } from 'payload'

import { closeSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs'

import type { DatabaseSettings } from '../env.js'

import { migrationsFor } from './createDatabaseAdapter.js'
import { withPgAdvisoryLock } from './withPgAdvisoryLock.js'

type PgPool = { connect: () => Promise<{ query: (sql: string, params?: unknown[]) => Promise<unknown>; release: () => void }> }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Applies the committed migrations on every start (any NODE_ENV). Several processes may start at
 * once (server + workers): on PostgreSQL they queue on an advisory lock, on SQLite on a lock file
 * beside the database (Payload's migrate exits the process on a failed migration, so racing is not
 * an option). The second one in finds the migrations recorded and does nothing.
 */
export const applyMigrations = async ({ database, payload }: { database: DatabaseSettings; payload: Payload }): Promise<void> => {
  const migrations = migrationsFor(database.kind)
  if (migrations.length === 0 || typeof payload.db.migrate !== 'function') return
  const migrate = () => payload.db.migrate({ migrations })

  if (database.kind === 'postgres') {
    const client = await (payload.db as unknown as { pool: PgPool }).pool.connect()
    try {
      await withPgAdvisoryLock(client, 'crm-migrations', migrate)
    } finally {
      client.release()
    }
    return
  }
  if (database.kind === 'sqlite') {
    // The lock file sits beside the database file.
    const release = await acquireLockFile(`${database.filePath}.migrate-lock`)
    try {
      await migrate()
    } finally {
      release()
    }
  }
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
