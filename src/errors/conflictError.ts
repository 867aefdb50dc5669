import { APIError } from 'payload'

/**
 * A 409 for a request that conflicts with the current state (deleting a campaign that is sending,
 * a segment a scheduled campaign needs). Public: the message reaches the client as
 * `{"errors":[{"message"}]}`. Logged at `info` like Payload's own 4xx (see `crmPlugin`), not as an error.
 */
export class ConflictError extends APIError {
  constructor(message: string) {
    super(message, 409, null, true)
    // Explicit: Payload picks the log level by `name`, and a minifier may rename the class.
    this.name = 'ConflictError'
  }
}
