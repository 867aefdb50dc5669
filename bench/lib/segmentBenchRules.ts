import type { SqlDialect } from '../../src/bulk/index.js'

import { DAY, startOfDayDaysAgo } from '../../src/domain/segments/dates.js'

/** A rule measured by `npm run bench -- segments`, with the SQL a person would write for it by hand. */
export type BenchRule = {
  case: string
  dsl: string
  /** Hand-written condition on `customers` and its parameters (the ceiling). */
  handWritten: (args: { dialect: SqlDialect; now: Date; timeZone: string }) => { params: unknown[]; where: string }
}

const iso = (ms: number) => new Date(ms).toISOString()
const p = (dialect: SqlDialect, n: number) => (dialect === 'postgres' ? `$${n}` : '?')

/** The ten fixed rules: simple, spend, nested, relative date, inactiveDays, city IN, negation, tag, attribute, five groups. */
export const BENCH_RULES: BenchRule[] = [
  { case: 'simple', dsl: 'visits >= 25', handWritten: ({ dialect }) => ({ params: [25], where: `visits >= ${p(dialect, 1)}` }) },
  { case: 'spend', dsl: 'spend > INR 10,000', handWritten: ({ dialect }) => ({ params: [10000], where: `total_spend > ${p(dialect, 1)}` }) },
  {
    case: 'nested',
    dsl: '(spend > 5k AND visits < 3) OR (orders >= 3 AND visits >= 20)',
    handWritten: ({ dialect }) => ({
      params: [5000, 3, 3, 20],
      where: `(total_spend > ${p(dialect, 1)} AND visits < ${p(dialect, 2)}) OR (order_count >= ${p(dialect, 3)} AND visits >= ${p(dialect, 4)})`,
    }),
  },
  {
    case: 'relative-date',
    dsl: 'lastOrderAt WITHIN 30 DAYS',
    handWritten: ({ dialect, now, timeZone }) => ({
      params: [iso(startOfDayDaysAgo({ days: 30, now, timeZone })), now.toISOString()],
      where: `last_order_at >= ${p(dialect, 1)} AND last_order_at <= ${p(dialect, 2)}`,
    }),
  },
  {
    case: 'inactive-days',
    dsl: 'inactive for 400 days',
    handWritten: ({ dialect, now }) => ({ params: [iso(now.getTime() - 400 * DAY)], where: `coalesce(last_order_at, created_at) <= ${p(dialect, 1)}` }),
  },
  { case: 'city-in', dsl: 'city IN ("Pune", "Kochi")', handWritten: ({ dialect }) => ({ params: ['Pune', 'Kochi'], where: `city IN (${p(dialect, 1)}, ${p(dialect, 2)})` }) },
  {
    case: 'negation',
    dsl: 'NOT (city = "Mumbai" OR visits < 20)',
    handWritten: ({ dialect }) => ({ params: ['Mumbai', 20], where: `(city IS NULL OR city <> ${p(dialect, 1)}) AND visits >= ${p(dialect, 2)}` }),
  },
  {
    case: 'tag-contains',
    dsl: 'tags CONTAINS "vip"',
    handWritten: ({ dialect }) => ({ params: ['vip'], where: `id IN (SELECT parent_id FROM customers_texts WHERE path = 'tags' AND text = ${p(dialect, 1)})` }),
  },
  {
    case: 'attribute',
    dsl: 'attributes.preferredChannel = "whatsapp"',
    handWritten: ({ dialect }) => ({
      params: ['whatsapp'],
      where: dialect === 'postgres' ? `attributes ->> 'preferredChannel' = $1` : `json_extract(attributes, '$.preferredChannel') = ?`,
    }),
  },
  {
    case: 'five-groups',
    dsl: '(spend > 20k AND visits > 10) OR (city = "Pune" AND orders >= 3) OR (lastVisitAt WITHIN 3 DAYS AND visits > 5) OR (tags CONTAINS "wholesale" AND spend > 10k) OR (inactiveDays > 700 AND visits > 30)',
    handWritten: ({ dialect, now, timeZone }) => ({
      params: [20000, 10, 'Pune', 3, iso(startOfDayDaysAgo({ days: 3, now, timeZone })), now.toISOString(), 5, 'wholesale', 10000, iso(now.getTime() - 701 * DAY), 30],
      where: [
        `(total_spend > ${p(dialect, 1)} AND visits > ${p(dialect, 2)})`,
        `(city = ${p(dialect, 3)} AND order_count >= ${p(dialect, 4)})`,
        `(last_visit_at >= ${p(dialect, 5)} AND last_visit_at <= ${p(dialect, 6)} AND visits > ${p(dialect, 7)})`,
        `(id IN (SELECT parent_id FROM customers_texts WHERE path = 'tags' AND text = ${p(dialect, 8)}) AND total_spend > ${p(dialect, 9)})`,
        `(coalesce(last_order_at, created_at) <= ${p(dialect, 10)} AND visits > ${p(dialect, 11)})`,
      ].join(' OR '),
    }),
  },
]
