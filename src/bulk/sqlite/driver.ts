import type { Database as BetterSqliteDatabase, Statement } from 'better-sqlite3'

import Database from 'better-sqlite3'

import type { LibsqlClientLike, LibsqlResult, LibsqlStatement } from '../connection.js'

/** How long a bulk statement waits for another connection's write lock (as the adapter and the job runtime). */
const BUSY_TIMEOUT_MS = 10_000
/**
 * The bulk connection's page cache, in KiB (SQLite's default is 2,000). A bulk upsert touches index
 * pages all over the file (emails arrive in no order); with the default cache each miss is a read from
 * the OS. Measured on 1M customers, bare better-sqlite3 inserts: 11.3k rows/s with the default, 13.6k
 * with 32 MiB, 14.6k with 64 MiB. The cache fills only as pages are used, so a small database costs
 * nothing; on a big one it adds up to this much to the server's resident memory.
 */
export const BULK_CACHE_KIB = 32_768
/** Prepared statements kept per connection: the bulk layer's statements are a few dozen fixed texts. */
const STATEMENT_CACHE = 256

/**
 * The database file behind a libsql URL, or null when the URL is not a plain local file (`:memory:`,
 * `libsql://`, a file URL with query options): those stay on the adapter's libsql client, since a
 * second connection would not see the same database.
 */
export const sqliteFileOf = (url: unknown): null | string => {
  if (typeof url !== 'string' || !url.startsWith('file:')) return null
  const rest = url.slice('file:'.length).replace(/^\/\/(?=\/)/, '')
  if (!rest || rest.includes('?') || rest.includes(':memory:') || rest.startsWith('//')) return null
  return rest
}

/** libsql's argument conversions (booleans as 0/1, dates as epoch milliseconds), which better-sqlite3 does not do. */
const toSqlValue = (value: unknown): unknown => {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return value.valueOf()
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database')
  if (value instanceof ArrayBuffer) return Buffer.from(value)
  return value
}

/**
 * Arguments as better-sqlite3 binds them: numbered placeholders (`?1`, `?2`) are named parameters
 * to it (an object keyed by number), plain `?` are positional.
 */
const bindArgs = (sql: string, args: readonly unknown[]): unknown[] => {
  const values = args.map(toSqlValue)
  if (!/\?\d/.test(sql)) return values
  const named: Record<number, unknown> = {}
  values.forEach((value, index) => (named[index + 1] = value))
  return [named]
}

/**
 * A database error from the bulk layer's SQLite connection, with SQLite's message and `code`
 * (`SQLITE_CONSTRAINT_NOTNULL`, `SQLITE_BUSY`, …). better-sqlite3's own `SqliteError` is not an
 * `Error` instance in a realm other than the one that first loaded the addon (jest runs each test
 * file in its own), so callers would not see it as an error there; this one always is.
 */
export class SqliteBulkError extends Error {
  readonly code: string
  constructor(message: string, code: string, cause: unknown) {
    super(message, { cause })
    this.name = 'SqliteBulkError'
    this.code = code
  }
}

const asBulkError = (err: unknown): unknown => {
  if (err instanceof SqliteBulkError || typeof err !== 'object' || err === null) return err
  const { code, message } = err as { code?: unknown; message?: unknown }
  return typeof message === 'string' ? new SqliteBulkError(message, typeof code === 'string' ? code : 'SQLITE_ERROR', err) : err
}

/**
 * The bulk layer's SQLite connection: better-sqlite3 on the adapter's database file, behind the same
 * `batch`/`execute` shape as @libsql/client. A `batch` in `write` mode is one `BEGIN IMMEDIATE …
 * COMMIT`, run synchronously, so nothing else on this thread runs in between (as with libsql).
 * Measured faster than the adapter's libsql client on imports and `INSERT … SELECT` (docs/bulk.md).
 */
export class BetterSqliteBulkClient implements LibsqlClientLike {
  readonly db: BetterSqliteDatabase
  private readonly statements = new Map<string, Statement>()

  constructor(filePath: string) {
    this.db = new Database(filePath, { timeout: BUSY_TIMEOUT_MS })
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    // The adapter turned the file to WAL before any bulk call; these are per connection.
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma(`cache_size = -${BULK_CACHE_KIB}`)
  }

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql)
    if (statement) {
      // Most recently used last, so the oldest is evicted first.
      this.statements.delete(sql)
    } else {
      statement = this.db.prepare(sql)
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value!)
    }
    this.statements.set(sql, statement)
    return statement
  }

  private run({ args, sql }: LibsqlStatement): LibsqlResult {
    const statement = this.prepare(sql)
    const bound = bindArgs(sql, args)
    if (statement.reader) {
      const rows = statement.all(...bound) as Record<string, unknown>[]
      // A reader that writes (… RETURNING) changed one row per returned row.
      return { rows, rowsAffected: statement.readonly ? 0 : rows.length }
    }
    return { rows: [], rowsAffected: statement.run(...bound).changes }
  }

  /** `batch`, synchronously (the bulk thread's entry point): one transaction, IMMEDIATE in `write` mode. */
  batchSync(statements: LibsqlStatement[], mode: 'deferred' | 'read' | 'write' = 'deferred'): LibsqlResult[] {
    const all = this.db.transaction(() => {
      const results: LibsqlResult[] = []
      for (const statement of statements) {
        const skip = statement.onlyIf !== undefined && results[statement.onlyIf]?.rows.length === 0
        results.push(skip ? { rows: [], rowsAffected: 0 } : this.run(statement))
      }
      return results
    })
    try {
      return mode === 'write' ? all.immediate() : all.deferred()
    } catch (err) {
      throw asBulkError(err)
    }
  }

  /** `execute`, synchronously. */
  executeSync(statement: LibsqlStatement): LibsqlResult {
    try {
      return this.run(statement)
    } catch (err) {
      throw asBulkError(err)
    }
  }

  async batch(statements: LibsqlStatement[], mode: 'deferred' | 'read' | 'write' = 'deferred'): Promise<LibsqlResult[]> {
    return this.batchSync(statements, mode)
  }

  async execute(statement: LibsqlStatement): Promise<LibsqlResult> {
    return this.executeSync(statement)
  }

  close(): void {
    this.statements.clear()
    if (this.db.open) this.db.close()
  }
}
