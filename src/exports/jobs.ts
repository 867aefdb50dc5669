/**
 * `mini-crm/jobs`: the CRM job worker for a host app's own process (Next instrumentation, a worker
 * script). Separate from `mini-crm` so a Payload config never pulls in the job runtime.
 */
export { enqueueJob } from '../jobs/defineJobs.js'
export type { JobName, JobPayloads } from '../jobs/jobTypes.js'
export type { JobRuntime } from '../jobs/runtime.js'
export { startCrmJobRuntime } from '../jobs/startCrmJobRuntime.js'
export type { StartCrmJobRuntimeOptions } from '../jobs/startCrmJobRuntime.js'
