import type { Payload } from 'payload'

import type { CastResult, HeaderMapping, ImportKind } from '../../domain/ingest/index.js'
import type { ImportReport } from './importReport.js'

import type { CustomerRow, OrderRow, StreamRow } from '../../bulk/index.js'

import { upsertStream } from '../../bulk/index.js'
import { CSV_IMPORT_MAX_RECORD_CHARS } from '../../constants.js'
import { mapHeaders } from '../../domain/ingest/index.js'
import { createImportReport } from './importReport.js'
import { CsvInputError, CsvUploadError } from './readCsvRecords.js'
import { csvRecordsOf } from './readCsvRecordsInWorker.js'

/** How one kind of file is imported: its casting, and which bulk upsert writes it. */
export type CsvImportSpec<TField extends string, TRow> = {
  cast: (args: { cells: readonly string[]; mapping: HeaderMapping<TField>; row: number }) => CastResult<TRow>
  kind: ImportKind
  /** The header's name for the key column in messages. */
  keyLabel: string
}

export type CsvImportResult = { message: string; ok: false } | { ok: true; report: ImportReport }

/** What `importCustomersCsv` and `importOrdersCsv` take. Callers authorise first. */
export type CsvImportArgs = {
  /** Rows per bulk write (tests use small ones). @default `streamBatchRows` (10,000; 25,000 on SQLite) */
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

/** Stops the import without writing the rows read since the last batch (the old answer, ok: false). */
class ImportStopped extends Error {}

/**
 * Streams a CSV file into the bulk layer: header mapping, then each row validated and cast, valid
 * rows written through the bulk layer's `upsertStream` in batches of `streamBatchRows` rows (the
 * next batch is read only once the last is written: backpressure from the database to the upload).
 * A bad row, or a row the database refuses, is reported and never loses the others. When a key
 * repeats, the later row wins (it is written after the earlier one) and a warning names the
 * replacing row: `upsertStream` finds repeats within a batch in the batch and across batches
 * through a per-import staging table of the database, so memory follows the batch, not the file.
 */
export const runCsvImport = async <TField extends string, TRow extends CustomerRow | OrderRow>({
  batchRows,
  payload,
  progress = {},
  source,
  spec,
}: {
  progress?: CsvImportProgress
  /** Rows per bulk write. @default `streamBatchRows` */
  batchRows?: number
  payload: Payload
  source: AsyncIterable<Uint8Array>
  spec: CsvImportSpec<TField, TRow>
}): Promise<CsvImportResult> => {
  const { error, finish, report, warning } = createImportReport(progress.resume)
  // Rows a resumed run already accounted for: read (to keep the numbering) but not counted again.
  const skipRows = progress.resume?.rows ?? 0
  let mapping: HeaderMapping<TField> | null = null

  // The file's valid rows, numbered as the report numbers them; read only as fast as they are written.
  async function* castRows(): AsyncGenerator<StreamRow<TRow>> {
    let seen = 0
    try {
      for await (const item of csvRecordsOf({ payload, source })) {
        if (item.kind === 'unreadable') {
          if (!mapping) throw new ImportStopped(`The header row could not be read: ${item.error.message}`)
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
          if (!mapped.ok) throw new ImportStopped(mapped.message)
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
        yield { ref: row, row: cast.row }
      }
    } catch (err) {
      if (err instanceof CsvInputError) throw new ImportStopped(err.message)
      if (!(err instanceof CsvUploadError)) throw err
      if (!mapping) throw new ImportStopped(`The upload broke off before the header row was read: ${err.message}`)
      // The rows before the break are still written.
      error({ message: `The upload broke off (${err.message}): nothing after row ${report.rows} was read.`, row: report.rows + 1 })
    }
  }

  try {
    // A customers spec casts CustomerRows, an orders spec OrderRows.
    const rows = castRows()
    // Without checkpoints the next batch is read and cast while this one is written (on PostgreSQL the
    // two overlap); a checkpoint must not count rows read ahead, so resumable runs read no further.
    const readAhead = progress.onBatch ? 0 : 1
    const batches =
      spec.kind === 'orders'
        ? upsertStream({ batchSize: batchRows, kind: 'orders', payload, readAhead, rows: rows as AsyncIterable<StreamRow<OrderRow>> })
        : upsertStream({ batchSize: batchRows, kind: 'customers', payload, readAhead, rows: rows as AsyncIterable<StreamRow<CustomerRow>> })
    for await (const batch of batches) {
      for (const outcome of batch.outcomes) if (outcome.status === 'failed') error({ message: outcome.reason!, row: outcome.ref })
      report.failed += batch.failed
      report.created += batch.created
      report.updated += batch.rows - batch.failed - batch.created
      report.unchanged += batch.unchanged
      for (const { earlier, key, later } of batch.repeated) {
        warning({ column: spec.keyLabel, message: `Replaced by row ${later}, which has the same ${spec.keyLabel} (${key}).`, row: earlier })
      }
      if (progress.onBatch) await progress.onBatch(finish())
    }
  } catch (err) {
    if (err instanceof ImportStopped) return { message: err.message, ok: false }
    throw err
  }
  if (!mapping) return { message: 'The file is empty: it needs a header row.', ok: false }
  return { ok: true, report: finish() }
}
