/** Names of the customer fields a segment rule may name (`attributes.<key>` aside). */
export const FIELD_NAMES = [
  'spend',
  'visits',
  'orders',
  'inactiveDays',
  'lastOrderAt',
  'lastVisitAt',
  'createdAt',
  'city',
  'email',
  'name',
  'phone',
  'tags',
  'marketingOptOut',
] as const

export type BuiltinField = (typeof FIELD_NAMES)[number]

/** A rule's field: a built-in field or `attributes.<key>` (key: letters, digits, `_`). */
export type FieldName = `attributes.${string}` | BuiltinField

/** Every operator of the contract (react-querybuilder names). */
export const OPERATORS = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'between',
  'in',
  'notIn',
  'contains',
  'beginsWith',
  'endsWith',
  'null',
  'notNull',
  'withinDays',
  'beforeDaysAgo',
] as const

export type Operator = (typeof OPERATORS)[number]

/** A scalar a rule compares with: numbers, text (also ISO dates) and booleans. */
export type Scalar = boolean | number | string

/** One comparison, e.g. `{ field: 'spend', operator: '>', value: 10000 }`. `null`/`notNull` carry no value. */
export type Rule = {
  field: FieldName
  operator: Operator
  value?: Scalar | Scalar[]
}

/**
 * A group of rules joined by `and`/`or`, negated when `not` is true (react-querybuilder's JSON shape).
 * In the canonical form (see `canonicalRules`) `not` is present only when true.
 */
export type RuleGroup = {
  combinator: 'and' | 'or'
  not?: boolean
  rules: RuleNode[]
}

export type RuleNode = Rule | RuleGroup

/** Is this node a group (as opposed to a single comparison)? */
export const isRuleGroup = (node: RuleNode): node is RuleGroup => 'combinator' in node

/** Where and when rules are evaluated: the store's IANA time zone and the reference instant. */
export type RuleClock = {
  now: Date
  /** IANA name, e.g. `Asia/Kolkata`. @default 'UTC' */
  timeZone: string
}

/** A validation or parse problem: `path` names the rule (`rules[1].rules[0].value`). */
export type RuleIssue = { message: string; path: string }
