import type { CrmJobDefinition } from '../jobTypes.js'

import { z } from 'zod'

import { DEMO_LIMITS } from '../../domain/seed/demoCatalogue.js'
import { yieldToEventLoop } from '../../limits/yieldToEventLoop.js'
import { loadDemoData } from '../../operations/seed/loadDemoData.js'
import { PermanentJobError } from '../permanentJobError.js'

// Not strict: `enqueueJob` may add a `uniqueKey` beside the fields this job reads.
const schema = z.object({
  customers: z.number().int().min(1).max(DEMO_LIMITS.customers),
  orders: z.number().int().min(0).max(DEMO_LIMITS.orders),
  seed: z.number().int().min(0),
})

/**
 * "Load demo data": customers and orders through the bulk layer, the demo segments and a finished
 * campaign (loadDemoData). Progress (0–100) is the whole load's; each report also renews the lock.
 * No retry: a failed load is started again by a person (it is idempotent for the same seed).
 */
export const loadDemoDataJob: CrmJobDefinition<'crm.loadDemoData'> = {
  concurrency: 1,
  handler: async ({ ctx, data, reportProgress }) => {
    const { payload } = ctx
    if (!payload) throw new PermanentJobError('no-payload', 'crm.loadDemoData needs a Payload instance in the job context')
    let last = -1
    await loadDemoData({
      ...data,
      // Smaller batches than the CLI's: the SQLite driver answers synchronously, so each batch holds
      // the server's event loop; 10,000 rows keep that under about a second.
      batchSize: 10_000,
      // Awaited between batches, when no write transaction is open: the server answers its requests
      // (the progress bar's polls) first, then the job store writes the progress to the same file.
      onProgress: async ({ percent }) => {
        await yieldToEventLoop()
        if (percent === last) return
        last = percent
        await reportProgress(Math.min(percent, 99))
      },
      payload,
    })
    await reportProgress(100)
  },
  lockLifetimeMs: 10 * 60_000,
  name: 'crm.loadDemoData',
  parse: (data) => {
    const result = schema.safeParse(data ?? {})
    if (!result.success) throw new PermanentJobError('invalid-data', result.error.issues.map((issue) => issue.message).join('; '))
    return result.data
  },
}
