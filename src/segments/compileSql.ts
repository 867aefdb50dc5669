import type { SQL } from 'drizzle-orm'

import { sql } from 'drizzle-orm'

import type { SqlDialect } from '../bulk/index.js'
import type { Rule, RuleClock, RuleNode, Scalar } from '../domain/segments/types.js'

import { dateValueInterval, DAY, startOfDayDaysAgo } from '../domain/segments/dates.js'
import { attributeKeyOf, fieldKindOf } from '../domain/segments/fields.js'
import { codePointLength, foldCase } from '../domain/segments/foldCase.js'
import { numericValueOf } from '../domain/segments/numbers.js'
import { isRuleGroup } from '../domain/segments/types.js'
import { foldSql } from './foldSql.js'

/** Where the customers live: `prefix` is PostgreSQL's `"schema".` (empty on SQLite and `public`). */
export type SegmentSqlTarget = { dialect: SqlDialect; prefix: string }

/**
 * The stored spellings of folded city and tag values (`"pune"` → `["Pune", "PUNE"]`), looked up
 * before compiling (see `resolveSpellings`) so `city IN (…)` and tag rules use plain index lookups.
 */
export type Spellings = { city: ReadonlyMap<string, readonly string[]>; tags: ReadonlyMap<string, readonly string[]> }

type Ctx = SegmentSqlTarget & { clock: RuleClock; spellings?: Spellings; tagArray?: boolean }

const COLUMN: Record<string, string> = {
  city: 'city',
  createdAt: 'created_at',
  email: 'email',
  lastOrderAt: 'last_order_at',
  lastVisitAt: 'last_visit_at',
  marketingOptOut: 'marketing_opt_out',
  name: 'name',
  orders: 'order_count',
  phone: 'phone',
  spend: 'total_spend',
  visits: 'visits',
}

const col = (field: string): SQL => sql.raw(`c."${COLUMN[field]}"`)
const iso = (ms: number): string => new Date(ms).toISOString()
const FALSE = sql`(1 = 0)`
const or = (parts: SQL[]): SQL => (parts.length === 0 ? FALSE : parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` OR `)})`)
const and = (parts: SQL[]): SQL => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` AND `)})`)
const list = (values: unknown[]): SQL => sql`(${sql.join(values.map((value) => sql`${value}`), sql`, `)})`
const ORDER_OPS = new Set(['<', '<=', '=', '>', '>='])
const op = (operator: string): SQL => {
  if (!ORDER_OPS.has(operator)) throw new Error(`not a comparison operator: ${operator}`)
  return sql.raw(operator)
}

/** PostgreSQL compares text by code point only under "C" (SQLite's BINARY already does). */
const ordered = (ctx: Ctx, expr: SQL): SQL => (ctx.dialect === 'postgres' ? sql`${expr} COLLATE "C"` : expr)

const isAscii = (text: string): boolean => /^[\x00-\x7f]*$/.test(text)

/** ASCII-only lower case (SQLite's `lower`, PostgreSQL's under "C"). */
const lowerAscii = (ctx: Ctx, expr: SQL): SQL => (ctx.dialect === 'sqlite' ? sql`lower(${expr})` : sql`lower(${expr} COLLATE "C")`)

/**
 * `foldCase(expr)` for comparing with the folded values `wanted`. When every wanted value is ASCII
 * and the comparison is (in)equality or a substring test, ASCII `lower()` gives the same answers:
 * the fold table maps non-ASCII letters only to non-ASCII letters, so an ASCII needle can only
 * match where both folds agree. Ordering comparisons always use the full fold.
 */
const foldFor = (ctx: Ctx, operator: string, expr: SQL, wanted: string[]): SQL =>
  operator !== '<' && operator !== '<=' && operator !== '>' && operator !== '>=' && wanted.every(isAscii) ? lowerAscii(ctx, expr) : foldSql(ctx.dialect, expr)

/** Folded text `expr` against folded `value` (expr known not null). */
const textOp = (ctx: Ctx, operator: string, expr: SQL, value: string): SQL => {
  const wanted = foldCase(value)
  const folded = foldFor(ctx, operator, expr, [wanted])
  switch (operator) {
    case 'contains':
      return ctx.dialect === 'sqlite' ? sql`instr(${folded}, ${wanted}) > 0` : sql`strpos(${folded}, ${wanted}) > 0`
    case 'beginsWith':
      return sql`substr(${folded}, 1, ${codePointLength(wanted)}) = ${wanted}`
    case 'endsWith':
      return ctx.dialect === 'sqlite' ? sql`substr(${folded}, ${-codePointLength(wanted)}) = ${wanted}` : sql`right(${folded}, ${codePointLength(wanted)}) = ${wanted}`
    default:
      return sql`${ordered(ctx, folded)} ${op(operator)} ${wanted}`
  }
}

/**
 * Distinct stored values of a low-cardinality indexed text column whose fold is one of `folded`, by
 * a skip scan over its index (one probe per distinct value): lets `city IN (…)` and tag rules use
 * the plain index while still ignoring case exactly.
 */
export const matchingDistinct = (ctx: SegmentSqlTarget, table: string, column: string, folded: string[], where = ''): SQL => {
  const t = sql.raw(`${ctx.prefix}"${table}"`)
  const c = sql.raw(`"${column}"`)
  const extra = sql.raw(where ? ` AND ${where}` : '')
  return sql`(WITH RECURSIVE d(v) AS (SELECT min(${c}) FROM ${t} WHERE 1 = 1${extra} UNION ALL SELECT (SELECT min(${c}) FROM ${t} WHERE ${c} > d.v${extra}) FROM d WHERE d.v IS NOT NULL) SELECT v FROM d WHERE v IS NOT NULL AND ${foldSql(ctx.dialect, sql`v`)} IN ${list(folded)})`
}

/** Stored spellings of `folded` values, when resolved beforehand; `null` = not resolved (use a skip scan inline). */
const spelled = (ctx: Ctx, column: keyof Spellings, folded: string[]): null | string[] =>
  ctx.spellings ? folded.flatMap((value) => ctx.spellings![column].get(value) ?? []) : null

const tagsWith = (ctx: Ctx, values: string[]): SQL => {
  const texts = sql.raw(`${ctx.prefix}"customers_texts"`)
  const folded = [...new Set(values.map(foldCase))]
  const known = spelled(ctx, 'tags', folded)
  if (known && known.length === 0) return FALSE
  const candidates = known ? list(known) : matchingDistinct(ctx, 'customers_texts', 'text', folded, `"path" = 'tags'`)
  const ids = sql`SELECT t."parent_id" FROM ${texts} t WHERE t."path" = 'tags' AND t."text" IN ${candidates}`
  // A lone tag rule on PostgreSQL: the ids from the partial tag index (index-only), then probes of
  // the primary key, instead of a hash semi join over a sequential scan of customers.
  if (ctx.tagArray) return sql`c."id" = ANY(ARRAY(${ids}))`
  return sql`c."id" IN (${ids})`
}

/** The store's attribute as numeric (`num`) and text (`text`) SQL expressions, per the contract. */
const attributeExprs = (ctx: Ctx, key: string): { num: SQL; text: SQL } => {
  if (ctx.dialect === 'sqlite') {
    const path = `$."${key}"`
    const type = sql`json_type(c."attributes", ${path})`
    const raw = sql`json_extract(c."attributes", ${path})`
    const numericText = sql`(CASE WHEN substr(${raw}, 1, 1) = '-' THEN substr(${raw}, 2) ELSE ${raw} END)`
    const isNumericText = sql`${numericText} GLOB '[0-9]*' AND ${numericText} NOT GLOB '*[^0-9.]*' AND length(${numericText}) - length(replace(${numericText}, '.', '')) <= 1 AND ${numericText} NOT GLOB '*.' AND ${numericText} NOT GLOB '*.[^0-9]*'`
    return {
      num: sql`(CASE WHEN ${type} IN ('integer', 'real') THEN ${raw} WHEN ${type} = 'text' AND ${isNumericText} THEN CAST(${raw} AS REAL) END)`,
      text: sql`(CASE WHEN ${type} = 'text' THEN ${raw} WHEN ${type} IN ('true', 'false') THEN ${type} END)`,
    }
  }
  const type = sql`jsonb_typeof(c."attributes" -> ${key}::text)`
  const raw = sql`(c."attributes" ->> ${key}::text)`
  return {
    num: sql`(CASE WHEN ${type} = 'number' THEN ${raw}::float8 WHEN ${type} = 'string' AND ${raw} ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN ${raw}::float8 END)`,
    text: sql`(CASE WHEN ${type} IN ('string', 'boolean') THEN ${raw} END)`,
  }
}

/** `attributes.<key>` present as text, and that text (PostgreSQL's `->>` already spells booleans). */
const attributeText = (ctx: Ctx, key: string): { isText: SQL; text: SQL } => {
  if (ctx.dialect === 'postgres') return { isText: sql`coalesce(jsonb_typeof(c."attributes" -> ${key}::text), '') IN ('string', 'boolean')`, text: sql`(c."attributes" ->> ${key}::text)` }
  const { text } = attributeExprs(ctx, key)
  return { isText: sql`${text} IS NOT NULL`, text }
}

const attributeRule = (ctx: Ctx, operator: string, key: string, value: Scalar | Scalar[] | undefined): SQL => {
  if (ctx.dialect === 'postgres' && operator === '=' && numericValueOf(value) === null && !/^[[{]/.test(foldCase(String(value)))) {
    // `->>` spells strings as themselves, booleans as true/false, numbers as digits (PostgreSQL never
    // writes an exponent) and objects/arrays starting with { or [: a non-numeric value not starting
    // with those can only equal a string or a boolean, so the type test can go.
    const raw = sql`(c."attributes" ->> ${key}::text)`
    return sql`(${raw} IS NOT NULL AND ${textOp(ctx, '=', raw, String(value))})`
  }
  const folded = foldCase(String(value))
  if (ctx.dialect === 'sqlite' && operator === '=' && numericValueOf(value) === null && !/^[[{]/.test(folded) && folded !== 'true' && folded !== 'false') {
    // json_extract gives text only for strings (and {…}/[…] for objects/arrays, excluded above);
    // booleans come back as 1/0, so "true"/"false" take the general path.
    const raw = sql`json_extract(c."attributes", ${`$."${key}"`})`
    return sql`(typeof(${raw}) = 'text' AND ${textOp(ctx, '=', raw, String(value))})`
  }
  const { num, text: textOrNull } = attributeExprs(ctx, key)
  if (operator === 'null') return sql`(${num} IS NULL AND ${textOrNull} IS NULL)`
  const { isText, text } = attributeText(ctx, key)
  if (operator === 'in') return or((value as Scalar[]).map((item) => attributeRule(ctx, '=', key, item)))
  if (operator === 'between') {
    const [low, high] = value as Scalar[]
    return and([attributeRule(ctx, '>=', key, low!), attributeRule(ctx, '<=', key, high!)])
  }
  const textMatch = sql`(${isText} AND ${textOp(ctx, operator, text, String(value))})`
  if (operator === 'contains' || operator === 'beginsWith' || operator === 'endsWith') return textMatch
  const wanted = numericValueOf(value)
  if (wanted === null) return textMatch
  return sql`((${num} IS NOT NULL AND ${num} ${op(operator)} ${wanted}) OR (${num} IS NULL AND ${textMatch}))`
}

/** `floor((now - since) / day) >= days` as a bound on the last order (or signup) date; never NULL. */
const inactiveAtLeast = (ctx: Ctx, days: number): SQL => {
  const bound = iso(ctx.clock.now.getTime() - days * DAY)
  // created_at is never NULL, so this is never NULL either (and reads like the hand-written SQL).
  return sql`coalesce(c."last_order_at", c."created_at") <= ${bound}`
}

const inactiveRule = (ctx: Ctx, operator: string, value: number): SQL => {
  switch (operator) {
    case '>=':
      return inactiveAtLeast(ctx, value)
    case '>':
      return inactiveAtLeast(ctx, value + 1)
    case '<':
      return sql`NOT (${inactiveAtLeast(ctx, value)})`
    case '<=':
      return sql`NOT (${inactiveAtLeast(ctx, value + 1)})`
    default:
      return and([inactiveAtLeast(ctx, value), sql`NOT (${inactiveAtLeast(ctx, value + 1)})`])
  }
}

const dateRule = (ctx: Ctx, rule: Rule): SQL => {
  const column = col(rule.field)
  const interval = (value: Scalar) => dateValueInterval({ timeZone: ctx.clock.timeZone, value: String(value) })!
  const present = (condition: SQL) => sql`(${condition})`
  const boundary = () => iso(startOfDayDaysAgo({ days: rule.value as number, now: ctx.clock.now, timeZone: ctx.clock.timeZone }))
  switch (rule.operator) {
    case 'withinDays':
      return present(sql`${column} >= ${boundary()} AND ${column} <= ${iso(ctx.clock.now.getTime())}`)
    case 'beforeDaysAgo':
      return present(sql`${column} < ${boundary()}`)
    case 'between': {
      const [low, high] = rule.value as Scalar[]
      return present(sql`${column} >= ${iso(interval(low!).start)} AND ${column} < ${iso(interval(high!).end)}`)
    }
  }
  const { end, start } = interval(rule.value as Scalar)
  switch (rule.operator) {
    case '=':
      return present(sql`${column} >= ${iso(start)} AND ${column} < ${iso(end)}`)
    case '>':
      return present(sql`${column} >= ${iso(end)}`)
    case '>=':
      return present(sql`${column} >= ${iso(start)}`)
    case '<':
      return present(sql`${column} < ${iso(start)}`)
    default:
      return present(sql`${column} < ${iso(end)}`)
  }
}

const NEGATION: Record<string, Rule['operator']> = { '!=': '=', notIn: 'in', notNull: 'null' }

/**
 * One rule with a positive operator as SQL. It may be NULL where the field is missing: under AND/OR
 * alone (negations are pushed down to the rules) NULL acts as FALSE, and `negatedRuleSql` makes a
 * negated rule match missing values. Positive rules thus read like hand-written SQL, with its plans.
 */
const ruleSql = (ctx: Ctx, rule: Rule): SQL => {
  const kind = fieldKindOf(rule.field)
  const { operator, value } = rule
  switch (kind) {
    case 'attribute':
      return attributeRule(ctx, operator, attributeKeyOf(rule.field)!, value)
    case 'inactiveDays':
      if (operator === 'in') return or((value as number[]).map((days) => inactiveRule(ctx, '=', days)))
      if (operator === 'between') return and([inactiveRule(ctx, '>=', (value as number[])[0]!), inactiveRule(ctx, '<=', (value as number[])[1]!)])
      return inactiveRule(ctx, operator, value as number)
    case 'tags':
      if (operator === 'null') return sql`c."id" NOT IN (SELECT t."parent_id" FROM ${sql.raw(`${ctx.prefix}"customers_texts"`)} t WHERE t."path" = 'tags')`
      return tagsWith(ctx, operator === 'in' ? (value as string[]) : [value as string])
    case 'date':
      if (operator === 'null') return sql`${col(rule.field)} IS NULL`
      return dateRule(ctx, rule)
    default:
      break
  }
  const column = col(rule.field)
  if (operator === 'null') return sql`${column} IS NULL`
  if (kind === 'boolean') {
    const bool = ctx.dialect === 'sqlite' ? (value ? 1 : 0) : Boolean(value)
    return sql`${column} = ${bool}`
  }
  if (kind === 'number') {
    if (operator === 'in') return sql`${column} IN ${list(value as number[])}`
    if (operator === 'between') return sql`(${column} >= ${(value as number[])[0]} AND ${column} <= ${(value as number[])[1]})`
    return sql`${column} ${op(operator)} ${value as number}`
  }
  // Text: city equality goes through its index; other text folds every row.
  if (rule.field === 'city' && (operator === '=' || operator === 'in')) {
    const folded = [...new Set((operator === 'in' ? (value as string[]) : [value as string]).map(foldCase))]
    const known = spelled(ctx, 'city', folded)
    if (known && known.length === 0) return FALSE
    return sql`${column} IN ${known ? list(known) : matchingDistinct(ctx, 'customers', 'city', folded)}`
  }
  if (operator === 'in') {
    const wanted = [...new Set((value as string[]).map(foldCase))]
    return sql`${foldFor(ctx, 'in', column, wanted)} IN ${list(wanted)}`
  }
  return sql`(${textOp(ctx, operator, column, value as string)})`
}

/**
 * A compiled condition before rendering. A leaf knows whether an index bounds it (`indexed`: a
 * range, equality or IS NULL on an indexed column, a city lookup, a tag lookup) and may carry
 * `split`, an equivalent OR of index-bounded parts used only for counting by branches
 * (`inactiveDays >= n` → `last_order_at <= b` or `last_order_at IS NULL AND created_at <= b`).
 * `disjoint`: no customer matches two parts of the OR, so branch counts may simply be added.
 */
type Part = { complex?: boolean; indexed: boolean; kind: 'leaf'; split?: OrPart; sql: SQL } | { kind: 'and'; parts: Part[] } | OrPart
type OrPart = { disjoint: boolean; kind: 'or'; parts: Part[] }

const leaf = (condition: SQL, indexed = false, split?: OrPart, complex = false): Part => ({ complex, indexed, kind: 'leaf', split, sql: condition })
const andPart = (parts: Part[]): Part => (parts.length === 1 ? parts[0]! : { kind: 'and', parts: parts.flatMap((part) => (part.kind === 'and' ? part.parts : [part])) })
const orPart = (parts: Part[], disjoint = false): Part => (parts.length === 1 ? parts[0]! : { disjoint, kind: 'or', parts: parts.flatMap((part) => (part.kind === 'or' ? part.parts : [part])) })

const render = (part: Part): SQL => {
  if (part.kind === 'leaf') return part.sql
  const parts = part.parts.map(render)
  return part.kind === 'and' ? and(parts) : or(parts)
}

/** Columns with an index of their own (or leading a composite one), for range and IS NULL tests. */
const INDEXED_FIELDS = new Set(['createdAt', 'lastOrderAt', 'lastVisitAt', 'orders', 'spend', 'visits'])

const positivePart = (ctx: Ctx, rule: Rule): Part => {
  const kind = fieldKindOf(rule.field)
  const condition = ruleSql(ctx, rule)
  if (kind === 'inactiveDays' && (rule.operator === '>=' || rule.operator === '>')) {
    const bound = iso(ctx.clock.now.getTime() - (rule.operator === '>' ? (rule.value as number) + 1 : (rule.value as number)) * DAY)
    const split: OrPart = {
      disjoint: true,
      kind: 'or',
      parts: [leaf(sql`c."last_order_at" <= ${bound}`, true), andPart([leaf(sql`c."last_order_at" IS NULL`, true), leaf(sql`c."created_at" <= ${bound}`, true)])],
    }
    return leaf(condition, false, split)
  }
  const indexed =
    INDEXED_FIELDS.has(rule.field) ||
    (rule.field === 'city' && (rule.operator === '=' || rule.operator === 'in' || rule.operator === 'null')) ||
    (kind === 'tags' && rule.operator !== 'null')
  return leaf(condition, indexed, undefined, kind === 'tags' || kind === 'attribute')
}

const negatedPart = (ctx: Ctx, rule: Rule): Part => {
  const condition = negatedRuleSql(ctx, rule)
  const kind = fieldKindOf(rule.field)
  if (kind === 'number' && COMPLEMENT[rule.operator]) {
    // Rendered as before; counted by branches, a missing value and the complementary range never overlap.
    const column = col(rule.field)
    const split: OrPart = { disjoint: true, kind: 'or', parts: [leaf(sql`${column} IS NULL`, true), leaf(sql`${column} ${sql.raw(COMPLEMENT[rule.operator]!)} ${rule.value as number}`, true)] }
    return leaf(condition, false, split)
  }
  return leaf(condition, rule.operator === 'null' && INDEXED_FIELDS.has(rule.field), undefined, kind === 'tags' || kind === 'attribute' || kind === 'inactiveDays')
}

/**
 * An audience counted as the union of branches, each bounded by an index of its own (an OR's terms
 * on different columns cannot share one index scan): `disjoint` branches are counted separately and
 * added, others as a UNION of ids.
 */
export type CountBranches = { branches: SQL[]; disjoint: boolean }

/** Most branches worth counting separately; more and the plain WHERE's single scan wins. */
const MAX_BRANCHES = 8

const expand = (part: Part): Part => (part.kind === 'leaf' && part.split ? part.split : part)
const boundedByIndex = (part: Part): boolean => {
  const open = expand(part)
  if (open.kind === 'leaf') return open.indexed
  if (open.kind === 'and') return open.parts.some((child) => child.kind === 'leaf' && child.indexed)
  return false
}

/** A part SQLite's own OR optimisation cannot take (a subquery, an expression of two columns). */
const isComplex = (part: Part): boolean => (part.kind === 'leaf' ? part.complex === true || Boolean(part.split) : part.parts.some(isComplex))

const countBranches = (ctx: Ctx, root: Part): CountBranches | null => {
  const top = expand(root)
  const usable = (or: Part): or is OrPart => or.kind === 'or' && or.parts.length >= 2 && or.parts.length <= MAX_BRANCHES && or.parts.every(boundedByIndex)
  if (top.kind === 'or') {
    // Terms with a split of their own become branches too (no longer disjoint from the others).
    const terms = top.parts.flatMap((part) => (part.kind === 'leaf' && part.split ? part.split.parts : [part]))
    const flat: OrPart = { disjoint: top.disjoint && terms.length === top.parts.length, kind: 'or', parts: terms }
    if (!usable(flat)) return null
    // SQLite answers an OR of index-bounded column tests itself ("MULTI-INDEX OR", a rowid set,
    // 19 ms for the nested rule at 1M vs 31 ms as a UNION): leave those to it.
    if (ctx.dialect === 'sqlite' && !flat.disjoint && !top.parts.some(isComplex)) return null
    return { branches: flat.parts.map((part) => render(expand(part))), disjoint: flat.disjoint }
  }
  // An AND no index bounds as a whole: distribute it over one of its ORs whose terms each have one.
  if (top.kind !== 'and' || top.parts.some((part) => part.kind === 'leaf' && part.indexed)) return null
  for (let i = 0; i < top.parts.length; i++) {
    const candidate = expand(top.parts[i]!)
    if (!usable(candidate)) continue
    const rest = top.parts.filter((_, j) => j !== i).map(render)
    return { branches: candidate.parts.map((part) => and([render(expand(part)), ...rest])), disjoint: candidate.disjoint }
  }
  return null
}

/** A compiled audience: `WITH` definitions (for trees deeper than SQLite's parser allows), the condition on `customers c`, and how to count it by branches (or null). */
export type CompiledRules = { count: CountBranches | null; ctes: SQL[]; where: SQL }

/** Group levels compiled inline; deeper subtrees become CTEs (SQLite's parser stack holds ~100 entries). */
const INLINE_GROUP_DEPTH = 6

const COMPLEMENT: Record<string, string> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' }

/** NOT of a positive rule, matching missing values (the contract's "not in Pune" includes no city). */
const negatedRuleSql = (ctx: Ctx, rule: Rule): SQL => {
  const condition = ruleSql(ctx, rule)
  const kind = fieldKindOf(rule.field)
  // These never yield NULL: IS NULL tests, tag subqueries, inactiveDays (created_at is never NULL).
  if (rule.operator === 'null' || kind === 'tags' || kind === 'inactiveDays') return sql`NOT (${condition})`
  // A number compared with one value: the complementary comparison keeps the index usable.
  if (kind === 'number' && COMPLEMENT[rule.operator]) {
    return sql`(${col(rule.field)} IS NULL OR ${col(rule.field)} ${sql.raw(COMPLEMENT[rule.operator]!)} ${rule.value as number})`
  }
  // Single-column rules are NULL exactly when the column is: say so, so the planner can use the index.
  if (COLUMN[rule.field]) return sql`(${col(rule.field)} IS NULL OR NOT (${condition}))`
  return sql`NOT coalesce(${condition}, ${FALSE})`
}

/** A lone `tags contains`/`tags in` rule (the whole tree). */
const isLoneTagRule = (rules: RuleNode): boolean => {
  const only = isRuleGroup(rules) ? (rules.not || rules.rules.length !== 1 ? null : rules.rules[0]!) : rules
  return Boolean(only && !isRuleGroup(only) && only.field === 'tags' && (only.operator === 'contains' || only.operator === 'in'))
}

/**
 * Compiles a (validated) rule tree to a parameterised SQL condition on `customers c`, with the same
 * meaning as `evaluateRules`: every user value is a bound parameter; missing values never match a
 * positive comparison and always match its negation. Negations are pushed down to the rules (De
 * Morgan), and subtrees deeper than `INLINE_GROUP_DEPTH` are moved into CTEs, so a rule tree of any
 * accepted depth stays within SQLite's parser limits. `count` says how to count it branch by branch
 * when an OR's terms are each bounded by an index (see `countSql`).
 */
export const compileRulesToSql = ({ clock, rules, spellings, target }: { clock: RuleClock; rules: RuleNode; spellings?: Spellings; target: SegmentSqlTarget }): CompiledRules => {
  const ctx: Ctx = { ...target, clock, spellings, tagArray: target.dialect === 'postgres' && isLoneTagRule(rules) }
  const ctes: SQL[] = []
  const walk = (node: RuleNode, negate: boolean, depth: number): Part => {
    if (!isRuleGroup(node)) {
      const positive = NEGATION[node.operator]
      const rule = positive ? { ...node, operator: positive } : node
      const negated = positive ? !negate : negate
      return negated ? negatedPart(ctx, rule) : positivePart(ctx, rule)
    }
    if (depth >= INLINE_GROUP_DEPTH) {
      const inner = render(walk(node, negate, 0))
      const name = sql.raw(`segment_part_${ctes.length}`)
      ctes.push(sql`${name} AS (SELECT c."id" AS "id" FROM ${sql.raw(`${ctx.prefix}"customers"`)} c WHERE ${inner})`)
      return leaf(sql`c."id" IN (SELECT "id" FROM ${name})`, false, undefined, true)
    }
    const negated = negate !== Boolean(node.not)
    const combinator = negated ? (node.combinator === 'and' ? 'or' : 'and') : node.combinator
    const parts = node.rules.map((child) => walk(child, negated, depth + 1))
    return combinator === 'and' ? andPart(parts) : orPart(parts)
  }
  const root = walk(rules, false, 0)
  return { count: countBranches(ctx, root), ctes, where: render(root) }
}

/** The `WITH …` prefix a compiled audience needs (empty when it has no CTEs). */
export const withClause = ({ ctes }: CompiledRules): SQL => (ctes.length === 0 ? sql`` : sql`WITH ${sql.join(ctes, sql`, `)} `)

/**
 * `SELECT … AS n`, the audience size: one scan with the plain WHERE, or branch by branch (each branch
 * can use its own index): disjoint branches as a sum of counts (each can be index-only), others as
 * the count of a UNION of ids.
 */
export const countSql = (compiled: CompiledRules, target: SegmentSqlTarget): SQL => {
  const customers = sql.raw(`${target.prefix}"customers"`)
  const { count } = compiled
  if (!count) return sql`${withClause(compiled)}SELECT count(*) AS n FROM ${customers} c WHERE ${compiled.where}`
  if (count.disjoint) {
    return sql`${withClause(compiled)}SELECT ${sql.join(
      count.branches.map((branch) => sql`(SELECT count(*) FROM ${customers} c WHERE ${branch})`),
      sql` + `,
    )} AS n`
  }
  return sql`${withClause(compiled)}SELECT count(*) AS n FROM (${sql.join(
    count.branches.map((branch) => sql`SELECT c."id" FROM ${customers} c WHERE ${branch}`),
    sql` UNION `,
  )}) u`
}
