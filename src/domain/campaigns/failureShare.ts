/**
 * The failure-share rule (docs/campaigns.md): a sending campaign pauses, with a reason a person can
 * act on, when more than `maxShare` of its outcomes failed once at least `minOutcomes` are in. Pure:
 * the caller counts the outcomes in the database and persists the pause.
 */
export type FailureShareLimit = {
  /** Largest failed share (0–1) that is still fine; 1 never pauses. */
  maxShare: number
  /** Outcomes needed before the share means anything. */
  minOutcomes: number
}

export type FailureShareCounts = {
  /** Logs that ended `failed`. */
  failed: number
  /** Logs that left `pending` (sent, delivered or failed). */
  outcomes: number
  /** Logs still to send: with none left, pausing would stop nothing. */
  pending: number
}

export type FailureShareVerdict = { share: number; shouldPause: false } | { reason: string; share: number; shouldPause: true }

const percent = (share: number): string => `${Math.round(share * 1000) / 10} %`

/** Whether the failed share of `counts` calls for a pause under `limit`, with the reason to show. */
export const judgeFailureShare = ({ counts, limit }: { counts: FailureShareCounts; limit: FailureShareLimit }): FailureShareVerdict => {
  const outcomes = Math.max(0, counts.outcomes)
  const failed = Math.min(Math.max(0, counts.failed), outcomes)
  const share = outcomes === 0 ? 0 : failed / outcomes
  if (counts.pending <= 0 || outcomes < Math.max(1, limit.minOutcomes) || !(share > limit.maxShare)) return { share, shouldPause: false }
  return {
    reason:
      `${failed} of ${outcomes} messages failed (${percent(share)}), more than the ${percent(limit.maxShare)} allowed (CRM_SEND_FAILURE_SHARE). ` +
      'Check the failure reasons in the logs, then resume or cancel.',
    share,
    shouldPause: true,
  }
}
