import type { Payload } from 'payload'

import { rollUpCampaignStats } from '../bulk/index.js'
import { checkFailureShare } from './checkFailureShare.js'

type Slot = { lastMs: number; timer?: NodeJS.Timeout }

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
 * the writes). The wait is `delayMs`, or nine times the last recount's duration when that is longer
 * (a million-log campaign takes a quarter second to count on SQLite): recounts then take at most
 * about a tenth of the database's time.
 */
export const scheduleRollUp = ({
  campaignId,
  delayMs = 500,
  payload,
  rollUp = rollUpAndCheck,
}: {
  campaignId: number
  delayMs?: number
  payload: Payload
  /** Test seam: what runs when the timer fires. */
  rollUp?: (args: { campaignId: number; payload: Payload }) => Promise<void>
}): void => {
  let bySlot = slots.get(payload)
  if (!bySlot) slots.set(payload, (bySlot = new Map()))
  const slot = bySlot.get(campaignId) ?? { lastMs: 0 }
  bySlot.set(campaignId, slot)
  if (slot.timer) return
  const timer = setTimeout(() => {
    slot.timer = undefined
    const started = performance.now()
    rollUp({ campaignId, payload })
      .catch((err: unknown) => payload.logger.warn({ err, msg: `Could not roll up the stats of campaign ${campaignId}` }))
      .finally(() => (slot.lastMs = performance.now() - started))
  }, Math.max(delayMs, slot.lastMs * 9))
  timer.unref()
  slot.timer = timer
}
