import type { Token } from './tokenize.js'
import type { Operator, Rule, RuleGroup, RuleNode, Scalar } from '../types.js'

import { canonicalFieldName } from '../fields.js'
import { MAX_RULE_DEPTH, validateRules } from '../ruleSchema.js'
import { isRuleGroup } from '../types.js'
import { DslSyntaxError, tokenize } from './tokenize.js'

/** A DSL problem: where (0-based `position`, 1-based `line`/`column`) and what was expected there. */
export type DslError = { column: number; expected?: string[]; line: number; message: string; path: string; position: number; rulePath?: string }

/** `parseDsl`'s answer: the canonical rule tree, or the problems found. */
export type DslParseResult = { errors: DslError[]; ok: false } | { ok: true; rules: RuleGroup }

const COMPARISON_OPS: Record<string, Operator> = { '!=': '!=', '<': '<', '<=': '<=', '<>': '!=', '=': '=', '==': '=', '>': '>', '>=': '>=' }
const CURRENCY_WORDS = new Set(['inr', 'rs', '₹'])

const describeToken = (token: Token): string => (token.kind === 'eof' ? 'the end of the text' : `"${token.text}"`)

/** Recursive-descent parser over the token list: OR < AND < NOT < primary. */
class Parser {
  private index = 0
  private depth = 0
  /** Where each rule (and parenthesised group) began, to place validation errors. */
  readonly positions = new WeakMap<RuleNode, number>()
  /** Where each value of a rule starts (one entry per value; lists and BETWEEN have several). */
  readonly valuePositions = new WeakMap<RuleNode, number[]>()
  private valueStarts: number[] = []

  constructor(private readonly tokens: Token[]) {}

  private get token(): Token {
    return this.tokens[this.index]!
  }

  private peekKind(): Token['kind'] {
    return this.tokens[this.index]!.kind
  }

  private fail(expected: string[], token: Token = this.token): never {
    throw new DslSyntaxError({ expected, message: `Expected ${expected.join(' or ')} at position ${token.start}, found ${describeToken(token)}`, position: token.start })
  }

  private isWord(word: string, token: Token = this.token): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === word
  }

  private expectWord(word: string, label = word.toUpperCase()): Token {
    if (!this.isWord(word)) this.fail([label])
    return this.tokens[this.index++]!
  }

  parseRoot(): RuleGroup {
    if (this.peekKind() === 'eof') this.fail(['a rule such as spend > 10000'])
    const node = this.parseOr()
    if (this.peekKind() !== 'eof') this.fail(['AND', 'OR', 'the end of the text'])
    return isRuleGroup(node) ? node : { combinator: 'and', rules: [node] }
  }

  private parseOr(): RuleNode {
    const first = this.parseAnd()
    if (!this.isWord('or')) return first
    const rules = [first]
    while (this.isWord('or')) {
      this.index++
      rules.push(this.parseAnd())
    }
    return { combinator: 'or', rules }
  }

  private parseAnd(): RuleNode {
    const first = this.parseNot()
    if (!this.isWord('and')) return first
    const rules = [first]
    while (this.isWord('and')) {
      this.index++
      rules.push(this.parseNot())
    }
    return { combinator: 'and', rules }
  }

  private parseNot(): RuleNode {
    if (!this.isWord('not')) return this.parsePrimary()
    const start = this.token.start
    this.index++
    const operand = this.parseNot()
    // NOT (a OR b) negates that group; NOT a, or NOT of a group already negated, wraps it.
    const negated: RuleGroup = isRuleGroup(operand) && !operand.not && this.positions.has(operand) ? { ...operand, not: true } : { combinator: 'and', not: true, rules: [operand] }
    this.positions.set(negated, start)
    return negated
  }

  private parsePrimary(): RuleNode {
    const token = this.token
    if (token.kind === 'lparen') {
      if (++this.depth > MAX_RULE_DEPTH) throw new DslSyntaxError({ expected: [], message: `Parentheses are nested more than ${MAX_RULE_DEPTH} deep`, position: token.start })
      this.index++
      const inner = this.parseOr()
      if (this.peekKind() !== 'rparen') this.fail(['")"', 'AND', 'OR'])
      this.index++
      this.depth--
      const group: RuleGroup = isRuleGroup(inner) && !this.positions.has(inner) ? inner : { combinator: 'and', rules: [inner] }
      this.positions.set(group, token.start)
      return group
    }
    if (this.isWord('inactive')) return this.parseInactive()
    if (token.kind !== 'word' || this.isKeyword(token)) this.fail(['a field (spend, visits, city, …)', 'NOT', '"("'])
    const field = canonicalFieldName(token.text)
    if (!field) {
      throw new DslSyntaxError({
        expected: ['a field'],
        message: `Unknown field "${token.text}" at position ${token.start}: use spend, visits, orders, inactiveDays, lastOrderAt, lastVisitAt, createdAt, city, email, name, phone, tags, marketingOptOut or attributes.<key>`,
        position: token.start,
      })
    }
    this.index++
    this.valueStarts = []
    const rule = this.parseComparison(field)
    this.positions.set(rule, token.start)
    this.valuePositions.set(rule, this.valueStarts)
    return rule
  }

  private isKeyword(token: Token): boolean {
    return ['and', 'or', 'not'].includes(token.text.toLowerCase())
  }

  /** `inactive for 90 days` = `inactiveDays >= 90`. */
  private parseInactive(): Rule {
    const start = this.token.start
    this.index++
    this.expectWord('for')
    const days = this.parseNumber()
    this.parseDaysWord()
    const rule: Rule = { field: 'inactiveDays', operator: '>=', value: days }
    this.positions.set(rule, start)
    return rule
  }

  private parseDaysWord(): void {
    if (this.isWord('days') || this.isWord('day')) this.index++
    else this.fail(['DAYS'])
  }

  private parseNumber(): number {
    if (this.peekKind() !== 'number') this.fail(['a number'])
    return (this.tokens[this.index++] as Extract<Token, { kind: 'number' }>).value
  }

  private parseComparison(field: Rule['field']): Rule {
    const token = this.token
    if (token.kind === 'op') {
      this.index++
      return { field, operator: COMPARISON_OPS[token.text]!, value: this.parseValue() }
    }
    const word = token.kind === 'word' ? token.text.toLowerCase() : ''
    switch (word) {
      case 'between': {
        this.index++
        const low = this.parseValue()
        this.expectWord('and')
        return { field, operator: 'between', value: [low, this.parseValue()] }
      }
      case 'in':
        this.index++
        return { field, operator: 'in', value: this.parseList() }
      case 'not':
        this.index++
        this.expectWord('in')
        return { field, operator: 'notIn', value: this.parseList() }
      case 'contains':
        this.index++
        return { field, operator: 'contains', value: this.parseValue() }
      case 'begins':
      case 'ends':
        this.index++
        this.expectWord('with')
        return { field, operator: word === 'begins' ? 'beginsWith' : 'endsWith', value: this.parseValue() }
      case 'is': {
        this.index++
        const negated = this.isWord('not')
        if (negated) this.index++
        this.expectWord('null', negated ? 'NULL' : 'NULL or NOT NULL')
        return { field, operator: negated ? 'notNull' : 'null' }
      }
      case 'within': {
        this.index++
        const days = this.parseNumber()
        this.parseDaysWord()
        return { field, operator: 'withinDays', value: days }
      }
      case 'before': {
        this.index++
        const days = this.parseNumber()
        this.parseDaysWord()
        this.expectWord('ago')
        return { field, operator: 'beforeDaysAgo', value: days }
      }
    }
    return this.fail(['an operator (=, !=, >, >=, <, <=, BETWEEN, IN, NOT IN, CONTAINS, BEGINS WITH, ENDS WITH, IS NULL, IS NOT NULL, WITHIN, BEFORE)'])
  }

  private parseList(): Scalar[] {
    if (this.peekKind() !== 'lparen') this.fail(['"(" starting a list of values'])
    this.index++
    const values = [this.parseValue()]
    while (this.peekKind() === 'comma') {
      this.index++
      values.push(this.parseValue())
    }
    if (this.peekKind() !== 'rparen') this.fail(['","', '")"'])
    this.index++
    return values
  }

  private parseValue(): Scalar {
    const token = this.token
    this.valueStarts.push(token.start)
    if (token.kind === 'word' && CURRENCY_WORDS.has(token.text.toLowerCase())) {
      this.index++
      if (this.peekKind() !== 'number') this.fail(['an amount after the currency'])
      return this.parseNumber()
    }
    if (token.kind === 'number') return this.parseNumber()
    if (token.kind === 'string') {
      this.index++
      return token.value
    }
    if (token.kind === 'date') {
      this.index++
      return token.text
    }
    if (this.isWord('true') || this.isWord('false')) {
      this.index++
      return token.text.toLowerCase() === 'true'
    }
    return this.fail(['a value (a number, "quoted text", a date, true or false)'])
  }
}

const lineAndColumn = (text: string, position: number): { column: number; line: number } => {
  const before = text.slice(0, position).split('\n')
  return { column: before.at(-1)!.length + 1, line: before.length }
}

/** Finds the raw node a validation path (`rules[1].rules[0].value`) points into. */
const nodeAtPath = (root: RuleGroup, path: string): RuleNode | undefined => {
  let node: RuleNode | undefined = root
  for (const match of path.matchAll(/rules\[(\d+)\]/g)) {
    node = node && isRuleGroup(node) ? node.rules[Number(match[1])] : undefined
  }
  return node
}

/**
 * Parses the segment DSL (`spend > INR 10,000 AND visits < 3 OR inactive for 90 days`) into the
 * canonical rule tree. Keywords are case-insensitive; NOT binds tighter than AND, AND than OR.
 * Errors carry the position and what was expected; a value of the wrong type (`visits > "abc"`)
 * points at the value, other type errors (e.g. `city > 5`, a wrong operator) at the rule.
 */
export const parseDsl = (text: string): DslParseResult => {
  const error = (message: string, position: number, path: string, expected?: string[]): DslError => ({
    ...lineAndColumn(text, position),
    ...(expected && expected.length > 0 ? { expected } : {}),
    message,
    path,
    position,
  })
  let parser: Parser
  let raw: RuleGroup
  try {
    parser = new Parser(tokenize(text))
    raw = parser.parseRoot()
  } catch (err) {
    if (err instanceof DslSyntaxError) return { errors: [error(err.message, err.position, 'dsl', err.expected)], ok: false }
    if (err instanceof RangeError) return { errors: [error('The text is nested too deeply to read', 0, 'dsl')], ok: false }
    throw err
  }
  const result = validateRules(raw)
  if (result.ok) return result
  return {
    errors: result.issues.map((issue) => {
      const node = nodeAtPath(raw, issue.path)
      const value = /\.value(?:\[(\d+)\])?$/.exec(issue.path)
      const valuePosition = value && node ? parser.valuePositions.get(node)?.[Number(value[1] ?? 0)] : undefined
      if (valuePosition !== undefined) return { ...error(`${issue.message} at position ${valuePosition}`, valuePosition, 'dsl'), rulePath: issue.path }
      const position = (node && parser.positions.get(node)) ?? 0
      return { ...error(`${issue.message} (rule at position ${position})`, position, 'dsl'), rulePath: issue.path }
    }),
    ok: false,
  }
}
