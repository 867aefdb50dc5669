import type { CrmJobDefinition } from '../jobTypes.js'

import { z } from 'zod'

import { recomputeCustomerAggregates } from '../../bulk/index.js'
import { PermanentJobError } from '../permanentJobError.js'

const CHUNK = 1000

// Not strict: `enqueueJob` may add a `uniqueKey` beside the fields this job reads.
const schema = z.object({ customerIds: z.array(z.union([z.number(), z.string()])).optional() })

/**
 * Re-derives customers' totalSpend / orderCount / lastOrderAt (the set-based statement in src/bulk).
 * Large id lists go in chunks so the job reports progress and renews its lock between statements.
 */
export const recomputeAggregatesJob: CrmJobDefinition<'crm.recomputeAggregates'> = {
  concurrency: 1,
  handler: async ({ ctx, data, reportProgress }) => {
    const { payload } = ctx
    if (!payload) throw new PermanentJobError('no-payload', 'crm.recomputeAggregates needs a Payload instance in the job context')
    if (!data.customerIds) {
      await recomputeCustomerAggregates({ payload })
      await reportProgress(100)
      return
    }
    const ids = data.customerIds
    for (let start = 0; start < ids.length; start += CHUNK) {
      await recomputeCustomerAggregates({ customerIds: ids.slice(start, start + CHUNK), payload })
      await reportProgress(Math.round((Math.min(ids.length, start + CHUNK) / ids.length) * 100))
    }
  },
  name: 'crm.recomputeAggregates',
  parse: (data) => {
    const result = schema.safeParse(data ?? {})
    if (!result.success) throw new PermanentJobError('invalid-data', result.error.issues.map((issue) => issue.message).join('; '))
    return result.data
  },
  retry: { attempts: 3, initialDelayMs: 5000, maxDelayMs: 60_000 },
}
