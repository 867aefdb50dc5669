import type { PlaceholderTarget, TemplateError, TemplateNode } from './types.js'

import { isTemplateField, suggestTemplateField } from './templateFields.js'

/**
 * Template syntax (plain text with placeholders):
 * - `{{field}}`: a customer field (`{{name}}`, `{{firstName}}`, `{{city}}`, `{{totalSpend}}` …);
 * - `{{attributes.<key>}}`: one attribute; the key runs to the next space, `|` or `}}` and is taken
 *   literally (dots included); `{{attributes["any key"]}}` for keys with spaces or symbols;
 * - `{{field | "fallback"}}`: text used when the value is missing (`"…"` or `'…'`; `\"`, `\'` and
 *   `\\` escape a quote or a backslash);
 * - spaces inside the braces are ignored; `\{{` and `\}}` write literal braces (the `}}` after a
 *   `\{{` is literal too: `\{{name}}` renders `{{name}}`); a single `{` or `}` is plain text.
 * Errors (each with its position): an unclosed `{{`, a `}}` with no `{{`, an empty placeholder, an
 * unknown field, `attributes` without a key, a fallback that is not one quoted text.
 */

const IDENT_START = /[A-Za-z_$]/
const IDENT_CHAR = /[A-Za-z0-9_$]/
// A bare attribute key ends at whitespace, `|`, braces, quotes or brackets.
const KEY_CHAR = /[^\s|{}"'[\]]/u
const SPACE = /\s/u
const TOKENS = /\\\{\{|\\\}\}|\{\{|\}\}/g

type Failure = { message: string; offset: number }

/** Reads a quoted text at `start` (on the quote); returns the text and the index after the closing quote. */
const readQuoted = (source: string, start: number): Failure | { end: number; text: string } => {
  const quote = source[start]!
  let text = ''
  for (let i = start + 1; i < source.length; i++) {
    const char = source[i]!
    if (char === quote) return { end: i + 1, text }
    if (char === '\\') {
      const next = source[i + 1]
      if (next === '"' || next === "'" || next === '\\') {
        text += next
        i++
        continue
      }
      return { message: `Unknown escape "\\${next ?? ''}" in a quoted text (use \\" \\' or \\\\)`, offset: i }
    }
    text += char
  }
  return { message: `The quoted text is not closed: add a closing ${quote}`, offset: start }
}

const skipSpaces = (source: string, from: number, to: number): number => {
  let i = from
  while (i < to && SPACE.test(source[i]!)) i++
  return i
}

const describe = (char: string | undefined): string => (char === undefined ? 'the end' : `"${char}"`)

/** Parses the inside of one placeholder, `source[start, end)`. */
const parsePlaceholder = (source: string, start: number, end: number): Failure | { fallback?: string; target: PlaceholderTarget } => {
  let i = skipSpaces(source, start, end)
  if (i === end) return { message: 'Empty placeholder: put a field between the braces, e.g. {{firstName}}', offset: start - 2 }
  if (!IDENT_START.test(source[i]!)) return { message: `Expected a field name, found ${describe(source[i])}`, offset: i }
  const nameStart = i
  while (i < end && IDENT_CHAR.test(source[i]!)) i++
  const name = source.slice(nameStart, i)
  let target: PlaceholderTarget
  if (name === 'attributes') {
    if (source[i] === '.') {
      const keyStart = ++i
      while (i < end && KEY_CHAR.test(source[i]!)) i++
      if (i === keyStart) return { message: 'Expected an attribute key after "attributes.", e.g. {{attributes.favouriteStore}}', offset: keyStart }
      target = { attribute: source.slice(keyStart, i) }
    } else if (source[i] === '[') {
      const open = skipSpaces(source, i + 1, end)
      if (source[open] !== '"' && source[open] !== "'") return { message: 'Expected a quoted attribute key, e.g. attributes["favourite store"]', offset: open }
      const key = readQuoted(source, open)
      if ('message' in key) return key
      i = skipSpaces(source, key.end, end)
      if (source[i] !== ']') return { message: `Expected "]" after the attribute key, found ${describe(source[i])}`, offset: i }
      i++
      target = { attribute: key.text }
    } else {
      return { message: 'Name one attribute: {{attributes.<key>}}', offset: nameStart }
    }
  } else {
    if (!isTemplateField(name)) {
      const suggestion = suggestTemplateField(name)
      const hint = suggestion ? `did you mean "${suggestion}"?` : 'use a customer field (name, firstName, city, email, …) or attributes.<key>'
      return { message: `Unknown field "${name}": ${hint}`, offset: nameStart }
    }
    if (source[i] === '.') return { message: `"${name}" has no sub-fields; only attributes.<key> does`, offset: i }
    target = { field: name }
  }
  i = skipSpaces(source, i, end)
  if (i === end) return { target }
  if (source[i] !== '|') return { message: `Expected "|" or "}}" after the field, found ${describe(source[i])}`, offset: i }
  i = skipSpaces(source, i + 1, end)
  if (source[i] !== '"' && source[i] !== "'") {
    return { message: `A fallback is a quoted text, e.g. {{firstName | "there"}}; found ${i === end ? 'nothing' : describe(source[i])}`, offset: i }
  }
  const fallback = readQuoted(source, i)
  if ('message' in fallback) return fallback
  i = skipSpaces(source, fallback.end, end)
  if (i !== end) return { message: `Expected "}}" after the fallback, found ${describe(source[i])}`, offset: i }
  return { fallback: fallback.text, target }
}

/**
 * Finds the `}}` closing the placeholder whose content starts at `from`, skipping quoted texts
 * (after `|` or `[`, so a fallback may contain braces). Stops at a new `{{` outside quotes.
 */
const findClose = (source: string, from: number): { close: number } | { nested: number } | { openQuote: number } | { unclosed: true } => {
  let isQuoting = false
  for (let i = from; i < source.length; i++) {
    const char = source[i]!
    if (char === '|' || char === '[') isQuoting = true
    else if (isQuoting && (char === '"' || char === "'")) {
      let j = i + 1
      while (j < source.length && source[j] !== char) j += source[j] === '\\' ? 2 : 1
      if (j >= source.length) return { openQuote: i }
      i = j
    } else if (char === '}' && source[i + 1] === '}') return { close: i }
    else if (char === '{' && source[i + 1] === '{') return { nested: i }
  }
  return { unclosed: true }
}

/** Line and column (1-based, in code points) of a UTF-16 offset. */
export const positionOf = (source: string, offset: number): { column: number; line: number } => {
  const before = source.slice(0, offset)
  const lineStart = before.lastIndexOf('\n') + 1
  return { column: [...before.slice(lineStart)].length + 1, line: before.split('\n').length }
}

const errorAt = (source: string, { message, offset }: Failure): TemplateError => {
  const { column, line } = positionOf(source, offset)
  return { column, line, message: `${message} (line ${line}, column ${column})`, offset }
}

/**
 * Parses a template into text and placeholders, collecting every error found (it keeps going after
 * one, so a person sees them all). With errors, `nodes` is best-effort and must not be rendered.
 */
export const parseTemplate = ({ source }: { source: string }): { errors: TemplateError[]; nodes: TemplateNode[] } => {
  const nodes: TemplateNode[] = []
  const errors: TemplateError[] = []
  let text = ''
  const flushText = () => {
    if (text) nodes.push({ kind: 'text', text })
    text = ''
  }
  let cursor = 0
  const tokens = new RegExp(TOKENS)
  // `\{{firstName}}` is literal as a whole: the `}}` closing an escaped `{{` is text, not an error.
  let isEscapedOpen = false
  for (let match = tokens.exec(source); match; match = tokens.exec(source)) {
    const at = match.index
    text += source.slice(cursor, at)
    const token = match[0]
    if (token === '\\{{' || token === '\\}}') {
      text += token.slice(1)
      cursor = at + 3
      isEscapedOpen = token === '\\{{'
      continue
    }
    if (token === '}}' && isEscapedOpen) {
      text += token
      cursor = at + 2
      isEscapedOpen = false
      continue
    }
    isEscapedOpen = false
    if (token === '}}') {
      errors.push(errorAt(source, { message: '"}}" closes nothing: remove it or open a placeholder with "{{" (write \\}} for literal braces)', offset: at }))
      text += token
      cursor = at + 2
      continue
    }
    const found = findClose(source, at + 2)
    if ('close' in found) {
      const parsed = parsePlaceholder(source, at + 2, found.close)
      const raw = source.slice(at, found.close + 2)
      if ('message' in parsed) {
        errors.push(errorAt(source, parsed))
        text += raw
      } else {
        flushText()
        nodes.push({ kind: 'placeholder', offset: at, raw, ...parsed })
      }
      cursor = found.close + 2
      tokens.lastIndex = cursor
      continue
    }
    const unclosed = '"{{" is not closed: add "}}" after the field (write \\{{ for literal braces)'
    if ('nested' in found) {
      errors.push(errorAt(source, { message: unclosed, offset: at }))
      text += source.slice(at, found.nested)
      cursor = found.nested
      tokens.lastIndex = cursor
      continue
    }
    errors.push(errorAt(source, 'openQuote' in found ? { message: 'The quoted text is not closed, so neither is the placeholder', offset: found.openQuote } : { message: unclosed, offset: at }))
    cursor = at // the rest cannot be read reliably: keep it as text, one error is enough
    break
  }
  text += source.slice(cursor)
  flushText()
  return { errors, nodes }
}
