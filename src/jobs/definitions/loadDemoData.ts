import type { CrmJobDefinition } from '../jobTypes.js'

import { z } from 'zod'

import { DEMO_LIMITS } from '../../domain/seed/demoCatalogue.js'
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
    let pending: Promise<void> = Promise.resolve()
    await loadDemoData({
      ...data,
      onProgress: ({ percent }) => {
        if (percent === last) return
        last = percent
        // Reports are chained so they reach the store in order; the load does not wait for them.
        pending = pending.then(() => reportProgress(Math.min(percent, 99))).catch(() => undefined)
      },
      payload,
    })
    await pending
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
