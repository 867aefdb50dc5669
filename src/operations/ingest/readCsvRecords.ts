import type { CsvError } from 'csv-parse'

import { parse } from 'csv-parse'
import { Readable } from 'node:stream'

import { CSV_IMPORT_MAX_RECORD_CHARS } from '../../constants.js'
import { type Utf8Text, unmarkCells, utf8Text } from './utf8Text.js'

/** A request's CSV could not be read at all (→ 400). */
export class CsvInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CsvInputError'
  }
}

/** The upload itself broke off (client gone, truncated multipart body): what was read before stands. */
export class CsvUploadError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CsvUploadError'
  }
}

/** One item of a CSV file, in file order: a record's cells, or a record the parser had to skip. */
export type CsvItem = { cells: string[]; kind: 'record' } | { error: CsvError; kind: 'unreadable' }

// Text after the last line end is held back until more arrives (so a broken-off upload never
// parses a half line as a row), but never more than this many characters.
const MAX_HELD_BACK = 1024 * 1024

/**
 * Bytes → text. A BOM is dropped; NUL bytes or invalid UTF-8 in the first chunk mean "not a CSV
 * file" (CONTRACT: 400). Later bytes that are not UTF-8 are marked (`utf8Text`) so the row checks
 * report them while a genuine U+FFFD imports. If the upload breaks off, the error is recorded in
 * `broken` and the text ends at the last complete line.
 */
async function* decode(source: AsyncIterable<Uint8Array>, text: Utf8Text, broken: { error?: CsvUploadError }): AsyncGenerator<string> {
  let isFirst = true
  let hasBytes = false
  let hasText = false
  let held = ''
  const chunks = source[Symbol.asyncIterator]()
  for (;;) {
    let next: IteratorResult<Uint8Array>
    try {
      next = await chunks.next()
    } catch (err) {
      broken.error = new CsvUploadError(err instanceof Error ? err.message : 'the upload failed')
      return
    }
    if (next.done) break
    const chunk = next.value
    if (chunk.byteLength === 0) continue
    let decoded: string
    if (isFirst) {
      isFirst = false
      if (chunk.includes(0)) throw new CsvInputError('The file contains NUL bytes: it looks binary, not like a CSV file.')
      decoded = text.decode(chunk)
      if (text.sawBadBytes) throw new CsvInputError('The file is not valid UTF-8 text: save it as UTF-8 CSV.')
    } else decoded = text.decode(chunk)
    hasBytes = true
    // The BOM, once the text has begun (a first chunk of 1–2 bytes holds only part of it).
    if (!hasText && decoded !== '') {
      hasText = true
      if (decoded.startsWith('\uFEFF')) decoded = decoded.slice(1)
    }
    const joined = held + decoded
    const cut = joined.length > MAX_HELD_BACK ? joined.length : joined.lastIndexOf('\n') + 1
    held = joined.slice(cut)
    if (cut > 0) yield joined.slice(0, cut)
  }
  const rest = held + text.end()
  if (rest !== '') yield rest
  if (!hasBytes) throw new CsvInputError('The request body is empty: send a CSV file.')
}

/**
 * Streams the records of a CSV file through csv-parse (arrays, no casting: ours is faster):
 * quoted fields with commas, quotes and newlines, CRLF, ragged rows, empty lines skipped. A record
 * the parser cannot read is yielded as `unreadable` in its place and parsing resumes after it; an
 * unclosed quote, or a record over `CSV_IMPORT_MAX_RECORD_CHARS`, makes the rest of the file one such item. Pulling applies backpressure.
 */
export const readCsvRecords = (source: AsyncIterable<Uint8Array>): AsyncIterable<CsvItem> => {
  const parser = parse({
    max_record_size: CSV_IMPORT_MAX_RECORD_CHARS,
    on_skip: (error) => {
      if (error) parser.push({ error, kind: 'unreadable' } satisfies CsvItem)
    },
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  })
  const broken: { error?: CsvUploadError } = {}
  const text = utf8Text()
  const input = Readable.from(decode(source, text, broken), { objectMode: false })
  input.on('error', (err) => parser.destroy(err))
  input.pipe(parser)
  return (async function* () {
    for await (const item of parser as AsyncIterable<CsvItem | string[]>) {
      if (!Array.isArray(item)) yield item
      else yield { cells: text.marked ? unmarkCells(item) : item, kind: 'record' }
    }
    // Every record read before the break has been yielded; now say it broke.
    if (broken.error) throw broken.error
  })()
}
