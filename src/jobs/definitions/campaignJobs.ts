import type { CrmJobDefinition } from '../jobTypes.js'

import { z } from 'zod'

import { runCampaignSend } from '../../campaigns/campaignActions.js'
import { dispatchCampaign } from '../../campaigns/dispatchCampaign.js'
import { readSendSettings } from '../../campaigns/sendSettings.js'
import { campaignVendorOf } from '../../campaigns/vendorLink.js'
import { readSendJobsPerWorker } from '../../env.js'
import { PermanentJobError } from '../permanentJobError.js'

// Not strict: `enqueueJob` may add a `uniqueKey` beside the fields these jobs read.
const schema = z.object({ campaignId: z.string().min(1) })

const parse = (data: unknown) => {
  const result = schema.safeParse(data ?? {})
  if (!result.success) throw new PermanentJobError('invalid-data', result.error.issues.map((issue) => issue.message).join('; '))
  return result.data
}

const settings = readSendSettings()

/** Starts a due scheduled campaign, snapshots its audience once, queues the dispatchers (see runCampaignSend). */
export const campaignSendJob: CrmJobDefinition<'crm.campaignSend'> = {
  handler: async ({ ctx, data, job }) => {
    if (!ctx.payload) throw new PermanentJobError('no-payload', 'crm.campaignSend needs a Payload instance in the job context')
    await runCampaignSend({ agenda: job.agenda, campaignId: data.campaignId, payload: ctx.payload })
  },
  name: 'crm.campaignSend',
  parse,
  retry: { attempts: 5, initialDelayMs: 2000, maxDelayMs: 60_000 },
}

/**
 * Sends a campaign's pending logs until none is left or the campaign leaves `sending`. Its lock is
 * renewed while it runs; a worker killed mid-run leaves its batch claims to lapse (CRM_SEND_LEASE_MS)
 * and its job to be taken over after the lock lifetime.
 */
export const campaignDispatchJob: CrmJobDefinition<'crm.campaignDispatch'> = {
  concurrency: readSendJobsPerWorker(),
  handler: async ({ ctx, data, reportProgress }) => {
    const { payload } = ctx
    if (!payload) throw new PermanentJobError('no-payload', 'crm.campaignDispatch needs a Payload instance in the job context')
    const vendor = campaignVendorOf(payload)
    // Temporary: retried with backoff (a worker started before its vendor was configured).
    if (!vendor.url) throw new Error('No vendor is configured: set VENDOR_URL (npm start starts the bundled simulator when it is unset)')
    await dispatchCampaign({ campaignId: data.campaignId, payload, settings: readSendSettings(), touch: reportProgress, vendorUrl: vendor.url, workerName: ctx.workerName })
  },
  lockLifetimeMs: Math.max(10_000, settings.leaseMs * 2),
  name: 'crm.campaignDispatch',
  parse,
  retry: { attempts: 5, initialDelayMs: 2000, maxDelayMs: 60_000 },
}
