import { z } from 'zod'

const rate = z.number().min(0).max(1)
const ms = z.number().int().min(0).max(600_000)
const range = z.tuple([ms, ms]).refine(([min, max]) => min <= max, 'must be [min, max] with min ≤ max')

/**
 * What the simulator does, all changeable at run time (`PATCH /config`). Rates are probabilities
 * (0–1) drawn from the seeded random source; delays are milliseconds, `[min, max]` uniformly.
 */
export const vendorBehaviourSchema = z.strictObject({
  /** Delay before `POST /messages` answers; longer than `receiptDelayMs` makes receipts arrive before the answer. */
  answerDelayMs: range,
  /** Batch the receipt callbacks hold at most. */
  callbackBatchSize: z.number().int().min(1).max(1000),
  /** Callbacks in flight at once. */
  callbackConcurrency: z.number().int().min(1).max(32),
  /** Tries per receipt batch before it is dropped (counted in `receipts.dropped`). */
  callbackMaxAttempts: z.number().int().min(1).max(100),
  /** First retry delay; doubles per try up to `callbackRetryMaxMs` (a `Retry-After` from the receiver wins). */
  callbackRetryBaseMs: ms,
  callbackRetryMaxMs: ms,
  /** A callback with no answer after this long counts as failed. */
  callbackTimeoutMs: z.number().int().min(1).max(600_000),
  /** `true`: a repeated `reference` answers the first result and sends nothing (the contract's vendor). */
  dedup: z.boolean(),
  /** Of the messages that do not fail or unsubscribe, the share that ends `delivered` (the rest stay `sent`). */
  deliveredRate: rate,
  /** Each receipt is sent a second time, later, with this probability. */
  duplicateRate: rate,
  /** `POST /messages` does the work, then answers 500 (the answer is "lost": the caller must retry by reference). */
  errorAfterSendRate: rate,
  /** Share of messages that end `failed` (a bounce after `sent`). */
  failureRate: rate,
  /** How late a late `sent` receipt is. */
  lateDelayMs: ms,
  /** A `sent` receipt is held back by `lateDelayMs`, so it arrives after the final one. */
  lateRate: rate,
  /** Most messages in one `POST /messages` (more → 413). */
  maxBatchSize: z.number().int().min(1).max(100_000),
  /** A message's receipts arrive final-first (each keeps the time it happened in `at`). */
  outOfOrderRate: rate,
  /** `POST /messages` answers 429 with `Retry-After`, doing nothing. */
  rateLimitRate: rate,
  /** Delay from accepting a message to its first receipt, and between its receipts. */
  receiptDelayMs: range,
  /** The `Retry-After` (seconds) of an injected 429 or 503. */
  retryAfterSeconds: z.number().int().min(0).max(3600),
  /** `POST /messages` answers 503 with `Retry-After`, doing nothing. */
  serverErrorRate: rate,
  /** Share of messages whose recipient unsubscribes (`sent`, `delivered`, then `unsubscribed`). */
  unsubscribeRate: rate,
})

export type VendorBehaviour = z.infer<typeof vendorBehaviourSchema>

/** The simulator's defaults: about 90 % succeed (most `delivered`), 10 % fail, 1 % unsubscribe; no injected faults. */
export const DEFAULT_VENDOR_BEHAVIOUR: VendorBehaviour = {
  answerDelayMs: [0, 0],
  callbackBatchSize: 100,
  callbackConcurrency: 2,
  callbackMaxAttempts: 10,
  callbackRetryBaseMs: 200,
  callbackRetryMaxMs: 10_000,
  callbackTimeoutMs: 10_000,
  dedup: true,
  deliveredRate: 0.9,
  duplicateRate: 0,
  errorAfterSendRate: 0,
  failureRate: 0.1,
  lateDelayMs: 2000,
  lateRate: 0,
  maxBatchSize: 1000,
  outOfOrderRate: 0,
  rateLimitRate: 0,
  receiptDelayMs: [20, 200],
  retryAfterSeconds: 1,
  serverErrorRate: 0,
  unsubscribeRate: 0.01,
}

/** A partial behaviour (for `PATCH /config` and options); unknown keys and bad values are errors. */
export const vendorBehaviourPatchSchema = vendorBehaviourSchema.partial()

export type VendorBehaviourPatch = z.infer<typeof vendorBehaviourPatchSchema>

/** Applies a patch and checks the combination (the outcome rates cannot add up to more than 1). */
export const mergeVendorBehaviour = ({ base, patch }: { base: VendorBehaviour; patch: VendorBehaviourPatch }): { errors: string[] } | { behaviour: VendorBehaviour } => {
  const behaviour = { ...base, ...patch }
  const errors: string[] = []
  if (behaviour.failureRate + behaviour.unsubscribeRate > 1) errors.push('failureRate + unsubscribeRate must not exceed 1')
  if (behaviour.rateLimitRate + behaviour.serverErrorRate + behaviour.errorAfterSendRate > 1) {
    errors.push('rateLimitRate + serverErrorRate + errorAfterSendRate must not exceed 1')
  }
  if (behaviour.callbackRetryBaseMs > behaviour.callbackRetryMaxMs) errors.push('callbackRetryBaseMs must not exceed callbackRetryMaxMs')
  return errors.length > 0 ? { errors } : { behaviour }
}

/** Zod issues as `path: message` lines for a 400. */
export const describeIssues = (error: z.ZodError): { message: string }[] =>
  error.issues.slice(0, 20).map((issue) => ({
    message: `${issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '') || 'body'}: ${issue.message}`,
  }))
