import type { Payload } from 'payload'

import type { CastResult, HeaderMapping, ImportKind } from '../../domain/ingest/index.js'
import type { ImportReport } from './importReport.js'
import type { CsvItem } from './readCsvRecords.js'

import type { ImportKeys, RowFailure } from '../../bulk/index.js'

import { openImportKeys } from '../../bulk/index.js'
import { CSV_IMPORT_BATCH_ROWS, CSV_IMPORT_MAX_RECORD_CHARS } from '../../constants.js'
import { mapHeaders } from '../../domain/ingest/index.js'
import { createImportReport } from './importReport.js'
import { CsvInputError, CsvUploadError } from './readCsvRecords.js'
import { csvRecordsOf } from './readCsvRecordsInWorker.js'

/** How one kind of file is imported: its key, its casting and its bulk write. */
export type CsvImportSpec<TField extends string, TRow> = {
  cast: (args: { cells: readonly string[]; mapping: HeaderMapping<TField>; row: number }) => CastResult<TRow>
  /** The row's upsert key (lower-cased email, order id), to report repeats. */
  keyOf: (row: TRow) => string
  kind: ImportKind
  /** The header's name for the key column in messages. */
  keyLabel: string
  /**
   * Writes one batch: how many of its keys were new, how many matched rows changed nothing, and
   * the rows (by index in `rows`) that could not be written, with the reason.
   */
  write: (rows: TRow[]) => Promise<{ created: number; failed: RowFailure[]; unchanged: number }>
}

export type CsvImportResult = { message: string; ok: false } | { ok: true; report: ImportReport }

/** What `importCustomersCsv` and `importOrdersCsv` take. Callers authorise first. */
export type CsvImportArgs = {
  /** Rows per bulk write (tests use small ones). @default CSV_IMPORT_BATCH_ROWS */
  batchRows?: number
  payload: Payload
  /** Checkpoints of a resumable (async) run. */
  progress?: CsvImportProgress
  source: AsyncIterable<Uint8Array>
}

/** Checkpoint hooks of a resumable run (async imports). */
export type CsvImportProgress = {
  /**
   * Awaited after every batch is written, with the report so far: every row up to `report.rows` is
   * written or rejected, so it is a checkpoint to resume from.
   */
  onBatch?: (report: ImportReport) => Promise<void>
  /** Resume after a checkpoint: its rows are read but not cast or written again, its counts carry on. */
  resume?: ImportReport
}

const UNCLOSED = 'CSV_QUOTE_NOT_CLOSED'
const TOO_LONG = 'CSV_MAX_RECORD_SIZE'

/**
 * Streams a CSV file into the bulk layer: header mapping, then each row validated and cast, valid
 * rows written in batches of `CSV_IMPORT_BATCH_ROWS` (the next batch is read only once the last
 * is written: backpressure from the database to the upload). A bad row, or a row the database
 * refuses, is reported and never loses the others. When a key repeats, the later row wins (it is
 * written after the earlier one) and a warning names the replacing row: repeats within a batch
 * are found in the batch, repeats across batches through a per-import staging table of the
 * database (the bulk layer's `openImportKeys`), so memory follows the batch, not the file.
 */
export const runCsvImport = async <TField extends string, TRow>({
  batchRows = CSV_IMPORT_BATCH_ROWS,
  payload,
  progress = {},
  source,
  spec,
}: {
  progress?: CsvImportProgress
  /** Rows per bulk write. @default CSV_IMPORT_BATCH_ROWS */
  batchRows?: number
  payload: Payload
  source: AsyncIterable<Uint8Array>
  spec: CsvImportSpec<TField, TRow>
}): Promise<CsvImportResult> => {
  // Opened at the first write, not before reading: the upload is consumed from the first byte
  // (a multipart body that breaks off early still yields the rows before the break).
  let opened: Promise<ImportKeys> | undefined
  const keys: ImportKeys = {
    drop: async () => {
      if (opened) await (await opened).drop()
    },
    note: async (entries) => {
      opened ??= openImportKeys({ payload })
      return (await opened).note(entries)
    },
  }
  try {
    return await importWith({ batchRows, keys, progress, records: csvRecordsOf({ payload, source }), spec })
  } finally {
    await keys.drop().catch(() => undefined)
  }
}

const importWith = async <TField extends string, TRow>({
  batchRows: batchSize,
  keys,
  progress,
  records,
  spec,
}: {
  batchRows: number
  keys: ImportKeys
  progress: CsvImportProgress
  records: AsyncIterable<CsvItem>
  spec: CsvImportSpec<TField, TRow>
}): Promise<CsvImportResult> => {
  const { error, report, warning } = createImportReport(progress.resume)
  // Rows a resumed run already accounted for: read (to keep the numbering) but not counted again.
  const skipRows = progress.resume?.rows ?? 0
  let seen = 0
  let mapping: HeaderMapping<TField> | null = null
  let batch: TRow[] = []
  let batchRows: number[] = []
  // The batch's keys with the row that last wrote each (bounded by the batch size).
  let batchKeys = new Map<string, number>()

  const replaced = (key: string, earlierRow: number, laterRow: number) =>
    warning({ column: spec.keyLabel, message: `Replaced by row ${laterRow}, which has the same ${spec.keyLabel} (${key}).`, row: earlierRow })

  const flush = async () => {
    const rows = batch
    const numbers = batchRows
    const rowKeys = batchKeys
    batch = []
    batchRows = []
    batchKeys = new Map()
    if (rows.length === 0) return
    const { created, failed, unchanged } = await spec.write(rows)
    const failedRows = new Set<number>()
    for (const failure of failed) {
      const row = numbers[failure.index]!
      failedRows.add(row)
      error({ message: failure.reason, row })
    }
    report.failed += failed.length
    report.created += created
    report.updated += rows.length - failed.length - created
    report.unchanged += unchanged
    const written = [...rowKeys].filter(([, row]) => !failedRows.has(row)).map(([key, row]) => ({ key, row }))
    for (const earlier of await keys.note(written)) replaced(earlier.key, earlier.row, rowKeys.get(earlier.key)!)
    if (progress.onBatch) await progress.onBatch(report)
  }

  try {
    for await (const item of records) {
      if (item.kind === 'unreadable') {
        if (!mapping) return { message: `The header row could not be read: ${item.error.message}`, ok: false }
        seen += 1
        if (seen <= skipRows) continue
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
      seen += 1
      if (seen <= skipRows) continue
      report.rows += 1
      const row = report.rows
      const cast = spec.cast({ cells: item.cells, mapping, row })
      if (!cast.ok) {
        report.failed += 1
        cast.errors.forEach(error)
        continue
      }
      const key = spec.keyOf(cast.row)
      const previous = batchKeys.get(key)
      if (previous !== undefined) replaced(key, previous, row)
      batchKeys.set(key, row)
      batch.push(cast.row)
      batchRows.push(row)
      if (batch.length >= batchSize) await flush()
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
