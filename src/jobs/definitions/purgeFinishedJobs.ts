import type { CrmJobDefinition } from '../jobTypes.js'

import { z } from 'zod'

import { dropStaleImportKeys } from '../../bulk/index.js'
import { getAgendaInternals } from '../createAgenda.js'
import { PermanentJobError } from '../permanentJobError.js'

/** Rows deleted per statement: small enough that no worker waits long on the jobs table. */
export const PURGE_BATCH_SIZE = 1000

const DAY_MS = 24 * 60 * 60 * 1000

const schema = z.object({ retentionDays: z.number().positive() })

/**
 * Housekeeping: drops stale `crm_import_keys_…` tables (`dropStaleImportKeys`) and deletes finished jobs (completed, or failed with no retry left) whose last run ended
 * more than `retentionDays` ago, in batches. Repeating, scheduled, queued and running jobs are never
 * touched. Scheduled once per cluster by `startJobRuntime` (see `purgeFinishedJobs` there).
 */
export const purgeFinishedJobsJob: CrmJobDefinition<'crm.purgeFinishedJobs'> = {
  concurrency: 1,
  handler: async ({ ctx, data, job, reportProgress }) => {
    const { store } = getAgendaInternals(job.agenda)
    const before = new Date(Date.now() - data.retentionDays * DAY_MS)
    let total = 0
    for (;;) {
      const deleted = await store.purgeFinished({ before, limit: PURGE_BATCH_SIZE })
      total += deleted
      if (deleted < PURGE_BATCH_SIZE) break
      // Renews the lock between batches on a very large backlog.
      await job.touch()
    }
    // Also the key tables of imports whose server was killed mid-import (docs/ingest.md).
    const dropped = ctx.payload ? await dropStaleImportKeys({ payload: ctx.payload }) : []
    await reportProgress(100)
    ctx.payload?.logger.info(
      `Purged ${total} finished job(s) older than ${data.retentionDays} day(s)${dropped.length > 0 ? ` and ${dropped.length} stale import key table(s)` : ''}`,
    )
  },
  name: 'crm.purgeFinishedJobs',
  parse: (data) => {
    const result = schema.safeParse(data ?? {})
    if (!result.success) throw new PermanentJobError('invalid-data', result.error.issues.map((issue) => issue.message).join('; '))
    return result.data
  },
}
