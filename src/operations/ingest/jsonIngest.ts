import type { Agenda } from 'agenda'
import type { Payload } from 'payload'

import type { CastCustomer, CastOrder, ImportKind, IngestRejection } from '../../domain/ingest/index.js'

import type { StreamRow } from '../../bulk/index.js'

import { claimRun, FencedOutError, fencedUpdate, upsertStream } from '../../bulk/index.js'
import { CSV_IMPORT_MAX_ISSUES, INGEST_CHUNK_RECORDS, SLUGS } from '../../constants.js'
import { crmOptionsOf } from '../../crmOptionsOf.js'
import { customerRecordSchema, orderRecordSchema, toCustomerRow, toOrderRow, validateIngestRecords } from '../../domain/ingest/index.js'
import { enqueueJob } from '../../jobs/defineJobs.js'
import { yieldToEventLoop } from '../../limits/yieldToEventLoop.js'
import { dropStagedChunks, readStagedChunks, stageRecords } from './staging.js'

type Staged = { index: number; row: CastCustomer | CastOrder }

export type BatchDoc = {
  accepted?: null | number
  chunksDone?: null | number
  createdAt?: string
  errors?: null | IngestRejection[]
  failed?: null | number
  finishedAt?: null | string
  id: number | string
  kind: ImportKind
  persisted?: null | number
  reason?: null | string
  rejected?: null | number
  startedAt?: null | string
  status: 'done' | 'failed' | 'processing' | 'queued'
}

const ownerOf = (batchId: number | string) => `batch:${batchId}`

/**
 * `POST /api/ingest/<kind>`: validates every record at once, stages the accepted ones with a batch
 * row and queues `crm.ingestBatch` (only the batch id). Never waits for persistence.
 */
export const acceptIngestBatch = async ({
  agenda,
  createdBy,
  kind,
  payload,
  records,
}: {
  agenda: Agenda
  createdBy?: string
  kind: ImportKind
  payload: Payload
  records: readonly unknown[]
}): Promise<{ accepted: number; batchId: number | string; rejected: IngestRejection[] }> => {
  const { storeCurrency, storeTimezone } = crmOptionsOf(payload)
  const { accepted, rejected } =
    kind === 'customers'
      ? validateIngestRecords({ records, schema: customerRecordSchema(storeTimezone), toRow: toCustomerRow })
      : validateIngestRecords({ records, schema: orderRecordSchema({ storeCurrency, timeZone: storeTimezone }), toRow: toOrderRow })
  const isEmpty = accepted.length === 0
  const batch = await payload.create({
    collection: SLUGS.ingestBatches as 'ingest-batches',
    data: {
      accepted: accepted.length,
      createdBy,
      kind,
      rejected: rejected.length,
      status: isEmpty ? 'done' : 'queued',
      ...(isEmpty ? { finishedAt: new Date().toISOString() } : {}),
    },
    overrideAccess: true,
  })
  if (!isEmpty) {
    try {
      await stageRecords<Staged>({ owner: ownerOf(batch.id), payload, perChunk: INGEST_CHUNK_RECORDS, records: accepted })
      await enqueueJob({ agenda, data: { batchId: String(batch.id) }, name: 'crm.ingestBatch' })
    } catch (err) {
      // Never a `queued` batch that no job will ever run.
      const reason = `The batch could not be staged or queued: ${err instanceof Error ? err.message : String(err)}`
      await payload.update({ collection: SLUGS.ingestBatches as 'ingest-batches', data: { finishedAt: new Date().toISOString(), reason, status: 'failed' }, id: batch.id, overrideAccess: true })
      await dropStagedChunks({ owner: ownerOf(batch.id), payload })
      throw err
    }
  }
  return { accepted: accepted.length, batchId: batch.id, rejected }
}

/**
 * The `crm.ingestBatch` consumer: streams the staged chunks in order through the bulk layer's
 * `upsertStream`, a chunk a batch (a record the database refuses is counted in `failed` with its
 * index, the others are written), recording `persisted` and the chunk reached after each, fenced by a run
 * token. A run started again resumes after the last recorded chunk (a chunk written but not
 * recorded is written again: upserts are idempotent). Staged records are dropped when done.
 */
export const runIngestBatch = async ({ batchId, payload, touch }: { batchId: number | string; payload: Payload; touch?: () => Promise<void> }): Promise<void> => {
  const doc = (await payload.findByID({ collection: SLUGS.ingestBatches as 'ingest-batches', depth: 0, disableErrors: true, id: batchId, overrideAccess: true })) as BatchDoc | null
  if (!doc || doc.status === 'done' || doc.status === 'failed') return
  const token = await claimRun({ id: batchId, payload, table: 'ingest_batches', values: { started_at: doc.startedAt ? new Date(doc.startedAt) : new Date(), status: 'processing' } })
  const write = async (values: Parameters<typeof fencedUpdate>[0]['values']) => {
    if (!(await fencedUpdate({ id: batchId, payload, table: 'ingest_batches', token, values }))) throw new FencedOutError(`ingest batch ${batchId}`)
  }
  let persisted = doc.persisted ?? 0
  let failed = doc.failed ?? 0
  const errors = [...(doc.errors ?? [])]
  // The record being written, and whether it ends its chunk: when a batch is reported, every record
  // pulled so far is written (upsertStream reads no further), so its chunk is done if it was the last.
  let at = { isLast: false, seq: doc.chunksDone ?? 0 }
  async function* stagedRows(): AsyncGenerator<StreamRow<CastCustomer | CastOrder>> {
    for await (const chunk of readStagedChunks({ fromSeq: doc!.chunksDone ?? 0, owner: ownerOf(batchId), payload })) {
      const staged = JSON.parse(chunk.data) as Staged[]
      for (const [position, item] of staged.entries()) {
        at = { isLast: position === staged.length - 1, seq: chunk.seq }
        yield { ref: item.index, row: item.row }
      }
    }
  }
  try {
    // Chunks are staged with INGEST_CHUNK_RECORDS records, so each batch is one chunk, one transaction, as before.
    const options = { acrossBatches: false, batchSize: INGEST_CHUNK_RECORDS, payload }
    const batches =
      doc.kind === 'orders'
        ? upsertStream({ ...options, kind: 'orders', rows: stagedRows() as AsyncIterable<StreamRow<CastOrder>> })
        : upsertStream({ ...options, kind: 'customers', rows: stagedRows() as AsyncIterable<StreamRow<CastCustomer>> })
    for await (const batch of batches) {
      persisted += batch.rows - batch.failed
      failed += batch.failed
      for (const outcome of batch.outcomes) {
        if (outcome.status === 'failed' && errors.length < CSV_IMPORT_MAX_ISSUES) errors.push({ index: outcome.ref, message: outcome.reason! })
      }
      // A chunk only partly written (only if the chunk size changed since staging) is not recorded as done.
      await write({ chunks_done: at.isLast ? at.seq + 1 : at.seq, errors: { json: errors }, failed, persisted })
      await touch?.()
      await yieldToEventLoop() // let requests in between chunks (the SQLite driver answers synchronously)
    }
    await write({ finished_at: new Date(), status: 'done' })
    await dropStagedChunks({ owner: ownerOf(batchId), payload })
  } catch (err) {
    if (err instanceof FencedOutError) return
    payload.logger.error({ err, msg: `ingest batch ${batchId} failed` })
    await write({ finished_at: new Date(), reason: err instanceof Error ? err.message : String(err), status: 'failed' }).catch(() => undefined)
  }
}
