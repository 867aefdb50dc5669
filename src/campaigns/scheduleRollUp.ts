import type { Payload } from 'payload'

import { rollUpCampaignStats } from '../bulk/index.js'
import { checkFailureShare } from './checkFailureShare.js'

type Slot = {
  /** When the waiting recount was first asked for (undefined: none waiting). */
  firstAt?: number
  /** When the last recount ended, and how long it took. */
  lastEnd: number
  lastMs: number
  timer?: NodeJS.Timeout
}

const slots = new WeakMap<Payload, Map<number, Slot>>()

/** Recounts a campaign and applies the failure-share rule to the fresh counts. */
const rollUpAndCheck = async ({ campaignId, payload }: { campaignId: number; payload: Payload }): Promise<void> => {
  const stats = await rollUpCampaignStats({ campaignId, payload })
  await checkFailureShare({ campaignId, payload, stats })
}

const inFlight = new WeakMap<Payload, number>()

/**
 * Runs one receipts batch counted as in flight for `payload`: while any is, the stream is not quiet
 * (see `scheduleRollUp`), even between the moments its batches end.
 */
export const whileReceiptBatchInFlight = async <T>(payload: Payload, fn: () => Promise<T>): Promise<T> => {
  inFlight.set(payload, (inFlight.get(payload) ?? 0) + 1)
  try {
    return await fn()
  } finally {
    inFlight.set(payload, (inFlight.get(payload) ?? 1) - 1)
  }
}

/**
 * Recounts a campaign's stats (and checks its failure share) shortly after receipts or a dispatched
 * batch changed its logs: at most one recount per campaign and process is waiting at a time, so a
 * burst of batches costs one recount, and the last batch is always counted (the timer is set after
 * the writes). The recount runs at whichever comes first:
 *
 * - `delayMs` after the first batch it waits for, or nineteen times the last recount's duration when that
 *   is longer (a million-log campaign takes a quarter second to count on SQLite): under a steady
 *   stream of batches, recounts take at most about a twentieth of the database's time (`progress`
 *   recounts on demand, so a screen polling it is not held back by this);
 * - with `quietMs` given, `quietMs` after the latest batch once the batches stop coming (no receipts batch in flight in
 *   this process, none scheduled a recount since), but no sooner than the last recount's duration
 *   after it ended: the stats catch up with the last batch of a burst without waiting out the delay,
 *   and a trickle of batches spaced just over `quietMs` apart still leaves the database at least
 *   half its time.
 */
export const scheduleRollUp = ({
  campaignId,
  delayMs = 500,
  payload,
  quietMs = Infinity,
  rollUp = rollUpAndCheck,
}: {
  campaignId: number
  delayMs?: number
  payload: Payload
  /** Set (the receipts endpoint: 25 ms): the quiet trigger above is on. The dispatcher leaves it off (it pauses between its batches). */
  quietMs?: number
  /** Test seam: what runs when the timer fires. */
  rollUp?: (args: { campaignId: number; payload: Payload }) => Promise<void>
}): void => {
  let bySlot = slots.get(payload)
  if (!bySlot) slots.set(payload, (bySlot = new Map()))
  const slot = bySlot.get(campaignId) ?? { lastEnd: 0, lastMs: 0 }
  bySlot.set(campaignId, slot)
  const now = performance.now()
  slot.firstAt ??= now
  const deadline = slot.firstAt + Math.max(delayMs, slot.lastMs * 19)
  const fire = () => {
    slot.timer = undefined
    const at = performance.now()
    if (at < deadline && (inFlight.get(payload) ?? 0) > 0) {
      // Not quiet after all: a receipts batch is still being applied. Look again later.
      arm(Math.min(deadline, at + quietMs) - at)
      return
    }
    slot.firstAt = undefined
    rollUp({ campaignId, payload })
      .catch((err: unknown) => payload.logger.warn({ err, msg: `Could not roll up the stats of campaign ${campaignId}` }))
      .finally(() => {
        slot.lastEnd = performance.now()
        slot.lastMs = slot.lastEnd - at
      })
  }
  const arm = (ms: number) => {
    const timer = setTimeout(fire, Math.max(0, ms))
    timer.unref()
    slot.timer = timer
  }
  if (slot.timer) clearTimeout(slot.timer)
  arm(Math.min(deadline, Math.max(now + quietMs, slot.lastEnd + slot.lastMs)) - now)
}
