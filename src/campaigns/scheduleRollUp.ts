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

/**
 * Recounts a campaign's stats (and checks its failure share) shortly after receipts or a dispatched
 * batch changed its logs: at most one recount per campaign and process is waiting at a time, so a
 * burst of batches costs one recount, and the last batch is always counted (the timer is set after
 * the writes). The recount runs at whichever comes first:
 *
 * - `delayMs` after the first batch it waits for, or nine times the last recount's duration when that
 *   is longer (a million-log campaign takes a quarter second to count on SQLite): under a steady
 *   stream of batches, recounts take at most about a tenth of the database's time;
 * - `quietMs` after the latest batch, once the batches stop coming (the stream went quiet), but no
 *   sooner than three times the last recount's duration after it ended: the stats catch up with the
 *   last batch of a burst without waiting out the delay, and a trickle of batches spaced just over
 *   `quietMs` apart still leaves the database at least three quarters of its time.
 */
export const scheduleRollUp = ({
  campaignId,
  delayMs = 500,
  payload,
  quietMs = 100,
  rollUp = rollUpAndCheck,
}: {
  campaignId: number
  delayMs?: number
  payload: Payload
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
  const deadline = slot.firstAt + Math.max(delayMs, slot.lastMs * 9)
  const quietAt = Math.max(now + quietMs, slot.lastEnd + slot.lastMs * 3)
  if (slot.timer) clearTimeout(slot.timer)
  const timer = setTimeout(
    () => {
      slot.timer = undefined
      slot.firstAt = undefined
      const started = performance.now()
      rollUp({ campaignId, payload })
        .catch((err: unknown) => payload.logger.warn({ err, msg: `Could not roll up the stats of campaign ${campaignId}` }))
        .finally(() => {
          slot.lastEnd = performance.now()
          slot.lastMs = slot.lastEnd - started
        })
    },
    Math.max(0, Math.min(deadline, quietAt) - now),
  )
  timer.unref()
  slot.timer = timer
}
