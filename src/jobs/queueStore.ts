import type { Database as SqliteDatabase } from 'better-sqlite3'
import type { Pool } from 'pg'

/** Counts of jobs by what an operator cares about; each comes from an index, never a full load. */
export type QueueCounts = {
  /** Enabled, unlocked jobs whose run time has come. */
  due: number
  /** Last run failed (and has not succeeded since). */
  failed: number
  /** Claimed by some worker (running or waiting in its local queue). */
  locked: number
  /** Claimed, and started since the last finish: actually executing. */
  running: number
  /** Locks older than the lock lifetime: their worker probably died; they will be re-claimed. */
  stale: number
}

export type WorkerInfo = { host: string; name: string; pid: number; startedAt: Date }

/** Where a runtime keeps its heartbeat and where health reads the queue counts. One per Agenda. */
export type QueueStore = {
  /** Records that `worker` is alive now (upsert, one row per worker name). */
  heartbeat: (worker: WorkerInfo) => Promise<void>
  /** Forgets a worker on graceful stop, so health drops it at once instead of after the stale window. */
  removeWorker: (name: string) => Promise<void>
  /** Names of workers seen within `sinceMs`. */
  liveWorkers: (sinceMs: number) => Promise<string[]>
  counts: (args: { lockLifetimeMs: number }) => Promise<QueueCounts>
  /**
   * Deletes up to `limit` finished jobs (nothing left to run: not repeating, not locked, no next run)
   * whose last run ended before `before`; returns how many it deleted. Called in batches so no single
   * statement holds the table for long.
   */
  purgeFinished: (args: { before: Date; limit: number }) => Promise<number>
}

export const WORKERS_TABLE = 'agenda_workers'

const toCounts = (row: Record<string, unknown> | undefined): QueueCounts => {
  const n = (key: string): number => Number(row?.[key] ?? 0) || 0
  return { due: n('due'), failed: n('failed'), locked: n('locked'), running: n('running'), stale: n('stale') }
}

/**
 * The counts as separate scalar subqueries (`NOT disabled` reads both SQLite's 0/1 and PostgreSQL's boolean) so each can use its own partial index (an aggregate over
 * one table scan would read every completed job ever kept).
 */
const countsSql = (table: string, p: (name: 'deadline' | 'now') => string): string => `SELECT
  (SELECT COUNT(*) FROM "${table}" WHERE next_run_at IS NOT NULL AND next_run_at <= ${p('now')} AND locked_at IS NULL AND NOT disabled) AS due,
  (SELECT COUNT(*) FROM "${table}" WHERE locked_at IS NOT NULL) AS locked,
  (SELECT COUNT(*) FROM "${table}" WHERE locked_at IS NOT NULL AND last_run_at IS NOT NULL
     AND (last_finished_at IS NULL OR last_run_at > last_finished_at) AND locked_at > ${p('deadline')}) AS running,
  (SELECT COUNT(*) FROM "${table}" WHERE locked_at IS NOT NULL AND locked_at <= ${p('deadline')}) AS stale,
  (SELECT COUNT(*) FROM "${table}" WHERE failed_at IS NOT NULL AND locked_at IS NULL
     AND (last_finished_at IS NULL OR failed_at >= last_finished_at)) AS failed`

/** Finished = nothing left to run. Matches `${table}_finished_idx`. */
const FINISHED_SQL = 'next_run_at IS NULL AND locked_at IS NULL AND repeat_interval IS NULL AND last_finished_at IS NOT NULL'

/** Our index for the purge (partial, so it only holds finished jobs). */
const finishedIndexSql = (jobsTable: string): string =>
  `CREATE INDEX IF NOT EXISTS "${jobsTable}_finished_idx" ON "${jobsTable}" (last_finished_at) WHERE ${FINISHED_SQL}`

export const createSqliteQueueStore = ({ db, jobsTable }: { db: () => SqliteDatabase; jobsTable: string }): QueueStore => {
  let ensured = false
  const ensure = (): SqliteDatabase => {
    const conn = db()
    if (!ensured) {
      conn
        .transaction(() => {
          conn.exec(`CREATE TABLE IF NOT EXISTS "${WORKERS_TABLE}" (
            name TEXT PRIMARY KEY NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL,
            started_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL)`)
          conn.exec(`CREATE INDEX IF NOT EXISTS "${jobsTable}_failed_idx" ON "${jobsTable}" (failed_at) WHERE failed_at IS NOT NULL`)
          conn.exec(finishedIndexSql(jobsTable))
        })
        .immediate()
      ensured = true
    }
    return conn
  }
  return {
    counts: async ({ lockLifetimeMs }) => {
      const now = Date.now()
      const row = ensure()
        .prepare(countsSql(jobsTable, (name) => `@${name}`))
        .get({ deadline: now - lockLifetimeMs, now }) as Record<string, unknown> | undefined
      return toCounts(row)
    },
    heartbeat: async (worker) => {
      ensure()
        .prepare(
          `INSERT INTO "${WORKERS_TABLE}" (name, host, pid, started_at, last_seen_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid, started_at = excluded.started_at,
             last_seen_at = excluded.last_seen_at`,
        )
        .run(worker.name, worker.host, worker.pid, worker.startedAt.getTime(), Date.now())
    },
    liveWorkers: async (sinceMs) => {
      const rows = ensure()
        .prepare(`SELECT name FROM "${WORKERS_TABLE}" WHERE last_seen_at >= ? ORDER BY name`)
        .all(Date.now() - sinceMs) as { name: string }[]
      return rows.map((row) => row.name)
    },
    purgeFinished: async ({ before, limit }) =>
      ensure()
        .prepare(
          `DELETE FROM "${jobsTable}" WHERE rowid IN (
             SELECT rowid FROM "${jobsTable}" WHERE ${FINISHED_SQL} AND last_finished_at < ? ORDER BY last_finished_at LIMIT ?)`,
        )
        .run(before.getTime(), limit).changes,
    removeWorker: async (name) => {
      ensure().prepare(`DELETE FROM "${WORKERS_TABLE}" WHERE name = ?`).run(name)
    },
  }
}

/** Side tables and our extra index, created by the caller under the same advisory lock as the jobs table. */
export const postgresQueueStoreSchemaSql = (jobsTable: string): string[] => [
  `CREATE TABLE IF NOT EXISTS "${WORKERS_TABLE}" (
     name TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL,
     started_at TIMESTAMPTZ NOT NULL, last_seen_at TIMESTAMPTZ NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS "${jobsTable}_failed_idx" ON "${jobsTable}" (failed_at) WHERE failed_at IS NOT NULL`,
  finishedIndexSql(jobsTable),
]

/** The last object `postgresQueueStoreSchemaSql` creates: its presence means the schema is complete. */
export const postgresQueueStoreLastIndex = (jobsTable: string): string => `${jobsTable}_finished_idx`

export const createPostgresQueueStore = ({ jobsTable, pool }: { jobsTable: string; pool: () => Pool }): QueueStore => ({
  counts: async ({ lockLifetimeMs }) => {
    const now = new Date()
    const { rows } = await pool().query<Record<string, unknown>>(
      countsSql(jobsTable, (name) => (name === 'now' ? '$1' : '$2')),
      [now, new Date(now.getTime() - lockLifetimeMs)],
    )
    return toCounts(rows[0])
  },
  heartbeat: async (worker) => {
    await pool().query(
      `INSERT INTO "${WORKERS_TABLE}" (name, host, pid, started_at, last_seen_at) VALUES ($1, $2, $3, $4, NOW())
       ON CONFLICT (name) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, started_at = EXCLUDED.started_at,
         last_seen_at = EXCLUDED.last_seen_at`,
      [worker.name, worker.host, worker.pid, worker.startedAt],
    )
  },
  liveWorkers: async (sinceMs) => {
    const { rows } = await pool().query<{ name: string }>(
      `SELECT name FROM "${WORKERS_TABLE}" WHERE last_seen_at >= NOW() - make_interval(secs => $1) ORDER BY name`,
      [sinceMs / 1000],
    )
    return rows.map((row) => row.name)
  },
  purgeFinished: async ({ before, limit }) => {
    const { rowCount } = await pool().query(
      `DELETE FROM "${jobsTable}" WHERE id IN (
         SELECT id FROM "${jobsTable}" WHERE ${FINISHED_SQL} AND last_finished_at < $1 ORDER BY last_finished_at LIMIT $2)`,
      [before, limit],
    )
    return rowCount ?? 0
  },
  removeWorker: async (name) => {
    await pool().query(`DELETE FROM "${WORKERS_TABLE}" WHERE name = $1`, [name])
  },
})

/** The minimal slice of a MongoDB collection we use, so this module needs no `mongodb` types. */
export type MongoCollectionLike = {
  countDocuments: (filter: Record<string, unknown>) => Promise<number>
  deleteMany: (filter: Record<string, unknown>) => Promise<{ deletedCount?: number }>
  deleteOne: (filter: Record<string, unknown>) => Promise<unknown>
  find: (
    filter: Record<string, unknown>,
    options?: { limit?: number; projection?: Record<string, 0 | 1>; sort?: Record<string, 1 | -1> },
  ) => { toArray: () => Promise<Record<string, unknown>[]> }
  updateOne: (filter: Record<string, unknown>, update: Record<string, unknown>, options: { upsert: boolean }) => Promise<unknown>
}

/** Wired but untested here (no MongoDB server on this machine). */
export const createMongoQueueStore = ({
  jobs,
  workers,
}: {
  jobs: () => MongoCollectionLike
  workers: () => MongoCollectionLike
}): QueueStore => ({
  counts: async ({ lockLifetimeMs }) => {
    const now = new Date()
    const deadline = new Date(now.getTime() - lockLifetimeMs)
    const [due, locked, running, stale, failed] = await Promise.all([
      jobs().countDocuments({ disabled: { $ne: true }, lockedAt: null, nextRunAt: { $lte: now } }),
      jobs().countDocuments({ lockedAt: { $ne: null } }),
      jobs().countDocuments({
        $expr: { $or: [{ $eq: [{ $ifNull: ['$lastFinishedAt', null] }, null] }, { $gt: ['$lastRunAt', '$lastFinishedAt'] }] },
        lastRunAt: { $ne: null },
        lockedAt: { $gt: deadline },
      }),
      jobs().countDocuments({ lockedAt: { $lte: deadline } }),
      jobs().countDocuments({
        $expr: { $or: [{ $eq: [{ $ifNull: ['$lastFinishedAt', null] }, null] }, { $gte: ['$failedAt', '$lastFinishedAt'] }] },
        failedAt: { $ne: null },
        lockedAt: null,
      }),
    ])
    return { due, failed, locked, running, stale }
  },
  heartbeat: async (worker) => {
    await workers().updateOne(
      { _id: worker.name },
      { $set: { host: worker.host, lastSeenAt: new Date(), pid: worker.pid, startedAt: worker.startedAt } },
      { upsert: true },
    )
  },
  liveWorkers: async (sinceMs) => {
    const docs = await workers()
      .find({ lastSeenAt: { $gte: new Date(Date.now() - sinceMs) } })
      .toArray()
    return docs.map((doc) => String(doc._id)).sort()
  },
  purgeFinished: async ({ before, limit }) => {
    const finished = { lastFinishedAt: { $lt: before }, lockedAt: null, nextRunAt: null, repeatInterval: null }
    const ids = (await jobs().find(finished, { limit, projection: { _id: 1 }, sort: { lastFinishedAt: 1 } }).toArray()).map((doc) => doc._id)
    if (ids.length === 0) return 0
    return (await jobs().deleteMany({ ...finished, _id: { $in: ids } })).deletedCount ?? 0
  },
  removeWorker: async (name) => {
    await workers().deleteOne({ _id: name })
  },
})
