import type { Agenda, BackoffContext, Job } from 'agenda'

import type { CrmJobDefinition, JobContext, JobName, JobPayloads } from './jobTypes.js'

import { campaignDispatchJob, campaignSendJob } from './definitions/campaignJobs.js'
import { loadDemoDataJob } from './definitions/loadDemoData.js'
import { importRunJob, ingestBatchJob } from './definitions/ingestJobs.js'
import { purgeFinishedJobsJob } from './definitions/purgeFinishedJobs.js'
import { recomputeAggregatesJob } from './definitions/recomputeAggregates.js'
import { PermanentJobError } from './permanentJobError.js'

/** Any one of the typed definitions (a union, so each keeps its own name ↔ data pairing). */
export type AnyCrmJobDefinition = { [K in JobName]: CrmJobDefinition<K> }[JobName]

/** Every CRM job this app runs. */
export const crmJobDefinitions: readonly AnyCrmJobDefinition[] = [
  campaignDispatchJob,
  campaignSendJob,
  loadDemoDataJob,
  importRunJob,
  ingestBatchJob,
  purgeFinishedJobsJob,
  recomputeAggregatesJob,
]

/** Exponential backoff that gives up after `attempts` retries and never retries a permanent error. */
export const retryBackoff =
  (retry: NonNullable<CrmJobDefinition['retry']>) =>
  (context: BackoffContext): null | number => {
    if (context.error instanceof PermanentJobError) return null
    if (context.attempt > retry.attempts) return null
    const delay = retry.initialDelayMs * 2 ** (context.attempt - 1)
    return Math.min(delay, retry.maxDelayMs ?? Number.POSITIVE_INFINITY)
  }

const registerJob = <TName extends JobName>(agenda: Agenda, ctx: JobContext, definition: CrmJobDefinition<TName>): void => {
  agenda.define(
    definition.name,
    async (job: Job<JobPayloads[TName]>) => {
      const data = definition.parse(job.attrs.data)
      await definition.handler({
        ctx,
        data,
        job,
        reportProgress: (percent) => job.touch(Math.max(0, Math.min(100, Math.round(percent)))),
      })
    },
    {
      backoff: definition.retry ? retryBackoff(definition.retry) : undefined,
      concurrency: definition.concurrency,
      lockLifetime: definition.lockLifetimeMs,
      priority: definition.priority,
    },
  )
}

/** Registers the typed definitions on an Agenda, each handler receiving the shared context. */
export const defineJobs = ({
  agenda,
  ctx,
  definitions = crmJobDefinitions,
}: {
  agenda: Agenda
  ctx: JobContext
  definitions?: readonly AnyCrmJobDefinition[]
}): void => {
  for (const definition of definitions) registerJob(agenda, ctx, definition as CrmJobDefinition<JobName>)
}

/**
 * Queues a CRM job with its data type-checked against `JobPayloads`. `uniqueKey` makes the enqueue
 * idempotent (an existing job with the same key is kept, not duplicated).
 */
export const enqueueJob = async <TName extends JobName>({
  agenda,
  data,
  name,
  runAt,
  uniqueKey,
}: {
  agenda: Agenda
  data: JobPayloads[TName]
  name: TName
  runAt?: Date
  uniqueKey?: string
}): Promise<Job<JobPayloads[TName]>> => {
  const job = agenda.create(name, uniqueKey ? { ...data, uniqueKey } : data)
  job.schedule(runAt ?? new Date())
  if (uniqueKey) job.unique({ 'data.uniqueKey': uniqueKey }, { insertOnly: true })
  await job.save()
  return job
}
