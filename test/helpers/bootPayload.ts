import type { Payload } from 'payload'

import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { getPayload, handleEndpoints } from 'payload'

import type { CrmPluginOptions } from '../../src/types.js'

import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { closePayload } from '../../scripts/lib/closePayload.js'
import { createTestDatabase } from './testDb.js'

export { closePayload } from '../../scripts/lib/closePayload.js'

export type TestPayload = {
  cleanup: () => Promise<void>
  payload: Payload
  /** Runs a request through Payload's REST layer in-process (`path` starts with /api). */
  request: (path: string, init?: RequestInit) => Promise<Response>
  url: string
}

/**
 * Boots Payload once for a test file on a fresh database of the project's kind (SQLite or
 * PostgreSQL), applying the committed migrations exactly as `npm start` does. `plugin` sets CRM
 * plugin options (e.g. `storeTimezone`).
 */
export const bootTestPayload = async (
  label: string,
  { asDefault = false, plugin }: { asDefault?: boolean; plugin?: CrmPluginOptions } = {},
): Promise<TestPayload & { config: ReturnType<typeof buildCrmConfig> }> => {
  const db = await createTestDatabase(label)
  const config = buildCrmConfig({
    env: {
      database: parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url }),
      publicUrl: 'http://localhost:3000',
      secret: randomBytes(24).toString('hex'),
    },
    extra: {
      debug: false,
      logger: { options: { level: process.env.TEST_LOG_LEVEL || 'warn' } },
      loggingLevels: { Forbidden: false, NotFound: false, ValidationError: false },
    },
    plugin,
  })
  // `asDefault`: cache the instance under Payload's default key, which handlers that take no key
  // (Next's GRAPHQL_POST) look up, so they reuse this instance instead of starting a second one.
  const key = asDefault ? 'default' : `test-${label}`
  const payload = await getPayload({ config, key })
  const request = (path: string, init?: RequestInit) =>
    handleEndpoints({ config, payloadInstanceCacheKey: key, request: new Request(`http://localhost:3000${path}`, init) })
  return {
    cleanup: async () => {
      await closePayload(payload)
      await db.cleanup()
    },
    config,
    payload,
    request,
    url: db.url,
  }
}
