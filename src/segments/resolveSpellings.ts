import type { Payload, PayloadRequest } from 'payload'

import { sql } from 'drizzle-orm'

import type { RuleNode } from '../domain/segments/types.js'
import type { SegmentSqlTarget, Spellings } from './compileSql.js'

import { runSql } from '../bulk/index.js'
import { foldCase } from '../domain/segments/foldCase.js'
import { isRuleGroup } from '../domain/segments/types.js'
import { matchingDistinct } from './compileSql.js'

/** Folded city values (`=`/`in`) and tag values a tree compares with. */
const collect = (node: RuleNode, out: { city: Set<string>; tags: Set<string> }): void => {
  if (isRuleGroup(node)) {
    for (const child of node.rules) collect(child, out)
    return
  }
  const values = Array.isArray(node.value) ? node.value : [node.value]
  if (node.field === 'city' && (node.operator === '=' || node.operator === '!=' || node.operator === 'in' || node.operator === 'notIn')) for (const value of values) out.city.add(foldCase(String(value)))
  if (node.field === 'tags' && node.operator !== 'null' && node.operator !== 'notNull') for (const value of values) out.tags.add(foldCase(String(value)))
}

/**
 * Looks up how the city and tag values of a rule tree are actually spelled in the database (one
 * index skip scan per column, folded in SQL exactly like `foldCase`), so the compiled query can
 * name them and the planner sees plain values for the city and tag indexes.
 */
export const resolveSpellings = async ({ payload, req, rules, target }: { payload: Payload; req?: Partial<PayloadRequest>; rules: RuleNode; target: SegmentSqlTarget }): Promise<Spellings> => {
  const wanted = { city: new Set<string>(), tags: new Set<string>() }
  collect(rules, wanted)
  const lookup = async (table: string, column: string, folded: Set<string>, where?: string): Promise<Map<string, string[]>> => {
    const found = new Map<string, string[]>()
    if (folded.size === 0) return found
    const rows = await runSql<{ v: string }>({ payload, query: sql`SELECT v FROM ${matchingDistinct(target, table, column, [...folded], where)} AS spellings`, req })
    for (const { v } of rows) {
      const key = foldCase(v)
      found.set(key, [...(found.get(key) ?? []), v])
    }
    return found
  }
  return {
    city: await lookup('customers', 'city', wanted.city),
    tags: await lookup('customers_texts', 'text', wanted.tags, `"path" = 'tags'`),
  }
}
