import type { JobParameters, JobRepositoryOptions } from 'agenda'
import type { PostgresJobRow } from '@agendajs/postgres-backend'

import { PostgresJobRepository } from '@agendajs/postgres-backend'

// Upstream's row → job mapping is private; reuse it so claimed jobs look exactly like every other job
// the repository returns (the backend version is pinned exactly).
type RowMapper = { rowToJob: (row: PostgresJobRow) => JobParameters }

/**
 * The upstream repository with a faster claim. Upstream finds the next job with
 * `(locked_at IS NULL AND next_run_at <= $scan) OR locked_at <= $deadline`; the OR keeps PostgreSQL
 * from walking the (name, next_run_at, priority) index in order, so every claim sorted all candidate
 * rows and throughput fell as the backlog grew (872 jobs/s at 2,000 queued, 602 at 10,000). Here the
 * two cases are separate index scans, each `LIMIT 1 FOR UPDATE SKIP LOCKED` in its own CTE (PostgreSQL
 * refuses FOR UPDATE directly under UNION), merged by UNION ALL.
 * Same semantics: due-and-unlocked or lock-expired, earliest first, then highest priority.
 */
export class FastClaimPostgresJobRepository extends PostgresJobRepository {
  private readonly table: string

  constructor(config: ConstructorParameters<typeof PostgresJobRepository>[0]) {
    super(config)
    this.table = config.tableName ?? 'agenda_jobs'
  }

  override async getNextJobToRun(
    jobName: string,
    nextScanAt: Date,
    lockDeadline: Date,
    now: Date | undefined,
    options: JobRepositoryOptions | undefined,
  ): Promise<JobParameters | undefined> {
    const t = this.table
    const result = await this.getPool().query<PostgresJobRow>(
      `WITH due AS (
         SELECT id, next_run_at, priority FROM "${t}"
         WHERE name = $2 AND locked_at IS NULL AND disabled = FALSE AND next_run_at <= $3
         ORDER BY next_run_at ASC, priority DESC LIMIT 1 FOR UPDATE SKIP LOCKED
       ), expired AS (
         SELECT id, next_run_at, priority FROM "${t}"
         WHERE name = $2 AND locked_at <= $4 AND disabled = FALSE
         ORDER BY next_run_at ASC NULLS LAST, priority DESC LIMIT 1 FOR UPDATE SKIP LOCKED
       ), pick AS (
         SELECT id FROM (SELECT * FROM due UNION ALL SELECT * FROM expired) AS candidates
         ORDER BY next_run_at ASC NULLS LAST, priority DESC LIMIT 1
       )
       UPDATE "${t}" AS j SET locked_at = $1, last_modified_by = $5
       FROM pick WHERE j.id = pick.id
       RETURNING j.*`,
      [now ?? new Date(), jobName, nextScanAt, lockDeadline, options?.lastModifiedBy ?? null],
    )
    const row = result.rows[0]
    return row ? (this as unknown as RowMapper).rowToJob(row) : undefined
  }
}
