import type { Database as SqliteDatabase } from 'better-sqlite3'
import type { AgendaBackend, JobRepository, NotificationChannel } from 'agenda'

import Database from 'better-sqlite3'

import { assertSafeIdentifier } from './schema.js'
import { SqliteJobRepository } from './SqliteJobRepository.js'
import { SqliteNotificationChannel } from './SqliteNotificationChannel.js'

export type SqliteBackendOptions = {
  /** Path of the database file (no `file:` prefix). The file may be shared with other SQLite users. */
  filePath: string
  /** @default 'agenda_jobs' */
  tableName?: string
  /** Create the table and indexes on connect (serialised across processes). @default true */
  ensureSchema?: boolean
  /** How long a statement waits for another process's write lock before failing, in ms. @default 10000 */
  busyTimeoutMs?: number
  /**
   * Wake-ups for new jobs: `poll` (default) notices inserts from any process every
   * `pollIntervalMs`; `local` only wakes on jobs saved in this process; `off` leaves Agenda to its
   * `processEvery` scan.
   * @default 'poll'
   */
  notifications?: 'local' | 'off' | 'poll'
  /** @default 25 */
  pollIntervalMs?: number
  /** Jobs claimed per claim statement; extras are handed out on Agenda's next calls. @default 1 */
  claimBatchSize?: number
  /** @default 1000 */
  claimBufferMaxAgeMs?: number
}

/** WAL lets readers run beside one writer across processes; NORMAL sync is durable at checkpoints in WAL. */
export const openSqliteDatabase = (filePath: string, busyTimeoutMs: number): SqliteDatabase => {
  const db = new Database(filePath, { timeout: busyTimeoutMs })
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  return db
}

/**
 * Agenda backend on a SQLite file through better-sqlite3: storage plus an optional notification
 * channel. Safe for several processes on one file (WAL, busy timeout, atomic claims).
 */
export class SqliteBackend implements AgendaBackend {
  readonly name = 'SQLite'
  readonly ownsConnection = true
  private readonly options: Required<SqliteBackendOptions>
  private db: SqliteDatabase | undefined
  private repo: SqliteJobRepository | undefined
  private readonly channel: SqliteNotificationChannel | undefined

  constructor(options: SqliteBackendOptions) {
    this.options = {
      busyTimeoutMs: 10_000,
      claimBatchSize: 1,
      claimBufferMaxAgeMs: 1000,
      ensureSchema: true,
      notifications: 'poll',
      pollIntervalMs: 25,
      tableName: 'agenda_jobs',
      ...options,
    }
    assertSafeIdentifier(this.options.tableName)
    if (this.options.notifications !== 'off') {
      this.channel = new SqliteNotificationChannel({
        open: () => openSqliteDatabase(this.options.filePath, this.options.busyTimeoutMs),
        pollIntervalMs: this.options.notifications === 'poll' ? this.options.pollIntervalMs : 0,
        tableName: this.options.tableName,
      })
    }
  }

  /** Agenda reads this before `connect()`, so the repository is created lazily on first access. */
  get repository(): JobRepository {
    return this.ensureRepository()
  }

  get notificationChannel(): NotificationChannel | undefined {
    return this.channel
  }

  /** The backend's own connection, for callers that keep small side tables in the same file. */
  get database(): SqliteDatabase {
    return this.ensureRepository() && (this.db as SqliteDatabase)
  }

  private ensureRepository(): SqliteJobRepository {
    if (this.repo && this.db?.open) return this.repo
    this.db = openSqliteDatabase(this.options.filePath, this.options.busyTimeoutMs)
    if (this.repo) {
      // Agenda keeps the repository object it read at construction, so reconnects reuse it.
      this.repo.setDatabase(this.db)
    } else {
      this.repo = new SqliteJobRepository({
        claimBatchSize: Math.max(1, Math.floor(this.options.claimBatchSize)),
        claimBufferMaxAgeMs: this.options.claimBufferMaxAgeMs,
        db: this.db,
        ensureSchema: this.options.ensureSchema,
        tableName: this.options.tableName,
      })
    }
    return this.repo
  }

  async connect(): Promise<void> {
    await this.ensureRepository().connect()
  }

  async disconnect(): Promise<void> {
    if (this.repo && this.db?.open) {
      this.repo.releaseBufferedClaims()
      this.db.close()
    }
    this.db = undefined
  }
}
