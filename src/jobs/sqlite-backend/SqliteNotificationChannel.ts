import type { Database } from 'better-sqlite3'
import type { JobNotification } from 'agenda'

import { BaseNotificationChannel, toJobId } from 'agenda'

export type SqliteNotificationChannelOptions = {
  /** Opens the channel's own read connection (kept apart so polling never waits behind a write). */
  open: () => Database
  tableName: string
  /**
   * How often to look for jobs inserted by any connection, in ms. `PRAGMA data_version` makes an idle
   * poll nearly free (it reads the shared-memory header, no query plan, no disk). 0 turns cross-process
   * wake-ups off; jobs saved in this process still wake it at once.
   * @default 25
   */
  pollIntervalMs: number
}

type NewRow = { id: string; name: string; next_run_at: number | null; priority: number; rowid: number }

/**
 * SQLite has no LISTEN/NOTIFY. This channel gives Agenda the same "a new job wakes the workers"
 * behaviour two ways: jobs saved in this process notify at once (no I/O), and a poller notices rows
 * that any process inserted since the last look, using the table's rowid as a cursor. The poller only
 * queries when `PRAGMA data_version` says another connection committed.
 */
export class SqliteNotificationChannel extends BaseNotificationChannel {
  private readonly options: SqliteNotificationChannelOptions
  private db: Database | undefined
  private timer: NodeJS.Timeout | undefined
  private lastRowid = 0
  private lastDataVersion = -1
  /** Local publishes coalesced per job name into one wake-up per event-loop turn. */
  private readonly pending = new Map<string, JobNotification>()
  private flushScheduled = false

  constructor(options: SqliteNotificationChannelOptions) {
    super({ channelName: options.tableName, reconnect: { enabled: false } })
    this.options = options
  }

  async connect(): Promise<void> {
    this.setState('connecting')
    if (this.options.pollIntervalMs > 0) {
      const db = this.options.open()
      this.db = db
      const row = db.prepare(`SELECT COALESCE(MAX(rowid), 0) AS max FROM "${this.options.tableName}"`).get() as { max: number }
      this.lastRowid = row.max
      this.lastDataVersion = this.dataVersion()
      this.timer = setInterval(() => this.poll(), this.options.pollIntervalMs)
      // A poller must never keep a process alive on its own.
      this.timer.unref()
    }
    this.setState('connected')
  }

  async disconnect(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.db?.close()
    this.db = undefined
    this.pending.clear()
    this.handlers.clear()
    this.stateHandlers.clear()
    this.setState('disconnected')
  }

  async publish(notification: JobNotification): Promise<void> {
    const existing = this.pending.get(notification.jobName)
    if (!existing || (notification.nextRunAt && (!existing.nextRunAt || notification.nextRunAt < existing.nextRunAt))) {
      this.pending.set(notification.jobName, notification)
    }
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => {
      this.flushScheduled = false
      const batch = [...this.pending.values()]
      this.pending.clear()
      for (const item of batch) this.notifyHandlers(item).catch((err: unknown) => this.reportError(err))
    })
  }

  private dataVersion(): number {
    return this.db ? Number(this.db.pragma('data_version', { simple: true })) : -1
  }

  private poll(): void {
    const db = this.db
    if (!db || this.handlers.size === 0) return
    try {
      const version = this.dataVersion()
      if (version === this.lastDataVersion) return
      this.lastDataVersion = version
      const rows = db
        .prepare(
          `SELECT rowid, id, name, next_run_at, priority FROM "${this.options.tableName}" WHERE rowid > ? ORDER BY rowid LIMIT 10000`,
        )
        .all(this.lastRowid) as NewRow[]
      if (rows.length === 0) return
      this.lastRowid = rows[rows.length - 1]?.rowid ?? this.lastRowid
      // One wake-up per job name with its earliest run time: Agenda's fill loop then claims as many as
      // its lock limit allows, so a burst of 1,000 inserts costs one notification, not 1,000.
      const earliest = new Map<string, NewRow>()
      for (const row of rows) {
        const seen = earliest.get(row.name)
        if (!seen || (row.next_run_at ?? Infinity) < (seen.next_run_at ?? Infinity)) earliest.set(row.name, row)
      }
      for (const row of earliest.values()) {
        this.notifyHandlers({
          jobId: toJobId(row.id),
          jobName: row.name,
          nextRunAt: row.next_run_at === null ? null : new Date(row.next_run_at),
          priority: row.priority,
          timestamp: new Date(),
        }).catch((err: unknown) => this.reportError(err))
      }
    } catch (err) {
      // A busy or locked database only delays the wake-up until the next poll or Agenda's own scan.
      this.reportError(err)
    }
  }

  /** An 'error' event with no listener would throw and crash the process from a timer. */
  private reportError(err: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', err instanceof Error ? err : new Error(String(err)))
  }
}
