import type { Agenda } from 'agenda'

import type { DatabaseSettings } from '../../src/env.js'
import type { JobRuntime, StartJobRuntimeOptions } from '../../src/jobs/runtime.js'
import type { TestDatabase } from './testDb.js'

import os from 'node:os'

import { parseDatabaseUrl } from '../../src/env.js'
import { startJobRuntime } from '../../src/jobs/runtime.js'

/** The app's database settings for a test database (SQLite: the `file:` prefix is stripped). */
export const databaseSettingsFor = (db: TestDatabase): DatabaseSettings => parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url })

/** Polls until `check` is true; fails with `what` after `timeoutMs` (a deadline, not a speed assertion). */
export const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** A runtime with test-friendly timings and no CRM definitions (each test defines its own jobs). */
export const startTestRuntime = ({
  agenda,
  database,
  define,
  workerName,
}: {
  agenda?: StartJobRuntimeOptions['agenda']
  database: DatabaseSettings
  define?: (agenda: Agenda) => void
  workerName: string
}): Promise<JobRuntime> =>
  startJobRuntime({
    // A short lock lifetime also keeps Agenda's per-job watchdog timer (lifetime / 2) from holding
    // jest open after the tests.
    agenda: { lockLifetimeMs: 5000, processEveryMs: 200, ...agenda },
    database,
    define,
    definitions: [],
    heartbeatIntervalMs: 1000,
    stopTimeoutMs: 10_000,
    workerName,
  })
