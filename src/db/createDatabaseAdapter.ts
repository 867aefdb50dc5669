import type { DatabaseAdapterObj, Migration } from 'payload'

import { mongooseAdapter } from '@payloadcms/db-mongodb'
import { postgresAdapter } from '@payloadcms/db-postgres'
import { sqliteAdapter } from '@payloadcms/db-sqlite'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import type { DatabaseSettings } from '../env.js'

import { migrations as postgresMigrations } from '../migrations/postgres/index.js'
import { migrations as sqliteMigrations } from '../migrations/sqlite/index.js'

const migrationsRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations')

/** SQLite waits this long for another process's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000

/**
 * Builds Payload's database adapter from the parsed DATABASE_URL. Schema changes never happen by
 * `push` (it prompts without a TTY): committed migrations are applied by `onInit` in `buildCrmConfig` on every start, in any NODE_ENV
 * (Payload's own `prodMigrations` would only run under NODE_ENV=production).
 */
export const createDatabaseAdapter = (database: DatabaseSettings): DatabaseAdapterObj => {
  switch (database.kind) {
    case 'sqlite':
      mkdirSync(path.dirname(database.filePath), { recursive: true })
      return sqliteAdapter({
        busyTimeout: SQLITE_BUSY_TIMEOUT_MS,
        client: { url: database.url },
        migrationDir: path.join(migrationsRoot, 'sqlite'),
        push: false,
        wal: { journalSizeLimit: 64 * 1024 * 1024, synchronous: 'NORMAL' },
      })
    case 'postgres':
      return postgresAdapter({
        migrationDir: path.join(migrationsRoot, 'postgres'),
        pool: { connectionString: database.url, max: 10 },
        push: false,
      })
    case 'mongodb':
      // Wired but untested here: no MongoDB server can be installed on our machines (see README).
      return mongooseAdapter({ url: database.url })
  }
}

/** The committed migrations for a database kind (MongoDB needs none). */
export const migrationsFor = (kind: DatabaseSettings['kind']): Migration[] =>
  (kind === 'sqlite' ? sqliteMigrations : kind === 'postgres' ? postgresMigrations : []) as unknown as Migration[]
