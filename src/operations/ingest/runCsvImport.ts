import type { CastResult, HeaderMapping, ImportKind } from '../../domain/ingest/index.js'
import type { ImportReport } from './importReport.js'

import { BulkRowError } from '../../bulk/index.js'
import { CSV_IMPORT_BATCH_ROWS, CSV_IMPORT_MAX_RECORD_CHARS } from '../../constants.js'
import { mapHeaders } from '../../domain/ingest/index.js'
import { createImportReport } from './importReport.js'
import { CsvInputError, CsvUploadError, readCsvRecords } from './readCsvRecords.js'

/** How one kind of file is imported: its key, its casting and its bulk write. */
export type CsvImportSpec<TField extends string, TRow> = {
  cast: (args: { cells: readonly string[]; mapping: HeaderMapping<TField>; row: number }) => CastResult<TRow>
  /** The row's upsert key (lower-cased email, order id), to report repeats. */
  keyOf: (row: TRow) => string
  kind: ImportKind
  /** The header's name for the key column in messages. */
  keyLabel: string
  /** Writes one batch; returns how many of its keys were new. Throws BulkRowError for a row it cannot write. */
  write: (rows: TRow[]) => Promise<{ created: number }>
}

export type CsvImportResult = { message: string; ok: false } | { ok: true; report: ImportReport }

const UNCLOSED = 'CSV_QUOTE_NOT_CLOSED'
const TOO_LONG = 'CSV_MAX_RECORD_SIZE'

/**
 * Streams a CSV file into the bulk layer: header mapping, then each row validated and cast, valid
 * rows written in batches of `CSV_IMPORT_BATCH_ROWS`. A bad row is reported and never stops the
 * others. When a key repeats, the later row wins (it is written after the earlier one) and a
 * warning names the replacing row. Known gap: the keys seen are held in a per-request Map (memory
 * grows with the number of distinct keys; a staging table would keep it constant).
 */
export const runCsvImport = async <TField extends string, TRow>({
  source,
  spec,
}: {
  source: AsyncIterable<Uint8Array>
  spec: CsvImportSpec<TField, TRow>
}): Promise<CsvImportResult> => {
  const { error, report, warning } = createImportReport()
  const seen = new Map<string, number>()
  let mapping: HeaderMapping<TField> | null = null
  let batch: TRow[] = []
  let batchRows: number[] = []

  const flush = async () => {
    let rows = batch
    let numbers = batchRows
    batch = []
    batchRows = []
    while (rows.length > 0) {
      try {
        const { created } = await spec.write(rows)
        report.created += created
        report.updated += rows.length - created
        return
      } catch (err) {
        // Validation should have caught it; report the row and keep the rest of the batch.
        if (!(err instanceof BulkRowError) || err.index < 0 || err.index >= rows.length) throw err
        error({ message: err.message.replace(/^Row \d+: /, ''), row: numbers[err.index]! })
        report.failed += 1
        rows = rows.filter((_, i) => i !== err.index)
        numbers = numbers.filter((_, i) => i !== err.index)
      }
    }
  }

  try {
    for await (const item of readCsvRecords(source)) {
      if (item.kind === 'unreadable') {
        if (!mapping) return { message: `The header row could not be read: ${item.error.message}`, ok: false }
        report.rows += 1
        report.failed += 1
        const line = item.error.lines
        error({
          message:
            item.error.code === UNCLOSED
              ? `A quoted field opened in this row is never closed: the rest of the file (from line ${line}) could not be read.`
              : item.error.code === TOO_LONG
                ? `This row is longer than ${CSV_IMPORT_MAX_RECORD_CHARS} characters: the rest of the file (from line ${line}) was not read.`
                : `This row could not be read (${item.error.message}); reading resumed after it.`,
          row: report.rows,
        })
        continue
      }
      if (!mapping) {
        const mapped = mapHeaders({ headers: item.cells, kind: spec.kind })
        if (!mapped.ok) return { message: mapped.message, ok: false }
        mapping = mapped.mapping as HeaderMapping<TField>
        continue
      }
      // A line of separators only (",,,") is as empty as an empty line.
      if (item.cells.every((cell) => cell.trim() === '')) continue
      report.rows += 1
      const row = report.rows
      const cast = spec.cast({ cells: item.cells, mapping, row })
      if (!cast.ok) {
        report.failed += 1
        cast.errors.forEach(error)
        continue
      }
      const key = spec.keyOf(cast.row)
      const previous = seen.get(key)
      if (previous !== undefined) {
        warning({ column: spec.keyLabel, message: `Replaced by row ${row}, which has the same ${spec.keyLabel} (${key}).`, row: previous })
      }
      seen.set(key, row)
      batch.push(cast.row)
      batchRows.push(row)
      if (batch.length >= CSV_IMPORT_BATCH_ROWS) await flush()
    }
  } catch (err) {
    if (err instanceof CsvInputError) return { message: err.message, ok: false }
    if (!(err instanceof CsvUploadError)) throw err
    if (!mapping) return { message: `The upload broke off before the header row was read: ${err.message}`, ok: false }
    error({ message: `The upload broke off (${err.message}): nothing after row ${report.rows} was read.`, row: report.rows + 1 })
  }
  if (!mapping) return { message: 'The file is empty: it needs a header row.', ok: false }
  await flush()
  return { ok: true, report }
}
