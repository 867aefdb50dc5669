import type { Job } from 'agenda'
import type { Payload } from 'payload'

/**
 * Every CRM job name and the data it carries. Adding a job = one entry here + one file in
 * `definitions/` + one line in `defineJobs.ts`; `enqueueJob` and handlers are then type-checked
 * against this map. Data holds ids and options only: handlers reload records (they may have changed).
 */
export type JobPayloads = {
  /** Sends a campaign's pending logs (several run at once, sharing the work by claiming batches). */
  'crm.campaignDispatch': { campaignId: string }
  /** Starts a due scheduled campaign, takes its audience snapshot once, then queues the dispatchers. */
  'crm.campaignSend': { campaignId: string }
  /** Fills the CRM with demo customers, orders, segments and a finished campaign (the dashboard's "Load demo data"). */
  'crm.loadDemoData': { customers: number; orders: number; seed: number }
  /** Persists one JSON ingest batch's staged records through the bulk layer (ingest-batches row id). */
  'crm.ingestBatch': { batchId: string }
  /** Runs one asynchronous CSV import from its staged upload (imports row id). */
  'crm.importRun': { importId: string }
  'crm.purgeFinishedJobs': {
    /** Finished jobs whose last run ended longer ago than this are deleted. */
    retentionDays: number
  }
  'crm.recomputeAggregates': {
    /** Customers to recompute; omitted = all customers. */
    customerIds?: (number | string)[]
  }
}

export type JobName = keyof JobPayloads

/** What a handler may use besides its data. `payload` is absent in tests and tools that run without Payload. */
export type JobContext = {
  payload?: Payload
  workerName: string
}

export type JobHandlerArgs<TName extends JobName> = {
  ctx: JobContext
  data: JobPayloads[TName]
  job: Job<JobPayloads[TName]>
  /**
   * Records progress (0–100) for the admin and renews the job's lock. Long jobs must call it at least
   * once per lock lifetime, or another worker will take the job over.
   */
  reportProgress: (percent: number) => Promise<void>
}

export type CrmJobDefinition<TName extends JobName = JobName> = {
  name: TName
  /** Validates stored data (it may predate a deploy); throw `PermanentJobError` to refuse it. */
  parse: (data: unknown) => JobPayloads[TName]
  handler: (args: JobHandlerArgs<TName>) => Promise<void>
  /** Retries after a (non-permanent) failure; omitted = no retry. */
  retry?: { attempts: number; initialDelayMs: number; maxDelayMs?: number }
  concurrency?: number
  lockLifetimeMs?: number
  priority?: 'highest' | 'high' | 'normal' | 'low' | 'lowest'
}
