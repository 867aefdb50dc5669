import type { Payload, PayloadRequest } from 'payload'

import { sql } from 'drizzle-orm'

import type { RuleClock, RuleGroup } from '../domain/segments/types.js'
import type { CompiledRules, SegmentSqlTarget } from './compileSql.js'

import { pgSchemaPrefix, runSql, sqlDialectOf } from '../bulk/index.js'
import { compileRulesToSql, countSql, withClause } from './compileSql.js'
import { resolveSpellings } from './resolveSpellings.js'

/** Where a Payload instance keeps its customers, for the SQL compiler; null on MongoDB. */
export const segmentSqlTarget = (payload: Payload): null | SegmentSqlTarget => {
  const dialect = sqlDialectOf(payload)
  if (!dialect) return null
  return { dialect, prefix: dialect === 'postgres' ? pgSchemaPrefix(payload) : '' }
}

const requireTarget = (payload: Payload): SegmentSqlTarget => {
  const target = segmentSqlTarget(payload)
  if (!target) throw new Error('SQL audiences need SQLite or PostgreSQL')
  return target
}

type AudienceArgs = { clock: RuleClock; payload: Payload; req?: Partial<PayloadRequest>; rules: RuleGroup }

/** The rules compiled for this database, with city and tag spellings looked up first. */
export const compileAudience = async ({ clock, payload, req, rules }: AudienceArgs): Promise<{ compiled: CompiledRules; target: SegmentSqlTarget }> => {
  const target = requireTarget(payload)
  const spellings = await resolveSpellings({ payload, req, rules, target })
  return { compiled: compileRulesToSql({ clock, rules, spellings, target }), target }
}


const customersTable = (target: SegmentSqlTarget) => sql.raw(`${target.prefix}"customers"`)

const countCompiled = async ({ compiled, payload, req, target }: { compiled: CompiledRules; payload: Payload; req?: Partial<PayloadRequest>; target: SegmentSqlTarget }): Promise<number> => {
  const rows = await runSql<{ n: number | string }>({
    payload,
    query: countSql(compiled, target),
    req,
  })
  return Number(rows[0]?.n ?? 0)
}

const idsCompiled = async ({
  afterId,
  compiled,
  limit,
  offset,
  payload,
  req,
  target,
}: {
  afterId?: number
  compiled: CompiledRules
  limit: number
  offset: number
  payload: Payload
  req?: Partial<PayloadRequest>
  target: SegmentSqlTarget
}): Promise<number[]> => {
  const after = afterId === undefined ? sql`` : sql` AND c."id" > ${afterId}`
  const rows = await runSql<{ id: number | string }>({
    payload,
    query: sql`${withClause(compiled)}SELECT c."id" AS id FROM ${customersTable(target)} c WHERE ${compiled.where}${after} ORDER BY c."id" LIMIT ${limit} OFFSET ${offset}`,
    req,
  })
  return rows.map((row) => Number(row.id))
}

/** How many customers match `rules`, counted in the database. */
export const countAudience = async (args: AudienceArgs): Promise<number> => {
  const { compiled, target } = await compileAudience(args)
  return countCompiled({ compiled, payload: args.payload, req: args.req, target })
}

/**
 * Ids of matching customers in id order, one page: `offset`/`limit`, or (for walking the whole
 * audience, e.g. the CSV export) the `limit` ids after `afterId` (a keyset page, constant cost).
 */
export const audienceIds = async ({ afterId, limit, offset = 0, ...args }: AudienceArgs & { afterId?: number; limit: number; offset?: number }): Promise<number[]> => {
  const { compiled, target } = await compileAudience(args)
  return idsCompiled({ afterId, compiled, limit, offset, payload: args.payload, req: args.req, target })
}

/**
 * A preview: the audience size and its first `limit` ids, from one compilation (one spelling
 * lookup) and the two queries side by side (two pool connections on PostgreSQL).
 */
export const previewAudience = async ({ limit, ...args }: AudienceArgs & { limit: number }): Promise<{ count: number; ids: number[] }> => {
  const { compiled, target } = await compileAudience(args)
  const [count, ids] = await Promise.all([
    countCompiled({ compiled, payload: args.payload, req: args.req, target }),
    idsCompiled({ compiled, limit, offset: 0, payload: args.payload, req: args.req, target }),
  ])
  return { count, ids }
}

/** Size and averages of an audience, computed in the database (what an AI prompt may say about it). */
export const audienceAggregates = async ({ clock, payload, req, rules }: AudienceArgs): Promise<{ averageOrders: null | number; averageSpend: null | number; averageVisits: null | number; count: number }> => {
  const { compiled, target } = await compileAudience({ clock, payload, req, rules })
  const rows = await runSql<{ n: number | string; orders: null | number | string; spend: null | number | string; visits: null | number | string }>({
    payload,
    query: sql`${withClause(compiled)}SELECT count(*) AS n, avg(c."total_spend") AS spend, avg(c."visits") AS visits, avg(c."order_count") AS orders FROM ${sql.raw(`${target.prefix}"customers"`)} c WHERE ${compiled.where}`,
    req,
  })
  const num = (value: null | number | string | undefined): null | number => (value === null || value === undefined ? null : Number(value))
  const row = rows[0]
  return { averageOrders: num(row?.orders), averageSpend: num(row?.spend), averageVisits: num(row?.visits), count: Number(row?.n ?? 0) }
}
