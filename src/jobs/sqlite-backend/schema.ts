/**
 * SQL for the jobs table. Dates are stored as INTEGER milliseconds since the epoch: they compare and
 * index as plain integers, and there is no time-zone or text-format ambiguity between processes.
 */

/** Only letters, digits and underscores: table names cannot be bound as parameters. */
export const assertSafeIdentifier = (name: string): string => {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid SQLite table name: "${name}"`)
  return name
}

export const createTableSql = (table: string): string => `
CREATE TABLE IF NOT EXISTS "${table}" (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  next_run_at INTEGER,
  type TEXT NOT NULL DEFAULT 'normal' CHECK (type IN ('normal', 'single')),
  locked_at INTEGER,
  last_finished_at INTEGER,
  failed_at INTEGER,
  fail_count INTEGER,
  fail_reason TEXT,
  repeat_timezone TEXT,
  last_run_at INTEGER,
  repeat_interval TEXT,
  data TEXT NOT NULL DEFAULT 'null',
  repeat_at TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  progress REAL,
  fork INTEGER NOT NULL DEFAULT 0,
  last_modified_by TEXT,
  debounce_started_at INTEGER,
  start_date INTEGER,
  end_date INTEGER,
  skip_days TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
)`

export const createIndexesSql = (table: string): string[] => [
  // The claim query's first branch: unlocked, enabled jobs of one name in run order. Partial, so
  // locked and disabled rows never enter it and the index stays small under a backlog.
  `CREATE INDEX IF NOT EXISTS "${table}_claim_idx" ON "${table}" (name, next_run_at, priority DESC)
     WHERE locked_at IS NULL AND disabled = 0`,
  // The claim query's second branch (expired locks) and the health counts of locked jobs.
  `CREATE INDEX IF NOT EXISTS "${table}_locked_idx" ON "${table}" (name, locked_at) WHERE locked_at IS NOT NULL`,
  // `every()` upserts by name.
  `CREATE UNIQUE INDEX IF NOT EXISTS "${table}_single_idx" ON "${table}" (name) WHERE type = 'single'`,
  // Queue size and "due" counts.
  `CREATE INDEX IF NOT EXISTS "${table}_next_run_idx" ON "${table}" (next_run_at) WHERE next_run_at IS NOT NULL`,
]

/**
 * The computed state of a job, the same rules as Agenda's `computeJobState` so that filtering and
 * pagination can happen in SQL instead of loading every job into memory.
 */
export const stateCaseSql = (nowParam: string): string => `CASE
  WHEN locked_at IS NOT NULL THEN 'running'
  WHEN failed_at IS NOT NULL AND (last_finished_at IS NULL OR failed_at >= last_finished_at) THEN 'failed'
  WHEN repeat_interval IS NOT NULL THEN 'repeating'
  WHEN next_run_at IS NOT NULL AND next_run_at > ${nowParam} THEN 'scheduled'
  WHEN next_run_at IS NOT NULL THEN 'queued'
  ELSE 'completed'
END`

/**
 * The atomic find-and-lock (named parameters: lockTime, by, name, scan, deadline, limit). One UPDATE
 * statement holds SQLite's write lock from the search to the write, so two processes can never claim
 * the same row. The two branches (due and unlocked; lock expired) are separate index range scans
 * joined by UNION ALL rather than one OR that would defeat the partial indexes.
 */
export const claimSql = (t: string): string => `UPDATE "${t}" SET locked_at = @lockTime, last_modified_by = @by, updated_at = @lockTime
WHERE id IN (
  SELECT id FROM (
    SELECT * FROM (
      SELECT id, next_run_at, priority FROM "${t}"
      WHERE name = @name AND locked_at IS NULL AND disabled = 0 AND next_run_at <= @scan
      ORDER BY next_run_at, priority DESC LIMIT @limit)
    UNION ALL
    SELECT * FROM (
      SELECT id, next_run_at, priority FROM "${t}"
      WHERE name = @name AND locked_at IS NOT NULL AND locked_at <= @deadline AND disabled = 0
      ORDER BY next_run_at IS NULL, next_run_at, priority DESC LIMIT @limit)
  )
  ORDER BY next_run_at IS NULL, next_run_at, priority DESC LIMIT @limit
)
RETURNING *`
