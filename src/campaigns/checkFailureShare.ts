import type { Payload } from 'payload'

import type { RolledUpStats } from '../bulk/index.js'
import type { SendSettings } from './sendSettings.js'

import { setCampaignStatus } from '../bulk/index.js'
import { transitionCampaign } from '../domain/campaigns/campaignTransitions.js'
import { judgeFailureShare } from '../domain/campaigns/failureShare.js'
import { readSendSettings } from './sendSettings.js'

/**
 * Pauses a sending campaign whose failed share is over `CRM_SEND_FAILURE_SHARE` once
 * `CRM_SEND_FAILURE_MIN_OUTCOMES` outcomes are in (since it last started or resumed sending, so a
 * resumed campaign is judged afresh), with the reason in `statusReason`. Takes the stats of a
 * roll-up that just ran; returns whether this call paused the campaign. The dispatchers notice the
 * pause at their next batch.
 */
export const checkFailureShare = async ({
  campaignId,
  payload,
  settings = readSendSettings(),
  stats,
}: {
  campaignId: number | string
  payload: Payload
  settings?: Pick<SendSettings, 'failureMinOutcomes' | 'failureShare'>
  stats: RolledUpStats
}): Promise<boolean> => {
  if (stats.status !== 'sending') return false
  const verdict = judgeFailureShare({
    counts: { failed: stats.sinceStatusChange.failed, outcomes: stats.sinceStatusChange.outcomes, pending: stats.pending },
    limit: { maxShare: settings.failureShare, minOutcomes: settings.failureMinOutcomes },
  })
  if (!verdict.shouldPause) return false
  const transition = transitionCampaign({ action: { by: 'threshold', reason: verdict.reason, type: 'pause' }, from: 'sending' })
  if (!transition.isAllowed) return false
  const paused = await setCampaignStatus({ campaignId, from: 'sending', payload, reason: transition.reason ?? verdict.reason, to: transition.to })
  if (paused) payload.logger.warn({ msg: `Campaign ${campaignId} paused: ${verdict.reason}` })
  return paused
}
