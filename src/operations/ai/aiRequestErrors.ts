import { APIError } from 'payload'

/** 404 for a segment or campaign an AI request names that does not exist (or the caller cannot read). */
export class AiNotFound extends APIError {
  constructor(message: string) {
    super(message, 404, null, true)
    this.name = 'NotFound'
  }
}

/** 409 for a record in a state the AI feature cannot use (an unfinished campaign, a segment with broken rules). */
export class AiUnusable extends APIError {
  constructor(message: string) {
    super(message, 409, null, true)
    this.name = 'ConflictError'
  }
}
