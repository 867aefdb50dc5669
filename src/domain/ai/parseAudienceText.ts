import type { Operator, Rule, RuleGroup, RuleNode } from '../segments/types.js'

import { validateRules } from '../segments/ruleSchema.js'

/** What the offline parser made of a sentence: a valid rule tree, or the part it could not read. */
export type AudienceTextResult = { message: string; ok: false; unparsed: string } | { ok: true; rules: RuleGroup }

/** Phrasings the offline parser understands (shown when it cannot read a sentence). */
export const OFFLINE_AUDIENCE_EXAMPLES = [
  'spent more than 5k',
  "haven't ordered in 3 months",
  'from Pune or Delhi',
  'visited fewer than 3 times',
  'ordered in the last 30 days',
  'tagged vip',
  'more than 2 orders',
] as const

const NUMBER_WORDS: Record<string, number> = {
  eight: 8, eleven: 11, five: 5, four: 4, nine: 9, one: 1, once: 1, seven: 7, six: 6, ten: 10, three: 3, thrice: 3, twelve: 12, twice: 2, two: 2, zero: 0,
}

const MULTIPLIERS: Record<string, number> = { cr: 10_000_000, crore: 10_000_000, crores: 10_000_000, k: 1000, l: 100_000, lac: 100_000, lakh: 100_000, lakhs: 100_000, m: 1_000_000, mn: 1_000_000 }

const UNIT_DAYS: Record<string, number> = { day: 1, month: 30, week: 7, year: 365 }

// Longest phrases first so "more than or equal" never stops at "more than".
const COMPARATORS: [RegExp, Operator][] = [
  [/^(?:at least|no less than|no fewer than|minimum(?: of)?|min)\b/, '>='],
  [/^(?:at most|no more than|up to|maximum(?: of)?|max)\b/, '<='],
  [/^(?:more than|over|above|greater than|exceeding|>)/, '>'],
  [/^(?:less than|fewer than|under|below|<)/, '<'],
  [/^(?:exactly|=)/, '='],
]

const AMOUNT = String.raw`(?:₹|rs\.?|inr)?\s*(\d[\d,]*(?:\.\d+)?|\w+)\s*(k|l|lac|lakhs?|m|mn|cr|crores?)?\b\s*(?:₹|rs\.?|rupees|inr)?`
const COMPARATOR = String.raw`(at least|no less than|no fewer than|minimum(?: of)?|at most|no more than|up to|maximum(?: of)?|more than|over|above|greater than|exceeding|less than|fewer than|under|below|exactly|>=|<=|>|<|=)?\s*`
const PERIOD = String.raw`(?:the\s+)?(?:last|past)?\s*(\d+|\w+)?\s*(days?|weeks?|months?|years?)`

/** `5k` → 5000, `1.5 lakh` → 150000, `10,000` → 10000, `three` → 3; null when not a number. */
const toNumber = (digits: string, multiplier?: string): null | number => {
  const word = NUMBER_WORDS[digits]
  const base = word ?? (/^\d[\d,]*(?:\.\d+)?$/.test(digits) ? Number(digits.replace(/,/g, '')) : NaN)
  if (!Number.isFinite(base)) return null
  const factor = multiplier ? (MULTIPLIERS[multiplier] ?? 1) : 1
  return Math.round(base * factor * 100) / 100
}

const comparatorOf = (text: string | undefined, fallback: Operator): Operator => {
  const phrase = (text ?? '').trim()
  if (phrase === '') return fallback
  if (phrase === '>=' || phrase === '<=') return phrase
  for (const [re, op] of COMPARATORS) if (re.test(phrase)) return op
  return fallback
}

/** "3 months" → 90, "a week" → 7, "the last 30 days" → 30. */
const daysOf = (count: string | undefined, unit: string): null | number => {
  const n = count === undefined || count === 'a' || count === 'an' || count === 'the' ? 1 : toNumber(count)
  const perUnit = UNIT_DAYS[unit.replace(/s$/, '')]
  return n === null || perUnit === undefined ? null : n * perUnit
}

const titleCase = (word: string): string => word.replace(/\b\p{L}/gu, (letter) => letter.toUpperCase())

type ClauseParser = (clause: string) => null | RuleNode

const numberRule = (field: Rule['field'], cmp: string | undefined, value: null | number, fallback: Operator = '>'): null | Rule =>
  value === null ? null : { field, operator: comparatorOf(cmp, fallback), value }

/** Clause readers, tried in order; the first that reads the whole clause wins. */
const CLAUSES: ClauseParser[] = [
  // "spent between 1k and 5k"
  (c) => {
    const m = new RegExp(String.raw`^(?:have |has )?(?:spent|spend(?:s|ing)?|total spend(?: is| of)?|lifetime value(?: is| of)?)\s+between\s+${AMOUNT}\s*(?:and|to|-)\s*${AMOUNT}$`).exec(c)
    if (!m) return null
    const low = toNumber(m[1]!, m[2])
    const high = toNumber(m[3]!, m[4])
    return low === null || high === null ? null : { field: 'spend', operator: 'between', value: [Math.min(low, high), Math.max(low, high)] }
  },
  // "spent more than 5k", "spend over ₹10,000", "spent 5k or more"
  (c) => {
    const m = new RegExp(String.raw`^(?:have |has )?(?:spent|spend(?:s|ing)?|total spend(?: is| of)?|lifetime value(?: is| of)?)\s+${COMPARATOR}${AMOUNT}\s*(or more|or less|\+)?(?: in total| overall| total)?$`).exec(c)
    if (!m) return null
    const tail = m[4] === 'or more' || m[4] === '+' ? '>=' : m[4] === 'or less' ? '<=' : undefined
    return numberRule('spend', tail ?? m[1], toNumber(m[2]!, m[3]))
  },
  // "big spenders" is too vague on purpose; "never visited" / "never ordered" are not.
  (c) => (/^(?:have |has )?never (?:visited|been to the store)$/.test(c) ? { field: 'visits', operator: '=', value: 0 } : null),
  (c) => (/^(?:have |has )?never (?:ordered|bought|purchased)(?: anything)?$/.test(c) ? { field: 'orders', operator: '=', value: 0 } : null),
  // "visited fewer than 3 times", "visited at least twice", "with fewer than 3 visits"
  (c) => {
    const m = new RegExp(String.raw`^(?:have |has )?visited(?: the store| us)?\s+${COMPARATOR}(\d+|\w+)(?:\s+times?)?$`).exec(c)
    if (m) return numberRule('visits', m[1], toNumber(m[2]!), '=')
    const n = new RegExp(String.raw`^(?:with |having |have |has )?${COMPARATOR}(\d+|\w+)\s+visits?$`).exec(c)
    return n ? numberRule('visits', n[1], toNumber(n[2]!), '=') : null
  },
  // "ordered more than 2 times", "more than 2 orders", "placed at least 3 orders"
  (c) => {
    const m = new RegExp(String.raw`^(?:have |has )?(?:ordered|bought|purchased)\s+${COMPARATOR}(\d+|\w+)(?:\s+times?)?$`).exec(c)
    if (m) return numberRule('orders', m[1], toNumber(m[2]!), '=')
    const n = new RegExp(String.raw`^(?:with |having |have |has |placed |made )?${COMPARATOR}(\d+|\w+)\s+(?:orders?|purchases?)$`).exec(c)
    return n ? numberRule('orders', n[1], toNumber(n[2]!), '=') : null
  },
  // "haven't ordered in 3 months", "have not bought for 90 days", "no orders in the last 2 months", "inactive for 90 days"
  (c) => {
    const m = new RegExp(
      String.raw`^(?:(?:have|has)(?: not|n't)|did(?: not|n't)|not)\s+(?:ordered|bought|purchased|shopped)(?: anything)?\s+(?:in|for|during|within)\s+${PERIOD}$|^(?:with\s+)?no\s+(?:orders?|purchases?)\s+(?:in|for|during|within)\s+${PERIOD}$|^(?:been\s+)?inactive\s+(?:for\s+)?${PERIOD}$`,
    ).exec(c)
    if (!m) return null
    const count = m[1] ?? m[3] ?? m[5]
    const unit = m[2] ?? m[4] ?? m[6]
    const days = unit ? daysOf(count, unit) : null
    return days === null ? null : { field: 'inactiveDays', operator: '>=', value: days }
  },
  // "ordered in the last 30 days", "visited within 2 weeks", "joined in the past month"
  (c) => {
    const m = new RegExp(String.raw`^(?:have |has )?(ordered|bought|purchased|visited|joined|signed up|registered)\s+(?:in|within|during)\s+${PERIOD}$`).exec(c)
    if (!m) return null
    const days = daysOf(m[2], m[3]!)
    if (days === null) return null
    const field = m[1] === 'visited' ? 'lastVisitAt' : m[1] === 'joined' || m[1] === 'signed up' || m[1] === 'registered' ? 'createdAt' : 'lastOrderAt'
    return { field, operator: 'withinDays', value: days }
  },
  // "tagged vip", "with the tag vip", "tagged vip or gold"
  (c) => {
    const m = /^(?:(?:are |is )?tagged(?: as)?|with (?:the )?tags?|having (?:the )?tags?|who have (?:the )?tags?)\s+"?([\p{L}\p{N}_ -]+?)"?$/u.exec(c)
    return m ? { field: 'tags', operator: 'contains', value: m[1]!.trim() } : null
  },
  // "opted out" / "not opted out" / "subscribed"
  (c) => (/^(?:have |has |who )?(?:opted out|unsubscribed)(?: of marketing)?$/.test(c) ? { field: 'marketingOptOut', operator: '=', value: true } : null),
  (c) => (/^(?:have |has )?(?:not opted out|not unsubscribed|subscribed|opted in)(?: to marketing)?$/.test(c) ? { field: 'marketingOptOut', operator: '=', value: false } : null),
  // "with a gmail address", "email ends with @example.org"
  (c) => {
    const m = /^(?:with |using |have |has )?an? ([a-z0-9-]+(?:\.[a-z]{2,})?) (?:address|email(?: address)?)$/.exec(c)
    if (m) return { field: 'email', operator: 'endsWith', value: `@${m[1]!.includes('.') ? m[1] : `${m[1]}.com`}` }
    const n = /^(?:whose |with )?email (?:ends with|ending (?:with|in)) "?(@?[a-z0-9.-]+)"?$/.exec(c)
    return n ? { field: 'email', operator: 'endsWith', value: n[1]!.startsWith('@') ? n[1]! : `@${n[1]}` } : null
  },
  // "not from Pune", "outside Mumbai"
  (c) => {
    const m = /^(?:(?:are |is )?not (?:from|in|based in|living in|located in)|outside(?: of)?)\s+([\p{L} .'-]+)$/u.exec(c)
    return m ? { field: 'city', operator: '!=', value: titleCase(m[1]!.trim()) } : null
  },
  // "from Pune", "in Delhi", "living in Navi Mumbai"
  (c) => {
    const m = /^(?:(?:are |is |who are |who live |that live )?(?:from|in|based in|living in|located in|lives? in)|city(?: is| =)?)\s+([\p{L} .'-]+)$/u.exec(c)
    if (!m) return null
    const place = m[1]!.trim()
    // "in total", "in the store" are not cities.
    if (/\b(?:the|total|last|past|days?|weeks?|months?|years?)\b/.test(place)) return null
    return { field: 'city', operator: '=', value: titleCase(place) }
  },
]

const parseClause = (clause: string): null | RuleNode => {
  for (const parse of CLAUSES) {
    const node = parse(clause)
    if (node) return node
  }
  return null
}

/** A bare word or two that can only continue a list ("Pune or Delhi": "Delhi"). */
const BARE_NAME = /^[\p{L}][\p{L} .'-]{0,40}$/u

const LEAD_IN =
  /^(?:(?:show me|find|give me|list|get|select|target)\s+)?(?:all\s+)?(?:the\s+)?(?:customers|people|users|buyers|shoppers|clients|those|everyone|anyone|folks)?\s*(?:who|that|which|whose)?\s*/

const normalise = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/[.!?]+$/, '')
    .trim()

/** Extends a city/tag rule with another value: `=` becomes `in`, `!=` becomes `notIn`. */
const extendList = (node: RuleNode, word: string): null | Rule => {
  if ('combinator' in node) return null
  if (node.field !== 'city' && node.field !== 'tags') return null
  const value = node.field === 'city' ? titleCase(word) : word
  const values = Array.isArray(node.value) ? node.value : [node.value as string]
  if (node.operator === '=' || node.operator === 'in' || (node.field === 'tags' && node.operator === 'contains')) return { field: node.field, operator: 'in', value: [...values, value] }
  if (node.operator === '!=' || node.operator === 'notIn') return { field: node.field, operator: 'notIn', value: [...values, value] }
  return null
}

/**
 * Reads a plain-English audience ("spent more than 5k but haven't ordered in 3 months", "from Pune
 * or Delhi and visited fewer than 3 times") into a rule tree, with no model: clauses joined by
 * and/but/commas are ANDed, clauses joined by "or" are ORed, and bare names after a city or tag
 * ("from Pune, Delhi or Mumbai") extend its list. Anything it cannot read is reported, never guessed.
 */
export const parseAudienceText = (input: string): AudienceTextResult => {
  // "between 1k and 5k" keeps its "and".
  const text = normalise(input)
    .replace(/\bbetween (\S+) and (\S+)/g, 'between $1 ~to~ $2')
    // "5k or more" reads as "at least 5k" (so its "or" does not split the sentence).
    .replace(/(\S+(?: times)?) or (more|above|over)\b/g, 'at least $1')
    .replace(/(\S+(?: times)?) or (less|below|fewer|under)\b/g, 'at most $1')
    .replace(LEAD_IN, '')
  const fail = (unparsed: string): AudienceTextResult => ({
    message: `Could not understand "${unparsed.replace(/~to~/g, 'and')}". Without GEMINI_API_KEY the offline parser reads phrasings like: ${OFFLINE_AUDIENCE_EXAMPLES.map((e) => `"${e}"`).join(', ')}, joined by "and"/"or".`,
    ok: false,
    unparsed,
  })
  if (text === '') return fail(input)
  const andParts = text
    .split(/\s*(?:,(?!\d{3})|;|\band\b|\bbut\b|\balso\b)\s*/)
    .map((part) => part.replace(/^(?:who|that|which|whose|and|also)\s+/, '').replace(/~to~/g, 'and').trim())
    .filter((part) => part !== '')
  const conjuncts: RuleNode[] = []
  for (const part of andParts) {
    const alternatives = part.split(/\s+\bor\b\s+/).map((alt) => alt.replace(/^(?:who|that|which)\s+/, '').trim())
    const nodes: RuleNode[] = []
    for (const alt of alternatives) {
      const node = parseClause(alt)
      if (node) {
        nodes.push(node)
        continue
      }
      // A bare name continues the previous list: "Pune or Delhi", or a comma list "Pune, Delhi or Mumbai".
      const previous = nodes.length > 0 ? nodes[nodes.length - 1] : conjuncts[conjuncts.length - 1]
      const extended = BARE_NAME.test(alt) && previous ? extendList(previous, alt) : null
      if (!extended) return fail(alt)
      if (nodes.length > 0) nodes[nodes.length - 1] = extended
      else conjuncts[conjuncts.length - 1] = extended
    }
    if (nodes.length === 1) conjuncts.push(nodes[0]!)
    else if (nodes.length > 1) conjuncts.push({ combinator: 'or', rules: nodes })
  }
  if (conjuncts.length === 0) return fail(input)
  const validation = validateRules({ combinator: 'and', rules: conjuncts })
  if (!validation.ok) return fail(validation.issues.map((issue) => issue.message).join('; '))
  return { ok: true, rules: validation.rules }
}
