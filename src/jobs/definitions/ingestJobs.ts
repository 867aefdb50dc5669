import type { CrmJobDefinition } from '../jobTypes.js'

import { z } from 'zod'

import { readImportTuning } from '../../env.js'
import { runAsyncImport } from '../../operations/ingest/asyncImport.js'
import { runIngestBatch } from '../../operations/ingest/jsonIngest.js'
import { PermanentJobError } from '../permanentJobError.js'

const parseWith =
  <T extends z.ZodType>(schema: T) =>
  (data: unknown): z.output<T> => {
    const result = schema.safeParse(data ?? {})
    if (!result.success) throw new PermanentJobError('invalid-data', result.error.issues.map((issue) => issue.message).join('; '))
    return result.data
  }

/**
 * How long a silent run keeps its lock before another worker (or the restarted server) takes it
 * over; runs renew it after every batch. `CRM_IMPORT_LOCK_MS` shortens it (tests). @default 60000
 */
const lockLifetimeMs = readImportTuning().lockMs

/** Runs an async CSV import (see runAsyncImport): resumes after its last checkpoint when run again. */
export const importRunJob: CrmJobDefinition<'crm.importRun'> = {
  concurrency: 2,
  handler: async ({ ctx, data, reportProgress }) => {
    if (!ctx.payload) throw new PermanentJobError('no-payload', 'crm.importRun needs a Payload instance in the job context')
    await runAsyncImport({ importId: data.importId, payload: ctx.payload, touch: () => reportProgress(0) })
  },
  lockLifetimeMs,
  name: 'crm.importRun',
  parse: parseWith(z.object({ importId: z.string().min(1) })),
}

/** Persists a JSON ingest batch (see runIngestBatch): resumes after its last persisted chunk. */
export const ingestBatchJob: CrmJobDefinition<'crm.ingestBatch'> = {
  concurrency: 4,
  handler: async ({ ctx, data, reportProgress }) => {
    if (!ctx.payload) throw new PermanentJobError('no-payload', 'crm.ingestBatch needs a Payload instance in the job context')
    await runIngestBatch({ batchId: data.batchId, payload: ctx.payload, touch: () => reportProgress(0) })
  },
  lockLifetimeMs,
  name: 'crm.ingestBatch',
  parse: parseWith(z.object({ batchId: z.string().min(1) })),
}
