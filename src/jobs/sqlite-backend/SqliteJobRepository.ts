import type { Database, Statement } from 'better-sqlite3'
import type {
  JobId,
  JobParameters,
  JobRepository,
  JobRepositoryOptions,
  JobsOverview,
  JobsQueryOptions,
  JobsResult,
  JobState,
  JobWithState,
  RemoveJobsOptions,
} from 'agenda'

import { randomUUID } from 'node:crypto'
import { toJobId } from 'agenda'

import { claimSql, createIndexesSql, createTableSql, stateCaseSql } from './schema.js'

/** A row as better-sqlite3 returns it: every column is a plain SQLite value. */
type JobRow = {
  created_at: number
  data: string
  debounce_started_at: number | null
  disabled: number
  end_date: number | null
  fail_count: number | null
  fail_reason: string | null
  failed_at: number | null
  fork: number
  id: string
  last_finished_at: number | null
  last_modified_by: string | null
  last_run_at: number | null
  locked_at: number | null
  name: string
  next_run_at: number | null
  priority: number
  progress: number | null
  repeat_at: string | null
  repeat_interval: string | null
  repeat_timezone: string | null
  skip_days: string | null
  start_date: number | null
  type: string
  updated_at: number
}

type SqlValue = bigint | Buffer | null | number | string

export type SqliteJobRepositoryOptions = {
  /** An open better-sqlite3 connection (WAL and busy timeout already set by the backend). */
  db: Database
  /** @default 'agenda_jobs' */
  tableName: string
  /** Create the table and indexes on connect. @default true */
  ensureSchema: boolean
  /**
   * Claim up to this many due jobs per claim statement and hand the extra ones out on the next calls.
   * Agenda asks for one job at a time; batching turns N write transactions into one.
   * @default 1 (no batching)
   */
  claimBatchSize: number
  /** How long a pre-claimed job may wait in the local buffer before it is released again. @default 1000 */
  claimBufferMaxAgeMs: number
}

/** Columns a `unique` key may name directly (identifiers cannot be bound, so they are allow-listed). */
const UNIQUE_COLUMNS: Record<string, string> = {
  disabled: 'disabled',
  name: 'name',
  nextRunAt: 'next_run_at',
  priority: 'priority',
  repeatAt: 'repeat_at',
  repeatInterval: 'repeat_interval',
  type: 'type',
}

const toMs = (value: unknown): number | null => {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime()
  if (typeof value === 'number') return value
  if (typeof value === 'string') {
    const parsed = new Date(value).getTime()
    return Number.isNaN(parsed) ? null : parsed
  }
  return null
}

const fromMs = (value: number | null): Date | undefined => (value === null ? undefined : new Date(value))

/** SQLite has no boolean: bind true/false as 1/0 so `json_extract` comparisons match JSON booleans. */
const toSqlValue = (value: unknown): SqlValue => {
  if (value === null || value === undefined) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint') return value
  if (value instanceof Date) return value.getTime()
  return JSON.stringify(value)
}

/** `data.a.b` → `$."a"."b"` (quoted so keys with dots-free odd characters still address one member). */
const jsonPath = (dotted: string): string =>
  '$' +
  dotted
    .split('.')
    .map((part) => `."${part.replace(/"/g, '""')}"`)
    .join('')

type Filter = { params: SqlValue[]; sql: string[] }

/**
 * Turns a partial-object match (`{ a: 1, b: { c: 'x' } }`) into one `json_extract` condition per leaf,
 * the SQLite counterpart of PostgreSQL's `data @> $1` containment used by the upstream backend.
 */
const addDataMatch = (filter: Filter, data: unknown, prefix = ''): void => {
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const entries = Object.entries(data)
    if (entries.length === 0 && prefix === '') return
    for (const [key, value] of entries) addDataMatch(filter, value, prefix ? `${prefix}.${key}` : key)
    return
  }
  if (prefix === '') {
    // Scalar or array payload: compare the whole document.
    filter.sql.push('json(data) = json(?)')
    filter.params.push(JSON.stringify(data))
    return
  }
  if (Array.isArray(data)) {
    filter.sql.push('json(json_extract(data, ?)) = json(?)')
    filter.params.push(jsonPath(prefix), JSON.stringify(data))
    return
  }
  if (data === null) {
    filter.sql.push("json_type(data, ?) = 'null'")
    filter.params.push(jsonPath(prefix))
    return
  }
  filter.sql.push('json_extract(data, ?) = ?')
  filter.params.push(jsonPath(prefix), toSqlValue(data))
}

/** `column = one` when one value is given, else `column IN (many)` when the list is not empty. */
const addOneOrMany = (filter: Filter, column: 'id' | 'name', one: unknown, many: readonly unknown[] | undefined): boolean => {
  if (one) {
    filter.sql.push(`${column} = ?`)
    filter.params.push(String(one))
    return true
  }
  if (many && many.length > 0) {
    filter.sql.push(`${column} IN (SELECT value FROM json_each(?))`)
    filter.params.push(JSON.stringify(many.map(String)))
    return true
  }
  return false
}

const buildFilter = (options: RemoveJobsOptions): Filter | null => {
  const filter: Filter = { params: [], sql: [] }
  addOneOrMany(filter, 'id', options.id, options.ids)
  const hasNames = addOneOrMany(filter, 'name', options.name, options.names)
  // notNames applies only when no name or names were given.
  if (!hasNames && options.notNames && options.notNames.length > 0) {
    filter.sql.push('name NOT IN (SELECT value FROM json_each(?))')
    filter.params.push(JSON.stringify(options.notNames))
  }
  if (options.data !== undefined) addDataMatch(filter, options.data)
  return filter.sql.length > 0 ? filter : null
}

type BufferedClaim = { claimedAt: number; job: JobParameters }

/**
 * Agenda's `JobRepository` on SQLite through better-sqlite3. Every write that must be atomic is a single
 * statement (SQLite takes the write lock for the whole statement) or a `BEGIN IMMEDIATE` transaction, so
 * several processes can share one database file.
 */
export class SqliteJobRepository implements JobRepository {
  private db: Database
  private readonly table: string
  private readonly options: SqliteJobRepositoryOptions
  private readonly statements = new Map<string, Statement>()
  /** Jobs claimed in a batch but not yet handed to Agenda, per job name. */
  private readonly claimBuffer = new Map<string, BufferedClaim[]>()

  constructor(options: SqliteJobRepositoryOptions) {
    this.options = options
    this.db = options.db
    this.table = options.tableName
  }

  /** Swaps in a fresh connection after a disconnect/connect cycle (statements belong to a connection). */
  setDatabase(db: Database): void {
    this.db = db
    this.statements.clear()
    this.claimBuffer.clear()
  }

  /** Prepared once per SQL text: better-sqlite3 statements are cheap to reuse and costly to re-prepare. */
  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }

  async connect(): Promise<void> {
    if (!this.options.ensureSchema) return
    // IMMEDIATE takes the write lock first, so workers starting together queue on the busy timeout
    // instead of racing each other's CREATE statements.
    this.db
      .transaction(() => {
        this.db.exec(createTableSql(this.table))
        for (const sql of createIndexesSql(this.table)) this.db.exec(sql)
      })
      .immediate()
  }

  /** Gives back every job still waiting in the claim buffer (called on disconnect). */
  releaseBufferedClaims(): number {
    const ids: string[] = []
    for (const list of this.claimBuffer.values()) for (const entry of list) if (entry.job._id) ids.push(entry.job._id)
    this.claimBuffer.clear()
    if (ids.length > 0) this.unlockIdsSync(ids)
    return ids.length
  }

  private rowToJob(row: JobRow): JobParameters {
    return {
      _id: toJobId(row.id),
      data: JSON.parse(row.data) as unknown,
      debounceStartedAt: fromMs(row.debounce_started_at),
      disabled: row.disabled === 1,
      endDate: fromMs(row.end_date),
      failCount: row.fail_count ?? undefined,
      failReason: row.fail_reason ?? undefined,
      failedAt: fromMs(row.failed_at),
      fork: row.fork === 1,
      lastFinishedAt: fromMs(row.last_finished_at),
      lastModifiedBy: row.last_modified_by ?? undefined,
      lastRunAt: fromMs(row.last_run_at),
      lockedAt: fromMs(row.locked_at),
      name: row.name,
      nextRunAt: row.next_run_at === null ? null : new Date(row.next_run_at),
      priority: row.priority,
      progress: row.progress ?? undefined,
      repeatAt: row.repeat_at ?? undefined,
      repeatInterval: row.repeat_interval === null ? undefined : (JSON.parse(row.repeat_interval) as number | string),
      repeatTimezone: row.repeat_timezone ?? undefined,
      skipDays: row.skip_days === null ? undefined : (JSON.parse(row.skip_days) as number[]),
      startDate: fromMs(row.start_date),
      type: row.type === 'single' ? 'single' : 'normal',
    }
  }

  async getJobById(id: string): Promise<JobParameters | null> {
    const row = this.stmt(`SELECT * FROM "${this.table}" WHERE id = ?`).get(id) as JobRow | undefined
    return row ? this.rowToJob(row) : null
  }

  async queryJobs(options: JobsQueryOptions = {}): Promise<JobsResult> {
    const now = Date.now()
    const filter: Filter = { params: [], sql: [] }
    addOneOrMany(filter, 'name', options.name, options.names)
    addOneOrMany(filter, 'id', options.id, options.ids)
    if (options.search) {
      filter.sql.push("name LIKE ? ESCAPE '\\'")
      filter.params.push(`%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    }
    if (options.data !== undefined) addDataMatch(filter, options.data)
    if (options.includeDisabled === false) filter.sql.push('disabled = 0')
    if (options.state === 'paused') filter.sql.push('disabled = 1')
    else if (options.state) {
      filter.sql.push(`(${stateCaseSql('?')}) = ?`)
      filter.params.push(now, options.state)
    }
    const where = filter.sql.length > 0 ? `WHERE ${filter.sql.join(' AND ')}` : ''
    const order = this.orderBy(options.sort)
    const limit = options.limit && options.limit > 0 ? options.limit : -1
    const skip = options.skip && options.skip > 0 ? options.skip : 0
    const rows = this.db
      .prepare(`SELECT *, (${stateCaseSql('?')}) AS state FROM "${this.table}" ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(now, ...filter.params, limit, skip) as (JobRow & { state: JobState })[]
    const total =
      limit === -1 && skip === 0
        ? rows.length
        : (this.db.prepare(`SELECT COUNT(*) AS n FROM "${this.table}" ${where}`).get(...filter.params) as { n: number }).n
    const jobs = rows.map((row): JobWithState => {
      const job = this.rowToJob(row)
      return { ...job, _id: job._id as JobId, state: row.state }
    })
    return { jobs, total }
  }

  private orderBy(sort: JobsQueryOptions['sort']): string {
    const dir = (value: 'asc' | 'desc' | 1 | -1 | undefined): string => (value === 'asc' || value === 1 ? 'ASC' : 'DESC')
    // NULLS LAST like the PostgreSQL backend, spelled the portable way.
    const nullsLast = (column: string, value: 'asc' | 'desc' | 1 | -1 | undefined): string =>
      `${column} IS NULL, ${column} ${dir(value)}`
    if (!sort) return `${nullsLast('next_run_at', 'desc')}, ${nullsLast('last_run_at', 'desc')}`
    const parts: string[] = []
    if (sort.nextRunAt !== undefined) parts.push(nullsLast('next_run_at', sort.nextRunAt))
    if (sort.lastRunAt !== undefined) parts.push(nullsLast('last_run_at', sort.lastRunAt))
    if (sort.lastFinishedAt !== undefined) parts.push(nullsLast('last_finished_at', sort.lastFinishedAt))
    if (sort.priority !== undefined) parts.push(`priority ${dir(sort.priority)}`)
    if (sort.name !== undefined) parts.push(`name ${dir(sort.name)}`)
    return parts.length > 0 ? parts.join(', ') : `${nullsLast('next_run_at', 'desc')}, ${nullsLast('last_run_at', 'desc')}`
  }

  async getJobsOverview(): Promise<JobsOverview[]> {
    const state = stateCaseSql('@now')
    const count = (value: JobState): string => `SUM(CASE WHEN (${state}) = '${value}' THEN 1 ELSE 0 END) AS ${value}`
    const rows = this.db
      .prepare(
        `SELECT name, COUNT(*) AS total, ${(['running', 'scheduled', 'queued', 'completed', 'failed', 'repeating'] as const)
          .map(count)
          .join(', ')}, SUM(disabled) AS paused
         FROM "${this.table}" GROUP BY name ORDER BY name`,
      )
      .all({ now: Date.now() }) as JobsOverview[]
    return rows
  }

  async getDistinctJobNames(): Promise<string[]> {
    const rows = this.stmt(`SELECT DISTINCT name FROM "${this.table}" ORDER BY name`).all() as { name: string }[]
    return rows.map((row) => row.name)
  }

  async getQueueSize(): Promise<number> {
    const row = this.stmt(`SELECT COUNT(*) AS n FROM "${this.table}" WHERE next_run_at < ?`).get(Date.now()) as { n: number }
    return row.n
  }

  async removeJobs(options: RemoveJobsOptions): Promise<number> {
    const filter = buildFilter(options)
    if (!filter) return 0
    return this.db.prepare(`DELETE FROM "${this.table}" WHERE ${filter.sql.join(' AND ')}`).run(...filter.params).changes
  }

  async disableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.setDisabled(options, 1)
  }

  async enableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.setDisabled(options, 0)
  }

  private setDisabled(options: RemoveJobsOptions, disabled: 0 | 1): number {
    const filter = buildFilter(options)
    if (!filter) return 0
    return this.db
      .prepare(`UPDATE "${this.table}" SET disabled = ?, updated_at = ? WHERE ${filter.sql.join(' AND ')}`)
      .run(disabled, Date.now(), ...filter.params).changes
  }

  async purgeAllJobs(): Promise<number> {
    this.claimBuffer.clear()
    return this.stmt(`DELETE FROM "${this.table}"`).run().changes
  }

  async unlockJob(job: JobParameters): Promise<void> {
    if (!job._id) return
    this.unlockIdsSync([job._id])
  }

  async unlockJobs(jobIds: (JobId | string)[]): Promise<void> {
    if (jobIds.length === 0) return
    this.unlockIdsSync(jobIds.map(String))
  }

  /** A job whose nextRunAt is null is mid-run (one-off jobs clear it on start): leave its lock alone. */
  private unlockIdsSync(ids: string[]): void {
    this.stmt(
      `UPDATE "${this.table}" SET locked_at = NULL, updated_at = ?
       WHERE id IN (SELECT value FROM json_each(?)) AND next_run_at IS NOT NULL`,
    ).run(Date.now(), JSON.stringify(ids))
  }

  async lockJob(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<JobParameters | undefined> {
    if (!job._id) return undefined
    const now = Date.now()
    const row = this.stmt(
      `UPDATE "${this.table}" SET locked_at = ?, last_modified_by = ?, updated_at = ?
       WHERE id = ? AND name = ? AND locked_at IS NULL AND next_run_at = ? AND disabled = 0
       RETURNING *`,
    ).get(now, options?.lastModifiedBy ?? null, now, job._id, job.name, toMs(job.nextRunAt)) as JobRow | undefined
    return row ? this.rowToJob(row) : undefined
  }

  async getNextJobToRun(
    jobName: string,
    nextScanAt: Date,
    lockDeadline: Date,
    now: Date | undefined,
    options: JobRepositoryOptions | undefined,
  ): Promise<JobParameters | undefined> {
    const buffered = this.takeBuffered(jobName)
    if (buffered) return buffered
    const lockTime = (now ?? new Date()).getTime()
    const rows = this.claim({
      by: options?.lastModifiedBy ?? null,
      deadline: lockDeadline.getTime(),
      limit: this.options.claimBatchSize,
      lockTime,
      name: jobName,
      scan: nextScanAt.getTime(),
    })
    if (rows.length === 0) return undefined
    const jobs = rows.map((row) => this.rowToJob(row))
    if (jobs.length > 1) {
      this.claimBuffer.set(
        jobName,
        jobs.slice(1).map((job) => ({ claimedAt: lockTime, job })),
      )
    }
    return jobs[0]
  }

  /**
   * Hands out a pre-claimed job. One that waited longer than `claimBufferMaxAgeMs` is released and
   * dropped instead: Agenda may have stopped asking (lock limit reached), and holding its lock would
   * only delay it for other workers.
   */
  private takeBuffered(jobName: string): JobParameters | undefined {
    const list = this.claimBuffer.get(jobName)
    if (!list || list.length === 0) return undefined
    const entry = list.shift()
    if (list.length === 0) this.claimBuffer.delete(jobName)
    if (!entry) return undefined
    if (Date.now() - entry.claimedAt > this.options.claimBufferMaxAgeMs) {
      const stale = [entry, ...list].map((item) => String(item.job._id))
      this.claimBuffer.delete(jobName)
      this.unlockIdsSync(stale)
      return undefined
    }
    return entry.job
  }

  /** The atomic find-and-lock (see `claimSql`). */
  private claim(args: { by: string | null; deadline: number; limit: number; lockTime: number; name: string; scan: number }): JobRow[] {
    return this.stmt(claimSql(this.table))
      .all(args)
      .map((row) => row as JobRow)
      .sort((a, b) => {
        // RETURNING order is unspecified: restore run order so the first job handed out is the most urgent.
        const an = a.next_run_at ?? Number.MAX_SAFE_INTEGER
        const bn = b.next_run_at ?? Number.MAX_SAFE_INTEGER
        return an !== bn ? an - bn : b.priority - a.priority
      })
  }

  async saveJobState(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<void> {
    if (!job._id) throw new Error('Cannot save job state without job ID')
    const result = this.stmt(
      `UPDATE "${this.table}" SET locked_at = ?, next_run_at = ?, last_run_at = ?, progress = ?, fail_reason = ?,
         fail_count = ?, failed_at = ?, last_finished_at = ?, last_modified_by = ?, updated_at = ?
       WHERE id = ? AND name = ?`,
    ).run(
      toMs(job.lockedAt),
      toMs(job.nextRunAt),
      toMs(job.lastRunAt),
      job.progress ?? null,
      job.failReason ?? null,
      job.failCount ?? null,
      toMs(job.failedAt),
      toMs(job.lastFinishedAt),
      options?.lastModifiedBy ?? null,
      Date.now(),
      job._id,
      job.name,
    )
    if (result.changes !== 1) {
      throw new Error(`job ${job._id} (name: ${job.name}) cannot be updated in the database, maybe it does not exist anymore?`)
    }
  }

  /** The columns a user-level save writes (processor-managed fields are excluded by Agenda itself). */
  private columnsOf(props: Omit<JobParameters, '_id' | 'unique' | 'uniqueOpts'>, by: string | null) {
    return {
      by,
      data: JSON.stringify(props.data ?? null),
      disabled: props.disabled ? 1 : 0,
      endDate: toMs(props.endDate),
      failCount: props.failCount ?? null,
      failReason: props.failReason ?? null,
      failedAt: toMs(props.failedAt),
      fork: props.fork ? 1 : 0,
      name: props.name,
      nextRunAt: toMs(props.nextRunAt),
      priority: props.priority ?? 0,
      repeatAt: props.repeatAt ?? null,
      repeatInterval: props.repeatInterval === undefined || props.repeatInterval === null ? null : JSON.stringify(props.repeatInterval),
      repeatTimezone: props.repeatTimezone ?? null,
      skipDays: props.skipDays ? JSON.stringify(props.skipDays) : null,
      startDate: toMs(props.startDate),
      type: props.type === 'single' ? 'single' : 'normal',
    }
  }

  async saveJob<DATA = unknown>(job: JobParameters<DATA>, options: JobRepositoryOptions | undefined): Promise<JobParameters<DATA>> {
    const { _id, unique, uniqueOpts, ...props } = job
    const cols = this.columnsOf(props, options?.lastModifiedBy ?? null)
    const now = Date.now()
    const t = this.table

    if (_id) {
      const row = this.stmt(
        `UPDATE "${t}" SET priority = @priority, next_run_at = @nextRunAt, type = @type, repeat_timezone = @repeatTimezone,
           repeat_interval = @repeatInterval, data = @data, repeat_at = @repeatAt, disabled = @disabled, fork = @fork,
           fail_reason = @failReason, fail_count = @failCount, failed_at = @failedAt, last_modified_by = @by,
           start_date = @startDate, end_date = @endDate, skip_days = @skipDays, updated_at = @now
         WHERE id = @id AND name = @name RETURNING *`,
      ).get({ ...cols, id: _id, now }) as JobRow | undefined
      // Removed while the caller held it: hand back what they gave us, as the upstream backends do.
      return row ? (this.rowToJob(row) as JobParameters<DATA>) : job
    }

    if (cols.type === 'single') {
      // A run time already due is kept, so re-declaring `every()` on boot does not postpone a due run.
      const protect = cols.nextRunAt !== null && cols.nextRunAt <= now ? 1 : 0
      const row = this.stmt(
        `INSERT INTO "${t}" (id, name, priority, next_run_at, type, repeat_timezone, repeat_interval, data, repeat_at,
           disabled, fork, last_modified_by, start_date, end_date, skip_days, created_at, updated_at)
         VALUES (@id, @name, @priority, @nextRunAt, @type, @repeatTimezone, @repeatInterval, @data, @repeatAt,
           @disabled, @fork, @by, @startDate, @endDate, @skipDays, @now, @now)
         ON CONFLICT (name) WHERE type = 'single' DO UPDATE SET
           priority = excluded.priority,
           next_run_at = CASE WHEN @protect = 1 THEN COALESCE("${t}".next_run_at, excluded.next_run_at) ELSE excluded.next_run_at END,
           repeat_timezone = excluded.repeat_timezone, repeat_interval = excluded.repeat_interval, data = excluded.data,
           repeat_at = excluded.repeat_at, disabled = excluded.disabled, fork = excluded.fork,
           last_modified_by = excluded.last_modified_by, start_date = excluded.start_date, end_date = excluded.end_date,
           skip_days = excluded.skip_days, updated_at = excluded.updated_at
         RETURNING *`,
      ).get({ ...cols, id: randomUUID(), now, protect }) as JobRow
      return this.rowToJob(row) as JobParameters<DATA>
    }

    if (unique) {
      // Read-then-write must not interleave with another process: IMMEDIATE holds the write lock throughout.
      return this.db.transaction(() => this.saveUnique({ cols, now, uniqueOpts, unique }) as JobParameters<DATA>).immediate()
    }

    return this.insert(cols, now, null) as JobParameters<DATA>
  }

  private insert(cols: ReturnType<SqliteJobRepository['columnsOf']>, now: number, debounceStartedAt: number | null): JobParameters {
    const row = this.stmt(
      `INSERT INTO "${this.table}" (id, name, priority, next_run_at, type, repeat_timezone, repeat_interval, data, repeat_at,
         disabled, fork, last_modified_by, debounce_started_at, start_date, end_date, skip_days, created_at, updated_at)
       VALUES (@id, @name, @priority, @nextRunAt, @type, @repeatTimezone, @repeatInterval, @data, @repeatAt,
         @disabled, @fork, @by, @debounceStartedAt, @startDate, @endDate, @skipDays, @now, @now)
       RETURNING *`,
    ).get({ ...cols, debounceStartedAt, id: randomUUID(), now }) as JobRow
    return this.rowToJob(row)
  }

  /** `unique` upsert with the same insert-only and debounce rules as the upstream PostgreSQL backend. */
  private saveUnique(args: {
    cols: ReturnType<SqliteJobRepository['columnsOf']>
    now: number
    unique: Record<string, unknown>
    uniqueOpts: JobParameters['uniqueOpts']
  }): JobParameters {
    const { cols, now, unique, uniqueOpts } = args
    const filter: Filter = { params: [cols.name], sql: ['name = ?'] }
    for (const [key, value] of Object.entries(unique)) {
      if (key.startsWith('data.')) {
        addDataMatch(filter, value, key.slice('data.'.length))
      } else {
        const column = UNIQUE_COLUMNS[key]
        if (!column) throw new Error(`Invalid unique constraint field: "${key}"`)
        filter.sql.push(`"${column}" = ?`)
        filter.params.push(toSqlValue(value))
      }
    }
    const where = filter.sql.join(' AND ')
    const existing = this.db.prepare(`SELECT * FROM "${this.table}" WHERE ${where} LIMIT 1`).get(...filter.params) as JobRow | undefined
    const debounce = uniqueOpts?.debounce

    if (!existing) {
      if (!debounce) return this.insert(cols, now, null)
      const nextRunAt = debounce.strategy === 'leading' ? cols.nextRunAt : now + debounce.delay
      return this.insert({ ...cols, nextRunAt }, now, now)
    }
    if (uniqueOpts?.insertOnly && !debounce) return this.rowToJob(existing)

    let nextRunAt = cols.nextRunAt
    let debounceStartedAt: number | null = null
    if (debounce) {
      const startedAt = existing.debounce_started_at ?? now
      if (debounce.strategy === 'leading') {
        nextRunAt = existing.next_run_at
        debounceStartedAt = startedAt
      } else if (debounce.maxWait && now - startedAt >= debounce.maxWait) {
        nextRunAt = now
      } else {
        nextRunAt = now + debounce.delay
        debounceStartedAt = startedAt
      }
    }
    const row = this.db
      .prepare(
        `UPDATE "${this.table}" SET priority = ?, next_run_at = ?, type = ?, repeat_timezone = ?, repeat_interval = ?, data = ?,
           repeat_at = ?, disabled = ?, fork = ?, last_modified_by = ?, debounce_started_at = ?, start_date = ?, end_date = ?,
           skip_days = ?, updated_at = ?
         WHERE id = ? RETURNING *`,
      )
      .get(
        cols.priority,
        nextRunAt,
        cols.type,
        cols.repeatTimezone,
        cols.repeatInterval,
        cols.data,
        cols.repeatAt,
        cols.disabled,
        cols.fork,
        cols.by,
        debounceStartedAt,
        cols.startDate,
        cols.endDate,
        cols.skipDays,
        now,
        existing.id,
      ) as JobRow
    return this.rowToJob(row)
  }
}
