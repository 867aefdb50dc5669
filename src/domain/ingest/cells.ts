/** The largest cell the importer accepts (CONTRACT: a cell over 64 KiB is a row error). */
export const MAX_CELL_BYTES = 64 * 1024

// A UTF-16 code unit takes at most 3 UTF-8 bytes, so shorter strings cannot be too large.
const SURELY_SMALL = Math.floor(MAX_CELL_BYTES / 3)

/**
 * What the CSV reader puts in a cell where the file's bytes were not UTF-8: a lone high surrogate,
 * which no UTF-8 decoder produces, so a genuine U+FFFD (or any other character) is never taken for it.
 */
export const UNDECODABLE = '\uD800'
const UNDECODABLE_RE = /\uD800(?![\uDC00-\uDFFF])/

/** Why a raw cell cannot be stored at all (too large, NUL, undecodable bytes), or null. */
export const cellProblem = (cell: string): null | string => {
  if (cell.length > SURELY_SMALL) {
    const bytes = Buffer.byteLength(cell, 'utf8')
    if (bytes > MAX_CELL_BYTES) return `The cell is ${bytes} bytes; at most ${MAX_CELL_BYTES} (64 KiB) are accepted.`
  }
  if (cell.includes('\u0000')) return 'The cell contains a NUL byte.'
  if (cell.includes(UNDECODABLE) && UNDECODABLE_RE.test(cell)) return 'The cell contains bytes that are not valid UTF-8.'
  return null
}

const NUMBER_RE = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/** A non-negative decimal (`1200`, `99.5`), or null. Thousands separators and signs are refused. */
export const parseNonNegativeNumber = (cell: string): null | number => {
  if (!NUMBER_RE.test(cell)) return null
  const value = Number(cell)
  return Number.isFinite(value) ? value : null
}

/** A non-negative whole number within the safe range, or null. */
export const parseNonNegativeInteger = (cell: string): null | number => {
  if (!/^\d+$/.test(cell)) return null
  const value = Number(cell)
  return Number.isSafeInteger(value) ? value : null
}

const BOOLEANS: Record<string, boolean> = { '0': false, '1': true, false: false, no: false, true: true, yes: true }

/** true/false/yes/no/1/0 in any case, or null. */
export const parseBoolean = (cell: string): boolean | null => BOOLEANS[cell.toLowerCase()] ?? null

/** One tags cell → its values, split on `;` or `|`, trimmed, empties dropped. */
export const splitTags = (cell: string): string[] =>
  cell
    .split(/[;|]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '')
