/**
 * Case folding that SQLite, PostgreSQL and JavaScript compute identically.
 *
 * SQLite's `lower()` folds ASCII only and PostgreSQL's depends on the database locale, so "ignore
 * case" is defined here, once: ASCII letters, plus every letter of Latin-1, Latin Extended-A, Greek
 * and Cyrillic whose lower case is a single other character (final sigma folds to σ). Other
 * characters compare exactly. The SQL compilers apply the very same table (see `FOLD_PAIRS`).
 */

const RANGES: readonly [number, number][] = [
  [0x00c0, 0x017f], // Latin-1 Supplement and Latin Extended-A
  [0x0370, 0x03ff], // Greek and Coptic
  [0x0400, 0x04ff], // Cyrillic
]

const buildPairs = (): [string, string][] => {
  const pairs: [string, string][] = []
  for (const [from, to] of RANGES) {
    for (let code = from; code <= to; code++) {
      const char = String.fromCodePoint(code)
      const lower = char.toLowerCase()
      if (lower !== char && [...lower].length === 1) pairs.push([char, lower])
    }
  }
  pairs.push(['ς', 'σ'])
  return pairs
}

/** Non-ASCII `[upper, lower]` pairs folded besides ASCII A–Z (for the SQL compilers). */
export const FOLD_PAIRS: readonly [string, string][] = buildPairs()

const FOLD_MAP: ReadonlyMap<string, string> = new Map(FOLD_PAIRS)

/** Folds case as the segment compilers do in SQL (see the module comment). */
export const foldCase = (value: string): string => {
  let out = ''
  for (const char of value) {
    const code = char.charCodeAt(0)
    if (code >= 65 && code <= 90) out += String.fromCharCode(code + 32)
    else if (code < 128) out += char
    else out += FOLD_MAP.get(char) ?? char
  }
  return out
}

/** Compares two strings by Unicode code point (the order of UTF-8 bytes, SQLite BINARY and PostgreSQL "C"). */
export const compareCodePoints = (a: string, b: string): number => {
  const left = [...a]
  const right = [...b]
  const length = Math.min(left.length, right.length)
  for (let i = 0; i < length; i++) {
    const diff = (left[i] as string).codePointAt(0)! - (right[i] as string).codePointAt(0)!
    if (diff !== 0) return diff
  }
  return left.length - right.length
}

/** Length in code points (SQL's `length()` on text), not UTF-16 units. */
export const codePointLength = (value: string): number => [...value].length
