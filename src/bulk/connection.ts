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
