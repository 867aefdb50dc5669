import type { Payload } from 'payload'

import os from 'node:os'

import type { DatabaseSettings } from '../env.js'
import type { SanitizedCrmOptions } from '../types.js'
import type { JobRuntime, StartJobRuntimeOptions } from './runtime.js'

import { databaseSettingsOf } from '../db/databaseSettingsOf.js'
import { CUSTOM_CONFIG_KEY } from '../defaults.js'
import { getQueueHealth } from './queueHealth.js'
import { setQueueHealthProvider } from './queueHealthRegistry.js'
import { startJobRuntime } from './runtime.js'

export type StartCrmJobRuntimeOptions = {
  /** Tuning passed to Agenda (lock limit, scan interval, …). */
  agenda?: StartJobRuntimeOptions['agenda']
  /** @default read from `payload.db` (see `databaseSettingsOf`) */
  database?: DatabaseSettings
  /** A booted Payload instance whose config includes `crmPlugin()`. */
  payload: Payload
  /** Default for `stop()`. @default 30000 */
  stopTimeoutMs?: number
  /** Distinct per process when several workers share a database. @default `<host>-<pid>` */
  workerName?: string
}

/**
 * Starts the CRM's job worker in the caller's process, for a host app without the Mini CRM server:
 * from Next's `instrumentation.ts`, a `payload run` script or any long-lived Node process. Jobs run
 * on the host's own database (the Agenda tables are created on first start), and `/api/health`
 * reports the queue. Resolves to `null` when the plugin is configured with `disabled: true`.
 * Call `stop()` on shutdown (SIGTERM) so running jobs finish and claimed ones are released.
 */
export const startCrmJobRuntime = async ({
  agenda,
  database,
  payload,
  stopTimeoutMs,
  workerName = `${os.hostname()}-${process.pid}`,
}: StartCrmJobRuntimeOptions): Promise<JobRuntime | null> => {
  const options = payload.config.custom?.[CUSTOM_CONFIG_KEY] as SanitizedCrmOptions | undefined
  if (!options) throw new Error('startCrmJobRuntime: this Payload config does not use crmPlugin()')
  if (options.disabled) return null

  const runtime = await startJobRuntime({ agenda, database: database ?? databaseSettingsOf(payload), payload, stopTimeoutMs, workerName })
  setQueueHealthProvider(payload, () => getQueueHealth(runtime.agenda))
  return {
    agenda: runtime.agenda,
    stop: async (stopOptions) => {
      setQueueHealthProvider(payload, null)
      return runtime.stop(stopOptions)
    },
  }
}
