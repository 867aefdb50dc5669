import type { AgendaBackend, JobWithId } from 'agenda'
import type { Pool } from 'pg'

import type { DatabaseSettings } from '../env.js'
import type { MongoCollectionLike, QueueStore } from './queueStore.js'
import type { RefillChannel } from './refillChannel.js'

import { MongoBackend, MongoJobRepository } from '@agendajs/mongo-backend'
import {
  getCreateIndexesSQL,
  getCreateTableSQL,
  getUpdateTimestampTriggerSQL,
  PostgresNotificationChannel,
} from '@agendajs/postgres-backend'
import { Agenda, Job } from 'agenda'
import pg from 'pg'

import { withPgAdvisoryLock } from '../db/withPgAdvisoryLock.js'
import {
  createMongoQueueStore,
  createPostgresQueueStore,
  createSqliteQueueStore,
  postgresQueueStoreLastIndex,
  postgresQueueStoreSchemaSql,
  WORKERS_TABLE,
} from './queueStore.js'
import { FastClaimPostgresJobRepository } from './postgresClaim.js'
import { createRefillChannel } from './refillChannel.js'
import { SqliteBackend } from './sqlite-backend/index.js'

/** Tuning defaults, chosen with `npm run bench -- jobs` on a 2-core machine (see docs/jobs.md). */
export const JOBS_DEFAULTS = {
  /** Scan interval. New jobs wake workers through the notification channel; the scan only covers
   * future-scheduled jobs and re-claiming expired locks, so it can be relaxed. */
  processEveryMs: 1000,
  /** Jobs one worker may hold locked at once (running + waiting locally): keeps one worker from
   * draining a backlog that other workers could share, and bounds what a crash strands until expiry. */
  lockLimit: 50,
  /** Jobs of one name running at once in one worker. */
  defaultConcurrency: 10,
  /** Jobs running at once in one worker, all names. */
  maxConcurrency: 20,
  /** A lock older than this is considered abandoned; long jobs call `job.touch()` to renew it. */
  lockLifetimeMs: 10 * 60 * 1000,
  tableName: 'agenda_jobs',
} as const

export type CreateAgendaOptions = {
  database: DatabaseSettings
  /** This process's worker name: stored as `lastModifiedBy` on claims and used for heartbeats. */
  name: string
  /** @default JOBS_DEFAULTS.processEveryMs */
  processEveryMs?: number
  /** @default JOBS_DEFAULTS.lockLimit */
  lockLimit?: number
  /** @default JOBS_DEFAULTS.defaultConcurrency */
  defaultConcurrency?: number
  /** @default JOBS_DEFAULTS.maxConcurrency */
  maxConcurrency?: number
  /** @default JOBS_DEFAULTS.lockLifetimeMs */
  lockLifetimeMs?: number
  /**
   * Re-emit other processes' job events (start/success/fail…) here. Off by default: on PostgreSQL it
   * costs a NOTIFY per event and nothing in the CRM listens.
   * @default false
   */
  propagateStateEvents?: boolean
  sqlite?: {
    /** Jobs claimed per statement. Above 1, pre-claimed jobs sit locked outside Agenda's lock-limit
     * count (bounded by the batch size and released after 1 s). @default 1 */
    claimBatchSize?: number
    /** @default 25 */
    pollIntervalMs?: number
  }
  postgres?: {
    /** @default 10 */
    poolMax?: number
  }
}

type AgendaInternals = {
  channel: RefillChannel
  /** Resolves when the backend is connected (and the schema exists); rejects with the real error. */
  connected: Promise<void>
  /** Closes the backend's connections (Agenda's `drain()` leaves them open when told to). */
  disconnect: () => Promise<void>
  lockLifetimeMs: number
  store: QueueStore
}

// Keyed by Agenda instance so tests with several instances never share state.
const internals = new WeakMap<Agenda, AgendaInternals>()

export const getAgendaInternals = (agenda: Agenda): AgendaInternals => {
  const found = internals.get(agenda)
  if (!found) throw new Error('This Agenda was not created by createAgenda()')
  return found
}

/**
 * Agenda's constructor calls `backend.connect()` without handling a rejection, which would crash the
 * process on an unreachable database. This wrapper records the failure for `connected` instead (and
 * never resolves Agenda's own `ready`), and runs a schema step first.
 */
const guardBackend = ({
  backend,
  beforeConnect,
}: {
  backend: AgendaBackend
  beforeConnect?: () => Promise<void>
}): { backend: AgendaBackend; connected: Promise<void> } => {
  let markConnected: () => void = () => undefined
  let markFailed: (err: unknown) => void = () => undefined
  const connected = new Promise<void>((resolve, reject) => {
    markConnected = resolve
    markFailed = reject
  })
  // Observed here so a failure nobody awaits is not an unhandled rejection.
  connected.catch(() => undefined)
  const wrapped: AgendaBackend = {
    connect: async () => {
      try {
        await beforeConnect?.()
        await backend.connect()
        markConnected()
      } catch (err) {
        markFailed(err)
        // Keep Agenda's `ready` pending rather than rejecting into nowhere.
        await new Promise<never>(() => undefined)
      }
    },
    disconnect: () => backend.disconnect(),
    logger: backend.logger,
    name: backend.name,
    ownsConnection: backend.ownsConnection,
    get repository() {
      return backend.repository
    },
  }
  return { backend: wrapped, connected }
}

/**
 * Creates the jobs table, indexes and our side tables once, under an advisory lock: several workers
 * booting together would otherwise race on CREATE (duplicate pg_type rows, "tuple concurrently
 * updated" on the trigger function). Existing installs skip the DDL entirely, so a restart never
 * takes the ACCESS EXCLUSIVE lock that re-creating the trigger would need.
 */
export const ensurePostgresSchema = async ({ tableName, url }: { tableName: string; url: string }): Promise<void> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await withPgAdvisoryLock(client, `agenda-schema:${tableName}`, async () => {
      const { rows } = await client.query<{ ready: boolean }>(
        `SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AND to_regclass($3) IS NOT NULL AS ready`,
        [`"${tableName}"`, `"${WORKERS_TABLE}"`, `"${postgresQueueStoreLastIndex(tableName)}"`],
      )
      if (rows[0]?.ready) return
      await client.query(getCreateTableSQL(tableName))
      for (const sql of getCreateIndexesSQL(tableName)) await client.query(sql)
      await client.query(getUpdateTimestampTriggerSQL(tableName))
      for (const sql of postgresQueueStoreSchemaSql(tableName)) await client.query(sql)
    })
  } finally {
    await client.end()
  }
}

/**
 * A configured Agenda on the database the app uses: our SQLite backend on the Payload SQLite file,
 * `@agendajs/postgres-backend` (LISTEN/NOTIFY) on PostgreSQL, `@agendajs/mongo-backend` on MongoDB.
 * Returns synchronously; `startJobRuntime` waits for the connection.
 */
export const createAgenda = (options: CreateAgendaOptions): Agenda => {
  const { database, name } = options
  const tableName = JOBS_DEFAULTS.tableName
  const lockLifetimeMs = options.lockLifetimeMs ?? JOBS_DEFAULTS.lockLifetimeMs
  let guarded: { backend: AgendaBackend; connected: Promise<void> }
  let store: QueueStore
  let innerChannel: AgendaBackend['notificationChannel']

  if (database.kind === 'sqlite') {
    const sqlite = new SqliteBackend({
      claimBatchSize: options.sqlite?.claimBatchSize ?? 1,
      filePath: database.filePath,
      pollIntervalMs: options.sqlite?.pollIntervalMs ?? 25,
      tableName,
    })
    guarded = guardBackend({ backend: sqlite })
    innerChannel = sqlite.notificationChannel
    store = createSqliteQueueStore({ db: () => sqlite.database, jobsTable: tableName })
  } else if (database.kind === 'postgres') {
    // Composed like upstream's PostgresBackend (LISTEN/NOTIFY channel on the same pool), with our
    // faster claim query and schema creation moved under an advisory lock.
    const repository = new FastClaimPostgresJobRepository({
      ensureSchema: false,
      poolConfig: { connectionString: database.url, max: options.postgres?.poolMax ?? 10 },
      tableName,
    })
    // pg-pool re-emits errors of idle clients (server restart, admin kill) on the pool; unhandled, that
    // event would crash the worker. The next query reconnects, so noting it is enough.
    repository.getPool().on('error', () => undefined)
    const postgresChannel = new PostgresNotificationChannel({ channelName: tableName, reconnect: { enabled: true } })
    const postgres: AgendaBackend = {
      connect: async () => {
        await repository.connect()
        postgresChannel.setPool(repository.getPool())
      },
      disconnect: () => repository.disconnect(),
      name: 'PostgreSQL',
      notificationChannel: postgresChannel,
      ownsConnection: true,
      repository,
    }
    guarded = guardBackend({ backend: postgres, beforeConnect: () => ensurePostgresSchema({ tableName, url: database.url }) })
    innerChannel = postgresChannel
    store = createPostgresQueueStore({ jobsTable: tableName, pool: (): Pool => repository.getPool() })
  } else {
    const mongo = new MongoBackend({ address: database.url })
    guarded = guardBackend({ backend: mongo })
    innerChannel = mongo.notificationChannel
    const repository = mongo.repository
    if (!(repository instanceof MongoJobRepository)) throw new Error('Unexpected MongoDB repository type')
    store = createMongoQueueStore({
      jobs: () => repository.collection as unknown as MongoCollectionLike,
      workers: () => repository.getDb().collection(WORKERS_TABLE) as unknown as MongoCollectionLike,
    })
  }

  const channel = createRefillChannel({ inner: innerChannel, propagateStateEvents: options.propagateStateEvents })
  const agenda = new Agenda({
    backend: guarded.backend,
    defaultConcurrency: options.defaultConcurrency ?? JOBS_DEFAULTS.defaultConcurrency,
    defaultLockLifetime: lockLifetimeMs,
    lockLimit: options.lockLimit ?? JOBS_DEFAULTS.lockLimit,
    maxConcurrency: options.maxConcurrency ?? JOBS_DEFAULTS.maxConcurrency,
    name,
    notificationChannel: channel,
    processEvery: options.processEveryMs ?? JOBS_DEFAULTS.processEveryMs,
  })
  // A finished job frees a lock slot: claim the next one now instead of at the next scan.
  // (Remote events arrive as plain notifications, not Job instances, and are not ours to refill for.)
  agenda.on('complete', (job: JobWithId) => {
    if (job instanceof Job) channel.refill(job.attrs.name)
  })
  internals.set(agenda, {
    channel,
    connected: guarded.connected,
    disconnect: () => guarded.backend.disconnect(),
    lockLifetimeMs,
    store,
  })
  return agenda
}
