/**
 * PostgreSQL COPY text format (the default `FORMAT text`): tab-separated columns, `\N` for NULL,
 * backslash escapes for backslash, newline, carriage return and tab. Pure, so it is unit-tested.
 */
export type CopyValue = boolean | null | number | readonly string[] | Record<string, unknown> | string | undefined

const ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\\': '\\\\' }
const NEEDS_ESCAPE = /[\t\n\r\\]/
const ESCAPE_ALL = /[\t\n\r\\]/g

export const escapeCopyText = (text: string): string =>
  NEEDS_ESCAPE.test(text) ? text.replace(ESCAPE_ALL, (char) => ESCAPES[char] as string) : text

/** A `text[]` literal: `{"a","b \"c\""}`. */
export const pgTextArrayLiteral = (items: readonly string[]): string =>
  `{${items.map((item) => `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`

export const encodeCopyValue = (value: CopyValue): string => {
  if (value === null || value === undefined) return '\\N'
  if (typeof value === 'string') return escapeCopyText(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot COPY the number ${value}`)
    return String(value)
  }
  if (typeof value === 'boolean') return value ? 't' : 'f'
  if (Array.isArray(value)) return escapeCopyText(pgTextArrayLiteral(value as readonly string[]))
  return escapeCopyText(JSON.stringify(value))
}

/** One COPY text line (with its trailing newline). */
export const encodeCopyLine = (values: readonly CopyValue[]): string => values.map(encodeCopyValue).join('\t') + '\n'
