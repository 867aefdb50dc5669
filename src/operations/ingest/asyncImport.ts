import type { Agenda } from 'agenda'
import type { Payload } from 'payload'

import { stringify } from 'csv-stringify'
import { once } from 'node:events'
import { Readable } from 'node:stream'

import type { FencedValue } from '../../bulk/index.js'
import type { ImportKind, RowIssue } from '../../domain/ingest/index.js'
import type { ImportReport } from './importReport.js'

import { claimRun, FencedOutError, fencedUpdate } from '../../bulk/index.js'
import { SLUGS } from '../../constants.js'
import { readImportTuning } from '../../env.js'
import { enqueueJob } from '../../jobs/defineJobs.js'
import { yieldToEventLoop } from '../../limits/yieldToEventLoop.js'
import { importCustomersCsv } from './importCustomersCsv.js'
import { importOrdersCsv } from './importOrdersCsv.js'
import type { CsvItem } from './readCsvRecords.js'

import { CsvInputError, CsvUploadError, readCsvRecords } from './readCsvRecords.js'
import { dropStagedChunks, readStagedUpload, stageUpload } from './staging.js'

/** One row of the `imports` collection as the job reads it. */
export type ImportDoc = {
  attempts?: null | number
  created?: null | number
  errors?: null | RowIssue[]
  failed?: null | number
  fileName?: null | string
  id: number | string
  kind: ImportKind
  rows?: null | number
  startedAt?: null | string
  status: 'done' | 'failed' | 'processing' | 'queued'
  unchanged?: null | number
  updated?: null | number
  warnings?: null | RowIssue[]
}

const ownerOf = (importId: number | string) => `import:${importId}`

/** Rows per bulk write of an async import; `CRM_IMPORT_BATCH_ROWS` lowers it (tests), default 10,000. */
export const asyncImportBatchRows = (): number | undefined => readImportTuning().batchRows

export type StartAsyncImportResult = { importId: number | string; ok: true } | { message: string; ok: false; status: number }

/**
 * Stores the upload in the staging table (so a worker on any host can read it), records the import
 * as `queued` and queues `crm.importRun` with only its id. Answers once the upload is stored.
 */
export const startAsyncImport = async ({
  agenda,
  createdBy,
  fileName,
  kind,
  payload,
  source,
}: {
  agenda: Agenda
  createdBy?: string
  fileName?: string
  kind: ImportKind
  payload: Payload
  source: AsyncIterable<Uint8Array>
}): Promise<StartAsyncImportResult> => {
  const doc = await payload.create({
    collection: SLUGS.imports as 'imports',
    data: { createdBy, fileName: fileName || `${kind}.csv`, kind, status: 'queued' },
    overrideAccess: true,
  })
  const importId = doc.id
  const fail = (reason: string) =>
    payload.update({ collection: SLUGS.imports as 'imports', data: { errorSummary: reason, finishedAt: new Date().toISOString(), status: 'failed' }, id: importId, overrideAccess: true })
  let staged: { bytes: number; chunks: number }
  try {
    staged = await stageUpload({ owner: ownerOf(importId), payload, source })
  } catch (err) {
    await fail(`The upload could not be stored: ${err instanceof Error ? err.message : String(err)}`)
    throw err
  }
  if (staged.bytes === 0) {
    await fail('The file is empty: it needs a header row.')
    return { message: 'The request body is empty: send a CSV file.', ok: false, status: 400 }
  }
  await payload.update({ collection: SLUGS.imports as 'imports', data: { bytes: staged.bytes }, id: importId, overrideAccess: true })
  try {
    await enqueueJob({ agenda, data: { importId: String(importId) }, name: 'crm.importRun' })
  } catch (err) {
    // Never a `queued` row that no job will ever run.
    await fail(`The import could not be queued: ${err instanceof Error ? err.message : String(err)}`)
    throw err
  }
  return { importId, ok: true }
}

const MAX_SUMMARY_REASON = 200

/** "3 rows rejected; most often: email: Email is not valid (2)". */
export const summariseErrors = (report: Pick<ImportReport, 'errors' | 'failed'>): null | string => {
  if (report.failed === 0) return null
  const counts = new Map<string, number>()
  for (const issue of report.errors) {
    const key = `${issue.column ? `${issue.column}: ` : ''}${issue.message}`.slice(0, MAX_SUMMARY_REASON)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const top = [...counts].sort((a, b) => b[1] - a[1])[0]
  return `${report.failed} row${report.failed === 1 ? '' : 's'} rejected${top ? `; most often: ${top[0]} (${top[1]})` : ''}`
}

const progressValues = (report: ImportReport, startedAt: Date): Record<string, FencedValue> => {
  const seconds = Math.max(0.001, (Date.now() - startedAt.getTime()) / 1000)
  return {
    created: report.created,
    errors: { json: report.errors },
    failed: report.failed,
    rows: report.rows,
    rows_per_second: Math.round((report.rows / seconds) * 10) / 10,
    unchanged: report.unchanged,
    updated: report.updated,
    warnings: { json: report.warnings },
  }
}

/**
 * The `crm.importRun` job: streams the staged upload through the same path as the synchronous
 * import (runCsvImport → the bulk layer), recording a checkpoint after every batch. A run started
 * again (restart, lock taken over) claims the row with a new run token and resumes after the last
 * checkpoint; the stale run's next write is refused and it stops. Anything that stops the import
 * marks it `failed` with the reason, never leaving it silently half-done.
 */
export const runAsyncImport = async ({ importId, payload, touch }: { importId: number | string; payload: Payload; touch?: () => Promise<void> }): Promise<void> => {
  const doc = (await payload.findByID({ collection: SLUGS.imports as 'imports', depth: 0, disableErrors: true, id: importId, overrideAccess: true })) as ImportDoc | null
  if (!doc || doc.status === 'done' || doc.status === 'failed') return
  const startedAt = doc.startedAt ? new Date(doc.startedAt) : new Date()
  const token = await claimRun({ id: importId, payload, table: 'imports', values: { attempts: (doc.attempts ?? 0) + 1, started_at: startedAt, status: 'processing' } })
  const write = async (values: Record<string, FencedValue>) => {
    if (!(await fencedUpdate({ id: importId, payload, table: 'imports', token, values }))) throw new FencedOutError(`import ${importId}`)
  }
  const finished = (): Record<string, FencedValue> => ({ duration_ms: Date.now() - startedAt.getTime(), finished_at: new Date() })
  const resume: ImportReport | undefined =
    (doc.rows ?? 0) > 0
      ? {
          created: doc.created ?? 0,
          errors: doc.errors ?? [],
          failed: doc.failed ?? 0,
          rows: doc.rows ?? 0,
          unchanged: doc.unchanged ?? 0,
          updated: doc.updated ?? 0,
          warnings: doc.warnings ?? [],
        }
      : undefined
  const importCsv = doc.kind === 'orders' ? importOrdersCsv : importCustomersCsv
  try {
    const result = await importCsv({
      batchRows: asyncImportBatchRows(),
      payload,
      progress: {
        onBatch: async (report) => {
          await write(progressValues(report, startedAt))
          await touch?.()
          // The SQLite driver answers synchronously: without a turn of the event loop, status polls
          // and every other request would wait for the whole import.
          await yieldToEventLoop()
        },
        resume,
      },
      source: readStagedUpload({ owner: ownerOf(importId), payload }),
    })
    if (!result.ok) await write({ ...finished(), error_summary: result.message, status: 'failed' })
    else await write({ ...progressValues(result.report, startedAt), ...finished(), error_summary: summariseErrors(result.report), status: 'done' })
    // The staged upload is kept only while it has rejected rows to serve.
    if (!result.ok || result.report.failed === 0) await dropStagedChunks({ owner: ownerOf(importId), payload })
  } catch (err) {
    if (err instanceof FencedOutError) return
    payload.logger.error({ err, msg: `import ${importId} failed` })
    await write({ ...finished(), error_summary: `The import stopped: ${err instanceof Error ? err.message : String(err)}`, status: 'failed' }).catch(() => undefined)
  }
}

/**
 * Records a synchronous import (the plain `POST …/import` answer) in the history once it is over, so
 * the history lists every import, not only the asynchronous ones. Its upload is not kept, so its
 * rejected-rows download lists row numbers, columns and reasons only. Never fails the import: a
 * history write that fails is logged.
 */
export const recordSyncImport = async ({
  createdBy,
  fileName,
  kind,
  payload,
  result,
  startedAt,
}: {
  createdBy?: string
  fileName?: string
  kind: ImportKind
  payload: Payload
  result: { message: string; ok: false } | { ok: true; report: ImportReport }
  startedAt: Date
}): Promise<void> => {
  const finishedAt = new Date()
  const durationMs = finishedAt.getTime() - startedAt.getTime()
  const counts = result.ok
    ? {
        created: result.report.created,
        errors: result.report.errors,
        errorSummary: summariseErrors(result.report),
        failed: result.report.failed,
        rows: result.report.rows,
        rowsPerSecond: Math.round((result.report.rows / Math.max(0.001, durationMs / 1000)) * 10) / 10,
        unchanged: result.report.unchanged,
        updated: result.report.updated,
        warnings: result.report.warnings,
      }
    : { errorSummary: result.message }
  try {
    await payload.create({
      collection: SLUGS.imports as 'imports',
      data: { attempts: 1, createdBy, durationMs, fileName, finishedAt: finishedAt.toISOString(), kind, startedAt: startedAt.toISOString(), status: result.ok ? 'done' : 'failed', ...counts },
      overrideAccess: true,
    })
  } catch (err) {
    payload.logger.error({ err, msg: 'could not record a synchronous import in the history' })
  }
}

/** Whether an import's upload is still staged (asynchronous imports with rejected rows keep it). */
const hasStagedUpload = async (owner: string, payload: Payload): Promise<boolean> => {
  const found = await payload.find({ collection: SLUGS.stagingChunks as 'crm-staging-chunks', depth: 0, limit: 1, overrideAccess: true, pagination: false, where: { owner: { equals: owner } } })
  return found.docs.length > 0
}

/**
 * The rejected rows of an import as CSV: the staged file's header plus a `reason` column, and each
 * data row that has a stored error (numbered as the importer numbers them), with its reasons joined
 * by "; ". Stored errors are the first 1,000 (CONTRACT), so at most 1,000 rows. Without a staged
 * upload (a synchronous import) the columns are `row`, `column` and `reason`.
 */
export const rejectedRowsCsv = async ({ doc, payload }: { doc: ImportDoc; payload: Payload }): Promise<ReadableStream<Uint8Array>> => {
  if (!(await hasStagedUpload(ownerOf(doc.id), payload))) {
    const rows = [['row', 'column', 'reason'], ...(doc.errors ?? []).map((issue) => [String(issue.row), issue.column ?? '', issue.message])]
    return Readable.toWeb(Readable.from(rows).pipe(stringify())) as unknown as ReadableStream<Uint8Array>
  }
  const reasons = new Map<number, string[]>()
  for (const issue of doc.errors ?? []) {
    const text = `${issue.column ? `${issue.column}: ` : ''}${issue.message}`
    reasons.set(issue.row, [...(reasons.get(issue.row) ?? []), text])
  }
  const stringifier = stringify()
  const pump = async () => {
    let header: null | string[] = null
    let row = 0
    const put = async (cells: string[]) => {
      if (!stringifier.write(cells)) await once(stringifier, 'drain')
    }
    const items = readCsvRecords(readStagedUpload({ owner: ownerOf(doc.id), payload }))[Symbol.asyncIterator]()
    for (;;) {
      let next: IteratorResult<CsvItem>
      try {
        next = await items.next()
      } catch (err) {
        // A file the importer could not read (empty, binary, cut off) has no more rows to give.
        if (err instanceof CsvInputError || err instanceof CsvUploadError) break
        throw err
      }
      if (next.done) break
      const item = next.value
      if (item.kind === 'unreadable') {
        if (!header) break
        row += 1
        const reason = reasons.get(row)
        if (reason) await put([...header.map(() => ''), reason.join('; ')])
        continue
      }
      if (!header) {
        header = item.cells
        await put([...header, 'reason'])
        continue
      }
      if (item.cells.every((cell) => cell.trim() === '')) continue
      row += 1
      const reason = reasons.get(row)
      if (reason) await put([...header.map((_, index) => item.cells[index] ?? ''), reason.join('; ')])
    }
    stringifier.end()
  }
  pump().catch((err: unknown) => stringifier.destroy(err instanceof Error ? err : new Error(String(err))))
  return Readable.toWeb(stringifier) as unknown as ReadableStream<Uint8Array>
}
