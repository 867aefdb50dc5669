import type { Payload } from 'payload'
import type { SQL } from 'drizzle-orm'

import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'

import type { Id } from './types.js'

import { pgSchemaPrefix, runSql, sqlDialectOf } from './connection.js'

/** A value for one column: a Date is a timestamp, `{ json }` a JSON column, anything else as is. */
export type FencedValue = Date | null | number | string | { json: unknown }

type FencedTable = 'imports' | 'ingest_batches'

const tableOf = (payload: Payload, table: FencedTable): { dialect: 'postgres' | 'sqlite'; table: SQL } => {
  const dialect = sqlDialectOf(payload)
  if (!dialect) throw new Error('Fenced updates need SQLite or PostgreSQL')
  return { dialect, table: sql.raw(`${dialect === 'postgres' ? pgSchemaPrefix(payload) : ''}"${table}"`) }
}

const assignments = (dialect: 'postgres' | 'sqlite', values: Record<string, FencedValue>): SQL =>
  sql.join(
    Object.entries<FencedValue>({ updated_at: new Date(), ...values }).map(([column, value]) => {
      const name = sql.raw(`"${column}"`)
      if (value instanceof Date) return dialect === 'postgres' ? sql`${name} = ${value.toISOString()}::timestamptz` : sql`${name} = ${value.toISOString()}`
      if (value !== null && typeof value === 'object') return dialect === 'postgres' ? sql`${name} = ${JSON.stringify(value.json)}::jsonb` : sql`${name} = ${JSON.stringify(value.json)}`
      return sql`${name} = ${value}`
    }),
    sql`, `,
  )

/**
 * Takes over a run: writes a new run token (and `values`) on the row, unconditionally, and returns
 * the token. From then on only `fencedUpdate` calls carrying this token change the row, so a stale
 * run (one whose job lock lapsed while it was still alive) stops at its next write.
 */
export const claimRun = async ({ id, payload, table, values = {} }: { id: Id; payload: Payload; table: FencedTable; values?: Record<string, FencedValue> }): Promise<string> => {
  const { dialect, table: t } = tableOf(payload, table)
  const token = randomUUID()
  await runSql({ payload, query: sql`UPDATE ${t} SET ${assignments(dialect, { ...values, run_token: token })} WHERE "id" = ${Number(id)}` })
  return token
}

/** Updates the row only while `token` is still its run token; false = another run took over. */
export const fencedUpdate = async ({
  id,
  payload,
  table,
  token,
  values,
}: {
  id: Id
  payload: Payload
  table: FencedTable
  token: string
  values: Record<string, FencedValue>
}): Promise<boolean> => {
  const { dialect, table: t } = tableOf(payload, table)
  const rows = await runSql({ payload, query: sql`UPDATE ${t} SET ${assignments(dialect, values)} WHERE "id" = ${Number(id)} AND "run_token" = ${token} RETURNING "id"` })
  return rows.length > 0
}

/** Thrown by a run whose token was replaced: it must stop without writing anything more. */
export class FencedOutError extends Error {
  constructor(what: string) {
    super(`${what} was taken over by another run; this one stops`)
    this.name = 'FencedOutError'
  }
}
