import type { Payload } from 'payload'

import { rollUpCampaignStats } from '../bulk/index.js'

const pending = new WeakMap<Payload, Map<number, NodeJS.Timeout>>()

/**
 * Recounts a campaign's stats shortly after receipts changed its logs, at most once per `delayMs`
 * per campaign in this process: a burst of receipt batches costs one roll-up, and the last batch
 * is always counted (the timer is set after the writes).
 */
export const scheduleRollUp = ({ campaignId, delayMs = 500, payload }: { campaignId: number; delayMs?: number; payload: Payload }): void => {
  let timers = pending.get(payload)
  if (!timers) pending.set(payload, (timers = new Map()))
  if (timers.has(campaignId)) return
  const timer = setTimeout(() => {
    timers.delete(campaignId)
    rollUpCampaignStats({ campaignId, payload }).catch((err: unknown) => payload.logger.warn({ err, msg: `Could not roll up the stats of campaign ${campaignId}` }))
  }, delayMs)
  timer.unref()
  timers.set(campaignId, timer)
}
