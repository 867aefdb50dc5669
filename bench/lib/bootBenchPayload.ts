import type { Payload, SanitizedConfig } from 'payload'

import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { getPayload } from 'payload'

import { closeBulkConnections } from '../../src/bulk/index.js'
import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { createScratchDatabase } from '../../scripts/lib/scratchDatabase.js'

export type BenchPayload = {
  config: Promise<SanitizedConfig>
  /** Closes Payload (if booted) and drops the database. */
  cleanup: () => Promise<void>
  key: string
  payload: Payload
  url: string
}

let counter = 0

/** A Payload config on `url` whose logs go to stderr at error level (stdout is for JSON results). */
export const benchConfig = (url: string): Promise<SanitizedConfig> =>
  buildCrmConfig({
    env: {
      database: parseDatabaseUrl({ dataDir: os.tmpdir(), url }),
      publicUrl: 'http://localhost:3000',
      secret: randomBytes(24).toString('hex'),
    },
    extra: {
      debug: false,
      // 'error': Payload's boot warning about the console email adapter otherwise lands on stdout.
      logger: { destination: process.stderr, options: { level: 'error' } },
      loggingLevels: { Forbidden: false, NotFound: false, ValidationError: false },
    },
  })

/**
 * A fresh, migrated database with Payload booted on it (as `npm start` would), for one benchmark
 * case. `boot: false` returns after migrating with Payload closed again (for bare-driver ceilings).
 */
export const bootBenchPayload = async ({
  kind,
  label,
  postgresUrl,
}: {
  kind: 'postgres' | 'sqlite'
  label: string
  postgresUrl: string
}): Promise<BenchPayload> => {
  const db = await createScratchDatabase({ adminUrl: postgresUrl, kind, label: `bench_${label}` })
  const config = benchConfig(db.url)
  const key = `bench-${label}-${++counter}`
  const payload = await getPayload({ config, key })
  return {
    cleanup: async () => {
      await closeBenchPayload(payload)
      await db.cleanup()
    },
    config,
    key,
    payload,
    url: db.url,
  }
}

/**
 * Closes Payload and its PostgreSQL pool. `pool.end()` can wait forever on a client `destroy()`
 * left checked out (RECIPES.md), so it gets two seconds; clients are not force-released, since a
 * background poller's in-flight query would then release twice and crash the process.
 */
export const closeBenchPayload = async (payload: Payload): Promise<void> => {
  const pool = (payload.db as { pool?: { end: () => Promise<void>; ended?: boolean } }).pool
  try {
    await payload.destroy()
  } catch {
    // already closed
  }
  closeBulkConnections(payload)
  if (pool && !pool.ended) {
    await Promise.race([pool.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000).unref())])
  }
}
