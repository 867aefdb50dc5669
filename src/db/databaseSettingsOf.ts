import type { Payload } from 'payload'

import os from 'node:os'

import type { DatabaseSettings } from '../env.js'

import { parseDatabaseUrl } from '../env.js'

type AdapterConfigSlice = {
  clientConfig?: { url?: string }
  name?: string
  poolOptions?: { connectionString?: string }
  url?: string
}

/**
 * The database a booted Payload instance uses, in the form the job runtime takes: read from the
 * adapter's own settings (`client.url` for SQLite, `pool.connectionString` for PostgreSQL, `url`
 * for MongoDB), so a host app's worker needs no second copy of its database URL.
 */
export const databaseSettingsOf = (payload: Payload): DatabaseSettings => {
  const db = payload.db as unknown as AdapterConfigSlice
  const url = db.name === 'sqlite' ? db.clientConfig?.url : db.name === 'postgres' ? db.poolOptions?.connectionString : db.url
  if (!url || (db.name === 'sqlite' && !url.startsWith('file:'))) {
    throw new Error(
      `The Mini CRM job runtime needs the database as a URL: give the ${db.name ?? 'database'} adapter ` +
        (db.name === 'sqlite' ? '`client: { url: "file:…" }`' : db.name === 'postgres' ? '`pool: { connectionString }`' : '`url`') +
        ', or pass `database` to startCrmJobRuntime.',
    )
  }
  return parseDatabaseUrl({ dataDir: os.tmpdir(), url })
}
