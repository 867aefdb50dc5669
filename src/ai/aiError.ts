import { APIError } from 'payload'

/** Why an AI request failed; each maps to one HTTP status (see `AI_ERROR_STATUS`). */
export type AiErrorCode =
  | 'badOutput' // the model answered, but not with something we can use (malformed JSON, invalid rules)
  | 'notUnderstood' // the offline parser could not read the text
  | 'rateLimited' // Gemini kept answering 429
  | 'safety' // Gemini's safety filters blocked the prompt or the answer
  | 'timeout' // no answer in time
  | 'unavailable' // Gemini unreachable, 5xx, or refused our key

export const AI_ERROR_STATUS: Record<AiErrorCode, number> = {
  badOutput: 502,
  notUnderstood: 422,
  rateLimited: 503,
  safety: 422,
  timeout: 503,
  unavailable: 503,
}

/** A public error of the AI features: its message reaches the client, with `Retry-After` when known. */
export class AiError extends APIError {
  readonly code: AiErrorCode
  readonly retryAfterSeconds?: number

  constructor({ code, message, retryAfterSeconds }: { code: AiErrorCode; message: string; retryAfterSeconds?: number }) {
    super(message, AI_ERROR_STATUS[code], { code }, true)
    this.name = 'AiError'
    this.code = code
    this.retryAfterSeconds = retryAfterSeconds
  }
}
