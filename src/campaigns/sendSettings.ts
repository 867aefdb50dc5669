import { environment } from '../env.js'

/**
 * How the dispatcher sends (docs/campaigns.md). Read from the environment so every worker process
 * of a deployment agrees; each has a default that suits the bundled simulator.
 */
export type SendSettings = {
  /** Messages per vendor request. CRM_SEND_BATCH_SIZE, default 500. */
  batchSize: number
  /** Vendor requests in flight at once per worker and campaign. CRM_SEND_CONCURRENCY, default 4. */
  concurrency: number
  /** Dispatch jobs queued per campaign when it starts or resumes (workers share them). CRM_SEND_DISPATCHERS, default 2. */
  dispatchers: number
  /** Consecutive batches that end in transport errors (after retries) before the campaign is paused. CRM_SEND_FAILURE_THRESHOLD, default 3. */
  failureThreshold: number
  /**
   * Pause a sending campaign when more than this share (0–1) of its outcomes failed.
   * CRM_SEND_FAILURE_SHARE, default 0.5; 1 turns the rule off.
   */
  failureShare: number
  /** Outcomes the failure share needs before it is judged. CRM_SEND_FAILURE_MIN_OUTCOMES, default 200. */
  failureMinOutcomes: number
  /** How long a claim on a batch lasts before another worker may take it over. CRM_SEND_LEASE_MS, default 30000. */
  leaseMs: number
  /** Most messages per second to the vendor across all workers. CRM_SEND_RATE_PER_S, default 20000. */
  ratePerSecond: number
  /** Transport tries per batch (timeouts, 5xx, 429). CRM_SEND_RETRIES, default 5. */
  maxAttempts: number
  /** First retry delay; doubles per try, with jitter, up to `retryMaxMs`. CRM_SEND_RETRY_BASE_MS, default 200. */
  retryBaseMs: number
  retryMaxMs: number
  /** A vendor request with no answer after this long is retried. CRM_SEND_TIMEOUT_MS, default 10000. */
  timeoutMs: number
}

const int = (value: string | undefined, fallback: number, min: number, max: number): number => {
  const parsed = Number(value)
  return value !== undefined && value.trim() !== '' && Number.isInteger(parsed) ? Math.min(max, Math.max(min, parsed)) : fallback
}

const share = (value: string | undefined, fallback: number): number => {
  const parsed = Number(value)
  return value !== undefined && value.trim() !== '' && Number.isFinite(parsed) ? Math.min(1, Math.max(0, parsed)) : fallback
}

export const readSendSettings = (env: Record<string, string | undefined> = environment()): SendSettings => {
  const leaseMs = int(env.CRM_SEND_LEASE_MS, 30_000, 500, 3_600_000)
  return {
    batchSize: int(env.CRM_SEND_BATCH_SIZE, 500, 1, 1000),
    concurrency: int(env.CRM_SEND_CONCURRENCY, 4, 1, 32),
    dispatchers: int(env.CRM_SEND_DISPATCHERS, 2, 1, 16),
    failureMinOutcomes: int(env.CRM_SEND_FAILURE_MIN_OUTCOMES, 200, 1, 1_000_000_000),
    failureShare: share(env.CRM_SEND_FAILURE_SHARE, 0.5),
    failureThreshold: int(env.CRM_SEND_FAILURE_THRESHOLD, 3, 1, 1000),
    leaseMs,
    maxAttempts: int(env.CRM_SEND_RETRIES, 5, 1, 20),
    ratePerSecond: int(env.CRM_SEND_RATE_PER_S, 20_000, 1, 1_000_000),
    retryBaseMs: int(env.CRM_SEND_RETRY_BASE_MS, 200, 1, 60_000),
    retryMaxMs: int(env.CRM_SEND_RETRY_MAX_MS, 10_000, 1, 600_000),
    // A request must end well inside the lease, or another worker could send the batch again.
    timeoutMs: Math.min(int(env.CRM_SEND_TIMEOUT_MS, 10_000, 100, 600_000), Math.floor(leaseMs / 3)),
  }
}
