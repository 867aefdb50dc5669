import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { from as copyFrom } from 'pg-copy-streams'

import type { PgClientLike } from '../connection.js'
import type { CopyValue } from './copyText.js'

import { encodeCopyLine } from './copyText.js'

/** Streams `rows` into `table (columns)` with COPY … FROM STDIN, in ~1 MB writes. */
export const copyInto = async ({
  client,
  columns,
  rows,
  table,
}: {
  client: PgClientLike
  columns: readonly string[]
  rows: Iterable<readonly CopyValue[]>
  table: string
}): Promise<void> => {
  const target = client.query(copyFrom(`COPY ${table} (${columns.map((column) => `"${column}"`).join(', ')}) FROM STDIN`))
  async function* lines() {
    let buffer = ''
    for (const row of rows) {
      buffer += encodeCopyLine(row)
      if (buffer.length >= 1 << 20) {
        yield buffer
        buffer = ''
      }
    }
    if (buffer) yield buffer
  }
  await pipeline(Readable.from(lines()), target)
}
