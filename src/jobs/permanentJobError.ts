/**
 * A failure that retrying cannot fix (bad data, missing record, wrong state). The job is marked failed
 * with `failReason` = "<code>: <message>" and is not retried. Any other error is treated as temporary.
 */
export class PermanentJobError extends Error {
  readonly code: string

  constructor(code: string, message: string) {
    // The code leads the message because Agenda stores `error.message` as the job's failReason.
    super(`${code}: ${message}`)
    this.name = 'PermanentJobError'
    this.code = code
  }
}
