import type { PayloadRequest } from 'payload'
import type { Payload } from 'payload'
import type { SQL } from 'drizzle-orm'


export type SqlDialect = 'postgres' | 'sqlite'

type DrizzleLike = {
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
 * Runs one statement through the adapter's own connection, inside the request's transaction when
 * there is one (so hooks see rows written earlier in the same request).
 */
export const runSql = async <Row = Record<string, unknown>>({
  payload,
  query,
  req,
}: {
  payload: Payload
  query: SQL
  req?: Partial<PayloadRequest>
}): Promise<Row[]> => {
  const db = await drizzleFor(payload, req)
  const result = sqlDialectOf(payload) === 'sqlite' ? await db.run!(query) : await db.execute!(query)
  return (result.rows ?? []) as Row[]
}

/** The slice of @libsql/client's `Client` the bulk layer uses. */
export type LibsqlStatement = { args: unknown[]; sql: string }
export type LibsqlResult = { rows: Record<string, unknown>[]; rowsAffected: number }
export type LibsqlClientLike = {
  batch: (statements: LibsqlStatement[], mode?: 'deferred' | 'read' | 'write') => Promise<LibsqlResult[]>
  execute: (statement: LibsqlStatement) => Promise<LibsqlResult>
}

/** Payload's own libsql client (the SQLite adapter's connection). */
export const sqliteClientOf = (payload: Payload): LibsqlClientLike => {
  const client = (payload.db as unknown as { client?: LibsqlClientLike }).client
  if (!client) throw new Error('The SQLite adapter has no client yet (is Payload initialised?)')
  return client
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
