import type { PayloadRequest } from 'payload'
import type { Payload } from 'payload'
import type { SQL } from 'drizzle-orm'

import { readSqliteBulkDriver, readSqliteBulkThread } from '../env.js'
import { BetterSqliteBulkClient, sqliteFileOf } from './sqlite/driver.js'
import { fileLockFor, guardLibsqlClient } from './sqlite/fileLock.js'
import { ThreadedSqliteBulkClient } from './sqlite/threadClient.js'


export type SqlDialect = 'postgres' | 'sqlite'

type DrizzleLike = {
  dialect?: { sqlToQuery: (query: SQL) => { params: unknown[]; sql: string } }
  execute?: (query: SQL) => Promise<{ rows?: unknown[] }>
  run?: (query: SQL) => Promise<{ rows?: unknown[] }>
}

/** The SQL dialect behind Payload's adapter, or null for MongoDB. */
export const sqlDialectOf = (payload: Payload): SqlDialect | null => {
  const name = payload.db.name
  return name === 'sqlite' || name === 'postgres' ? name : null
}

type DrizzleAdapterLike = { drizzle: DrizzleLike; sessions?: Record<number | string, { db?: DrizzleLike } | undefined> }

/** The request's open transaction if it has one, else the adapter's connection (as Payload does). */
const drizzleFor = async (payload: Payload, req?: Partial<PayloadRequest>): Promise<DrizzleLike> => {
  const adapter = payload.db as unknown as DrizzleAdapterLike
  const transactionID = req?.transactionID ? await req.transactionID : undefined
  return (transactionID !== undefined && adapter.sessions?.[transactionID]?.db) || adapter.drizzle
}

/**
 * One statement through the adapter's own connection (the bulk data plane's on SQLite), with its
 * rows and how many rows it changed.
 */
const runStatement = async ({ payload, query, req }: { payload: Payload; query: SQL; req?: Partial<PayloadRequest> }): Promise<{ changed: number; rows: unknown[] }> => {
  const db = await drizzleFor(payload, req)
  if (sqlDialectOf(payload) === 'sqlite') {
    // The bulk data plane's own connection when there is one (Payload's SQLite adapter runs without
    // transactions, so there is no request transaction to join).
    const bulk = bulkSqliteOf(payload)
    if (bulk && db.dialect) {
      const compiled = db.dialect.sqlToQuery(query)
      const result = await bulk.execute({ args: compiled.params, sql: compiled.sql })
      return { changed: result.rowsAffected, rows: result.rows }
    }
    const result = (await db.run!(query)) as { rows?: unknown[]; rowsAffected?: number }
    return { changed: Number(result.rowsAffected ?? 0), rows: result.rows ?? [] }
  }
  const result = (await db.execute!(query)) as { rowCount?: null | number; rows?: unknown[] }
  return { changed: Number(result.rowCount ?? 0), rows: result.rows ?? [] }
}

/**
 * Runs one statement through the adapter's own connection, inside the request's transaction when
 * there is one (so hooks see rows written earlier in the same request).
 */
export const runSql = async <Row = Record<string, unknown>>(args: { payload: Payload; query: SQL; req?: Partial<PayloadRequest> }): Promise<Row[]> =>
  (await runStatement(args)).rows as Row[]

/**
 * Runs one writing statement like `runSql` and answers how many rows it changed (without a
 * RETURNING clause: SQLite collects returned rows in a temporary table before the first comes
 * back, which made the receipts UPDATE about 15 % slower).
 */
export const runSqlCount = async (args: { payload: Payload; query: SQL; req?: Partial<PayloadRequest> }): Promise<number> => (await runStatement(args)).changed

/** The slice of @libsql/client's `Client` the bulk layer uses. */
/**
 * A statement of a libsql-shaped `batch`. `onlyIf` (honoured by the bulk layer's own SQLite
 * connection; @libsql/client ignores it and runs the statement): the index of an earlier statement
 * of the same batch; this one runs only when that one returned at least one row, else its result is
 * empty. Only for statements that would change nothing then (an UPDATE of a chunk's stored rows when
 * the read before it found none), so skipping them is faster, never different.
 */
export type LibsqlStatement = { args: unknown[]; onlyIf?: number; sql: string }
export type LibsqlResult = { rows: Record<string, unknown>[]; rowsAffected: number }
export type LibsqlClientLike = {
  batch: (statements: LibsqlStatement[], mode?: 'deferred' | 'read' | 'write') => Promise<LibsqlResult[]>
  execute: (statement: LibsqlStatement) => Promise<LibsqlResult>
}

type SqliteAdapterLike = { client?: LibsqlClientLike; clientConfig?: { url?: unknown } }

type BulkSqliteClient = LibsqlClientLike & { close: () => void }

// Per adapter: its better-sqlite3 connection, or null for a database that is not a plain local file.
const bulkConnections = new WeakMap<object, BulkSqliteClient | null>()

/**
 * The process's better-sqlite3 connection on the adapter's database file, opened once (see
 * `openBulkConnections`); null for a database that is not a plain local file.
 */
const sqliteConnectionOf = (payload: Payload): BulkSqliteClient | null => {
  const adapter = payload.db as unknown as SqliteAdapterLike
  if (!adapter.client) throw new Error('The SQLite adapter has no client yet (is Payload initialised?)')
  let bulk = bulkConnections.get(adapter)
  if (bulk === undefined) {
    const file = sqliteFileOf(adapter.clientConfig?.url)
    // In a worker thread unless CRM_SQLITE_BULK_THREAD=0 (docs/bulk.md, "The bulk thread"); Payload's
    // libsql client then takes the same lock for each statement, so the two never run at once.
    if (file && readSqliteBulkDriver() === 'better-sqlite3' && readSqliteBulkThread()) {
      const threaded = new ThreadedSqliteBulkClient(file, { lock: fileLockFor(file), warn: (msg, err) => payload.logger.warn({ err, msg }) })
      guardLibsqlClient(adapter.client as unknown as Record<string, unknown>, threaded.lock)
      bulk = threaded
    } else bulk = file ? new BetterSqliteBulkClient(file) : null
    bulkConnections.set(adapter, bulk)
  }
  return bulk
}

/** The connection bulk statements run on when it is better-sqlite3 (CRM_SQLITE_BULK_DRIVER), else null. */
const bulkSqliteOf = (payload: Payload): BulkSqliteClient | null =>
  readSqliteBulkDriver() === 'better-sqlite3' ? sqliteConnectionOf(payload) : null

/**
 * Opens the better-sqlite3 connection of a file-backed SQLite database at start-up and keeps it open
 * until after Payload's own connection has closed (`closeBulkConnections`). Besides serving the
 * bulk layer, it anchors the file for every better-sqlite3 connection of this process (the job
 * runtime's, the benchmarks'): libsql and better-sqlite3 each bundle their own SQLite, whose POSIX
 * locks do not see each other's within one process, so the last better-sqlite3 connection to close
 * would take itself for the file's last user, checkpoint and delete the WAL under libsql's feet
 * (libsql then reads and writes a stale, unlinked WAL). While this one stays open, no other
 * better-sqlite3 connection is the last (docs/bulk.md, "Two SQLite libraries in one process").
 */
export const openBulkConnections = (payload: Payload): void => {
  if (sqlDialectOf(payload) === 'sqlite') sqliteConnectionOf(payload)
}

/**
 * The SQLite connection bulk statements run on: better-sqlite3 on the adapter's file, else (not a
 * plain file, or CRM_SQLITE_BULK_DRIVER=libsql) Payload's own libsql client.
 */
export const sqliteClientOf = (payload: Payload): LibsqlClientLike => bulkSqliteOf(payload) ?? (payload.db as unknown as SqliteAdapterLike).client!

/**
 * Closes this Payload's better-sqlite3 connection, if it opened one. Call it AFTER `payload.destroy()`
 * (see `openBulkConnections`).
 */
export const closeBulkConnections = (payload: Payload): void => {
  const adapter = payload.db as unknown as object
  bulkConnections.get(adapter)?.close()
  bulkConnections.delete(adapter)
}

/** The slice of pg's `PoolClient` the bulk layer uses. */
export type PgClientLike = {
  query: {
    <R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rowCount: null | number; rows: R[] }>
    <T>(stream: T): T
  }
  release: () => void
}

type PgAdapterLike = {
  pool?: { connect: () => Promise<PgClientLike> }
  schemaName?: string
  sessions?: Record<number | string, { db?: { session?: { client?: PgClientLike } } } | undefined>
}

/** The pg client of the request's open transaction, if it has one. */
const sessionPgClient = async (payload: Payload, req?: Partial<PayloadRequest>): Promise<PgClientLike | undefined> => {
  const transactionID = req?.transactionID ? await req.transactionID : undefined
  if (transactionID === undefined) return undefined
  return (payload.db as unknown as PgAdapterLike).sessions?.[transactionID]?.db?.session?.client
}

/** Whether bulk writes would join a request's open PostgreSQL transaction (which a refused batch aborts). */
export const joinsPgTransaction = async (payload: Payload, req?: Partial<PayloadRequest>): Promise<boolean> =>
  (await sessionPgClient(payload, req)) !== undefined

/**
 * Runs `fn` on one pg client of Payload's pool inside a transaction: the request's transaction when
 * it has one (no commit here: Payload commits it), else a fresh BEGIN … COMMIT. `beforeCommit` (a
 * test seam) is awaited after `fn`, while the transaction and its locks are still held.
 */
export const withPgTransaction = async <T>(
  { beforeCommit, payload, req }: { beforeCommit?: () => Promise<void> | void; payload: Payload; req?: Partial<PayloadRequest> },
  fn: (client: PgClientLike) => Promise<T>,
): Promise<T> => {
  const joined = await sessionPgClient(payload, req)
  if (joined) {
    const result = await fn(joined)
    await beforeCommit?.()
    return result
  }
  const pool = (payload.db as unknown as PgAdapterLike).pool
  if (!pool) throw new Error('The PostgreSQL adapter has no pool yet (is Payload initialised?)')
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await fn(client)
    await beforeCommit?.()
    await client.query('COMMIT')
    return result
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw err
  } finally {
    client.release()
  }
}

/** `"schema".` prefix for the adapter's `schemaName` (empty for the default `public`). */
export const pgSchemaPrefix = (payload: Payload): string => {
  const schema = (payload.db as unknown as PgAdapterLike).schemaName
  return schema && schema !== 'public' ? `"${schema.replace(/"/g, '""')}".` : ''
}
