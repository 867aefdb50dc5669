/** A token of the segment DSL; `start` is its 0-based offset in the text. */
export type Token =
  | { kind: 'comma' | 'eof' | 'lparen' | 'rparen'; start: number; text: string }
  | { kind: 'date' | 'op' | 'word'; start: number; text: string }
  | { kind: 'number'; start: number; text: string; value: number }
  | { kind: 'string'; start: number; text: string; value: string }

/** A lexical or syntax error at `position` (0-based offset) with what was expected there. */
export class DslSyntaxError extends Error {
  readonly expected: string[]
  readonly position: number
  constructor({ expected, message, position }: { expected: string[]; message: string; position: number }) {
    super(message)
    this.name = 'DslSyntaxError'
    this.expected = expected
    this.position = position
  }
}

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9'
const isWordStart = (char: string | undefined): boolean => char !== undefined && /[A-Za-z_]/.test(char)
const isWordChar = (char: string | undefined): boolean => char !== undefined && /[A-Za-z0-9_.]/.test(char)
const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/.test(char)

const OPERATOR_TEXTS = ['>=', '<=', '!=', '<>', '==', '=', '>', '<']

/** `10`, `10,000` (a comma + exactly three digits is a thousands separator), `1.5`, `2e3`, `10k`. */
const readNumber = (text: string, start: number): { end: number; value: number } => {
  let i = start
  let digits = ''
  if (text[i] === '-') {
    digits = '-'
    i++
  }
  while (isDigit(text[i])) digits += text[i++]
  while (text[i] === ',' && isDigit(text[i + 1]) && isDigit(text[i + 2]) && isDigit(text[i + 3]) && !isDigit(text[i + 4])) {
    digits += text.slice(i + 1, i + 4)
    i += 4
  }
  let fraction = ''
  if (text[i] === '.' && isDigit(text[i + 1])) {
    i++
    while (isDigit(text[i])) fraction += text[i++]
  }
  let exponent = ''
  if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text[i + 1]) || ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text[i + 2])))) {
    exponent = text[i + 1]!
    i += 2
    while (isDigit(text[i])) exponent += text[i++]
  }
  const mantissa = `${digits}${fraction ? `.${fraction}` : ''}`
  if ((text[i] === 'k' || text[i] === 'K') && !isWordChar(text[i + 1])) {
    i++
    if (exponent) return { end: i, value: Number(`${mantissa}e${Number(exponent) + 3}`) }
    // Shift the decimal point in text, so 1.1k is exactly 1100.
    const shifted = `${digits}${fraction.padEnd(3, '0').slice(0, 3)}${fraction.length > 3 ? `.${fraction.slice(3)}` : ''}`
    return { end: i, value: Number(shifted) }
  }
  const literal = exponent ? `${mantissa}e${exponent}` : mantissa
  return { end: i, value: Number(literal) }
}

const DATE_START_RE = /^\d{4}-\d{2}-\d{2}/

/** Splits DSL text into tokens; throws `DslSyntaxError` on a character that starts no token. */
export const tokenize = (text: string): Token[] => {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const char = text[i]!
    if (isSpace(char)) {
      i++
      continue
    }
    const start = i
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: char === '(' ? 'lparen' : char === ')' ? 'rparen' : 'comma', start, text: char })
      i++
      continue
    }
    if (char === '"' || char === "'") {
      let value = ''
      i++
      while (i < text.length && text[i] !== char) {
        if (text[i] === '\\' && i + 1 < text.length) i++
        value += text[i++]
      }
      if (i >= text.length) throw new DslSyntaxError({ expected: [`closing ${char}`], message: `Unterminated text at position ${text.length}: expected a closing ${char} for the text opened at position ${start}`, position: text.length })
      i++
      tokens.push({ kind: 'string', start, text: text.slice(start, i), value })
      continue
    }
    if (isDigit(char) && DATE_START_RE.test(text.slice(i, i + 10))) {
      while (i < text.length && /[0-9A-Za-z:.+\-]/.test(text[i]!)) i++
      tokens.push({ kind: 'date', start, text: text.slice(start, i) })
      continue
    }
    if (isDigit(char) || (char === '-' && isDigit(text[i + 1]))) {
      const { end, value } = readNumber(text, i)
      if (isWordChar(text[end]) && text[end] !== '.') {
        throw new DslSyntaxError({ expected: ['a number such as 10000, 10,000 or 10k'], message: `Malformed number at position ${start}: "${text.slice(start, end + 1)}"`, position: start })
      }
      i = end
      tokens.push({ kind: 'number', start, text: text.slice(start, i), value })
      continue
    }
    if (char === '₹') {
      tokens.push({ kind: 'word', start, text: char })
      i++
      continue
    }
    if (isWordStart(char)) {
      while (isWordChar(text[i])) i++
      tokens.push({ kind: 'word', start, text: text.slice(start, i) })
      continue
    }
    const op = OPERATOR_TEXTS.find((candidate) => text.startsWith(candidate, i))
    if (op) {
      tokens.push({ kind: 'op', start, text: op })
      i += op.length
      continue
    }
    throw new DslSyntaxError({ expected: ['a field, value, operator or parenthesis'], message: `Unexpected character "${char}" at position ${start}`, position: start })
  }
  tokens.push({ kind: 'eof', start: text.length, text: '' })
  return tokens
}
