import type { Receipt } from '../domain/campaigns/receiptBatchSchema.js'
import type { ScheduledReceipt } from './vendorState.js'
import type { VendorBehaviour } from './vendorOptions.js'
import type { VendorStats } from './vendorStats.js'

import { signReceiptBody } from '../domain/campaigns/receiptSignature.js'
import { createMinHeap } from './minHeap.js'

// Receipts that fall due within this window of each other leave in one callback.
const LINGER_MS = 10
const MAX_RETRY_AFTER_MS = 60_000

/** Sends scheduled receipts to the receiver in signed batches, retrying failed callbacks with backoff. */
export type ReceiptDispatcher = {
  /** Stops all timers and aborts callbacks in flight; pending receipts are forgotten. */
  close: () => void
  /** Forgets pending receipts (callbacks in flight finish). */
  clear: () => void
  schedule: (receipts: readonly ScheduledReceipt[]) => void
  /** Resolves once no receipt is pending or in flight (delivered or dropped). */
  whenIdle: () => Promise<void>
}

/** `Retry-After` (seconds or an HTTP date) in ms, if present and sane. */
const retryAfterMs = (header: null | string): number | undefined => {
  if (!header) return undefined
  const seconds = Number(header)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now()
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : undefined
}

/**
 * Creates the dispatcher. `callbackUrl` unset: receipts are counted as dropped at their time (no
 * receiver). Each batch is signed `X-Signature: sha256=<hex HMAC of the raw body>` with `secret`.
 */
export const createReceiptDispatcher = ({
  behaviour,
  callbackUrl,
  log,
  secret,
  stats,
}: {
  behaviour: () => VendorBehaviour
  callbackUrl?: string
  log?: (message: string) => void
  secret: string
  stats: () => VendorStats
}): ReceiptDispatcher => {
  let order = 0
  const heap = createMinHeap<{ order: number } & ScheduledReceipt>({ isBefore: (a, b) => a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.order < b.order) })
  const controller = new AbortController()
  const timers = new Set<NodeJS.Timeout>()
  const retryWaits = new Set<() => void>()
  let wakeAt = Number.POSITIVE_INFINITY
  let wakeTimer: NodeJS.Timeout | undefined
  let inFlight = 0
  let isClosed = false
  let idleWaiters: (() => void)[] = []

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      run()
    }, ms)
    timers.add(timer)
    return timer
  }

  const settleIdle = () => {
    if (heap.size > 0 || inFlight > 0) return
    const waiters = idleWaiters
    idleWaiters = []
    for (const resolve of waiters) resolve()
  }

  const finish = (count: number, isDelivered: boolean) => {
    const receipts = stats().receipts
    receipts.pending = Math.max(0, receipts.pending - count)
    if (isDelivered) receipts.delivered += count
    else receipts.dropped += count
  }

  const post = async (body: string): Promise<{ retryAfter?: number; isOk: boolean; reason: string }> => {
    const timeout = AbortSignal.timeout(behaviour().callbackTimeoutMs)
    try {
      const response = await fetch(callbackUrl!, {
        body,
        headers: { 'content-type': 'application/json', 'x-signature': signReceiptBody({ body, secret }) },
        method: 'POST',
        signal: AbortSignal.any([controller.signal, timeout]),
      })
      await response.arrayBuffer().catch(() => undefined)
      return { isOk: response.ok, reason: `HTTP ${response.status}`, retryAfter: retryAfterMs(response.headers.get('retry-after')) }
    } catch (err) {
      return { isOk: false, reason: timeout.aborted ? 'timed out' : (err as Error).message }
    }
  }

  const deliver = async (receipts: Receipt[]) => {
    const body = JSON.stringify({ receipts })
    for (let attempt = 1; !isClosed; attempt++) {
      stats().receipts.callbacks++
      const result = await post(body)
      if (result.isOk) return finish(receipts.length, true)
      stats().receipts.callbackFailures++
      const b = behaviour()
      if (attempt >= b.callbackMaxAttempts || isClosed) {
        log?.(`Dropping ${receipts.length} receipt(s) after ${attempt} tries: ${result.reason}`)
        return finish(receipts.length, false)
      }
      const backoff = Math.min(b.callbackRetryBaseMs * 2 ** (attempt - 1), b.callbackRetryMaxMs)
      await new Promise<void>((resolve) => {
        retryWaits.add(resolve)
        later(Math.max(backoff, result.retryAfter ?? 0), () => {
          retryWaits.delete(resolve)
          resolve()
        })
      })
    }
  }

  const pump = () => {
    if (isClosed) return
    const now = Date.now()
    const { callbackBatchSize, callbackConcurrency } = behaviour()
    while (inFlight < callbackConcurrency && heap.size > 0 && heap.peek()!.dueAt <= now) {
      const batch: ({ order: number } & ScheduledReceipt)[] = []
      while (batch.length < callbackBatchSize && heap.size > 0 && heap.peek()!.dueAt <= now + LINGER_MS) batch.push(heap.pop()!)
      const receipts = batch.map((item) => item.receipt)
      if (!callbackUrl) {
        finish(receipts.length, false)
        continue
      }
      inFlight++
      void deliver(receipts).finally(() => {
        inFlight--
        pump()
        settleIdle()
      })
    }
    armWake()
    settleIdle()
  }

  // One timer, set for the next due receipt (a pump after each callback covers the rest).
  const armWake = () => {
    const next = heap.peek()
    if (!next || isClosed) return
    // Due, but every callback slot is busy: the pump after the next callback finishes picks it up.
    if (next.dueAt <= Date.now() && inFlight >= behaviour().callbackConcurrency) return
    const at = Math.max(next.dueAt, Date.now())
    if (wakeTimer && at >= wakeAt) return
    if (wakeTimer) clearTimeout(wakeTimer)
    wakeAt = at
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined
      wakeAt = Number.POSITIVE_INFINITY
      pump()
    }, at - Date.now())
  }

  return {
    clear: () => {
      const receipts = stats().receipts
      receipts.pending = Math.max(0, receipts.pending - heap.size)
      heap.clear()
      settleIdle()
    },
    close: () => {
      isClosed = true
      controller.abort()
      if (wakeTimer) clearTimeout(wakeTimer)
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const resolve of retryWaits) resolve() // lets waiting retries see `isClosed` and end
      retryWaits.clear()
      heap.clear()
      inFlight = 0
      settleIdle()
    },
    schedule: (receipts) => {
      for (const receipt of receipts) heap.push({ ...receipt, order: order++ })
      armWake()
    },
    whenIdle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve)
        settleIdle()
      }),
  }
}
