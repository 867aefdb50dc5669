/** One message for the vendor: our `reference` is its idempotency key. */
export type OutgoingMessage = { reference: string; text: string; to: string }

export type VendorAnswer =
  /** 2xx: one result per message, in order. */
  | { kind: 'accepted'; results: { messageId?: string; reference: string; status?: string }[] }
  /** Worth retrying: a timeout, a network error, 429 or 5xx; `retryAfterMs` from `Retry-After`. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** Refused for good (4xx other than 429): the batch itself is wrong. */
  | { kind: 'refused'; reason: string }

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export const parseRetryAfter = (value: null | string, now = Date.now()): number | undefined => {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** POSTs one batch to `<url>/messages` and classifies the answer; never throws. */
export const postMessages = async ({ messages, timeoutMs, url }: { messages: OutgoingMessage[]; timeoutMs: number; url: string }): Promise<VendorAnswer> => {
  let response: Response
  try {
    response = await fetch(`${url}/messages`, {
      body: JSON.stringify({ messages }),
      headers: { 'content-type': 'application/json' },
      method: 'POST',
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (err) {
    const name = (err as Error).name
    return { kind: 'retry', reason: name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${timeoutMs} ms` : `network error: ${(err as Error).message}` }
  }
  const text = await response.text().catch(() => '')
  if (response.status === 429 || response.status >= 500) {
    return { kind: 'retry', reason: `vendor answered ${response.status}`, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) }
  }
  if (!response.ok) return { kind: 'refused', reason: `vendor refused the batch (${response.status}): ${text.slice(0, 300)}` }
  try {
    const body = JSON.parse(text) as { messages?: { messageId?: string; reference: string; status?: string }[] }
    if (!Array.isArray(body.messages)) return { kind: 'retry', reason: 'vendor answer without messages' }
    return { kind: 'accepted', results: body.messages }
  } catch {
    return { kind: 'retry', reason: 'unreadable vendor answer' }
  }
}

/** Exponential backoff with full jitter in [delay/2, delay]; a `Retry-After` wins when it is longer. */
export const backoffDelay = ({ attempt, baseMs, maxMs, random = Math.random, retryAfterMs }: { attempt: number; baseMs: number; maxMs: number; random?: () => number; retryAfterMs?: number }): number => {
  const delay = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1))
  const jittered = Math.round(delay / 2 + random() * (delay / 2))
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered
}
