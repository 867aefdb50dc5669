/**
 * The campaign state machine of the contract ("Campaigns and delivery"), as a pure function.
 * The server asks it before every status change and answers 409 with `reason` on a refusal.
 *
 * ```
 * draft ──send (scheduledAt in the future)──▶ scheduled ──start (due)──▶ sending
 * draft ──send (no or past scheduledAt)─────────────────────────────────▶ sending
 * sending ──pause (by hand, or the failure threshold with a reason)──▶ paused ──resume──▶ sending
 * sending ──complete (no log pending)──▶ completed
 * draft | scheduled | sending | paused ──cancel──▶ cancelled
 * scheduled | sending ──fail (the pipeline cannot go on)──▶ failed
 * ```
 * Everything else is refused. `completed`, `cancelled` and `failed` are final.
 */

/** Campaign states, in the order of the contract (same values as the `status` field). */
export const CAMPAIGN_STATES = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled', 'failed'] as const

export type CampaignState = (typeof CAMPAIGN_STATES)[number]

/** States no action leaves. */
export const FINAL_CAMPAIGN_STATES: readonly CampaignState[] = ['completed', 'cancelled', 'failed']

/** What can happen to a campaign: people `send`, `cancel`, `pause`, `resume`; the pipeline `start`s, `pause`s, `complete`s, `fail`s. */
export type CampaignAction =
  /** `POST /campaigns/<id>/send`: schedules when `scheduledAt` is after `now`, else sends now. */
  | { now: Date; scheduledAt?: Date | null | string; type: 'send' }
  /** `POST /campaigns/<id>/cancel`. */
  | { type: 'cancel' }
  /** By hand (`by: 'user'`) or by the failure threshold (`by: 'threshold'`, with the reason shown to people). */
  | { by: 'threshold' | 'user'; reason?: string; type: 'pause' }
  | { type: 'resume' }
  /** The scheduler, once `scheduledAt` has come. */
  | { now: Date; scheduledAt?: Date | null | string; type: 'start' }
  /** The pipeline, after counting the campaign's `pending` logs. */
  | { pending: number; type: 'complete' }
  /** The pipeline, when it cannot go on (why, for people). */
  | { reason: string; type: 'fail' }

export type CampaignActionType = CampaignAction['type']

export const CAMPAIGN_ACTIONS: readonly CampaignActionType[] = ['send', 'cancel', 'pause', 'resume', 'start', 'complete', 'fail']

/** An allowed change: the new state, and the reason to store with it (pause by the threshold, fail). */
export type CampaignTransition = { from: CampaignState; isAllowed: true; reason?: string; to: CampaignState }

/** A refused change: answer `status` (409) with `reason` as the error message. */
export type CampaignRefusal = { from: CampaignState; isAllowed: false; reason: string; status: 409 }

const allow = (from: CampaignState, to: CampaignState, reason?: string): CampaignTransition =>
  reason === undefined ? { from, isAllowed: true, to } : { from, isAllowed: true, reason, to }

const refuse = (from: CampaignState, reason: string): CampaignRefusal => ({ from, isAllowed: false, reason, status: 409 })

/** `scheduledAt` as epoch ms, or `undefined` when absent or not a date. */
const timeOf = (value: Date | null | string | undefined): number | undefined => {
  if (value === null || value === undefined || value === '') return undefined
  const ms = (value instanceof Date ? value : new Date(value)).getTime()
  return Number.isNaN(ms) ? undefined : ms
}

const FINAL_REASON: Record<string, string> = {
  cancelled: 'The campaign was cancelled; it cannot change any more.',
  completed: 'The campaign has completed; it cannot change any more.',
  failed: 'The campaign failed; it cannot change any more.',
}

const send = (from: CampaignState, action: Extract<CampaignAction, { type: 'send' }>) => {
  if (from === 'scheduled') return refuse(from, 'The campaign is already scheduled; cancel it to stop it.')
  if (from === 'sending') return refuse(from, 'The campaign is already sending.')
  if (from === 'paused') return refuse(from, 'The campaign is paused; resume it instead.')
  if (from !== 'draft') return refuse(from, FINAL_REASON[from]!)
  const at = timeOf(action.scheduledAt)
  return at !== undefined && at > action.now.getTime() ? allow(from, 'scheduled') : allow(from, 'sending')
}

const start = (from: CampaignState, action: Extract<CampaignAction, { type: 'start' }>) => {
  if (from !== 'scheduled') return refuse(from, `Only a scheduled campaign can be started by the scheduler (this one is ${from}).`)
  const at = timeOf(action.scheduledAt)
  if (at !== undefined && at > action.now.getTime()) {
    return refuse(from, `The campaign is not due until ${new Date(at).toISOString()}.`)
  }
  return allow(from, 'sending')
}

const pause = (from: CampaignState, action: Extract<CampaignAction, { type: 'pause' }>) => {
  if (from === 'paused') return refuse(from, 'The campaign is already paused.')
  if (from !== 'sending') return refuse(from, `Only a sending campaign can be paused (this one is ${from}).`)
  const reason = action.reason?.trim() || (action.by === 'threshold' ? 'Too many messages failed.' : undefined)
  return allow(from, 'paused', reason)
}

const complete = (from: CampaignState, action: Extract<CampaignAction, { type: 'complete' }>) => {
  if (from !== 'sending') return refuse(from, `Only a sending campaign can complete (this one is ${from}).`)
  if (!(action.pending === 0)) return refuse(from, `The campaign still has ${action.pending} pending message(s).`)
  return allow(from, 'completed')
}

/**
 * Decides one action on a campaign in state `from`: the state to move to, or a refusal (409) with a
 * reason a person can act on. Pure: the caller loads the state and persists the result (with a
 * conditional update on `from`, so two concurrent actions cannot both win).
 */
export const transitionCampaign = ({ action, from }: { action: CampaignAction; from: CampaignState }): CampaignRefusal | CampaignTransition => {
  switch (action.type) {
    case 'send':
      return send(from, action)
    case 'cancel':
      return FINAL_REASON[from] ? refuse(from, FINAL_REASON[from]) : allow(from, 'cancelled')
    case 'pause':
      return pause(from, action)
    case 'resume':
      return from === 'paused' ? allow(from, 'sending') : refuse(from, `Only a paused campaign can be resumed (this one is ${from}).`)
    case 'start':
      return start(from, action)
    case 'complete':
      return complete(from, action)
    case 'fail':
      return from === 'scheduled' || from === 'sending'
        ? allow(from, 'failed', action.reason.trim() || 'The send pipeline could not go on.')
        : refuse(from, `Only a scheduled or sending campaign can fail (this one is ${from}).`)
  }
}

/** `true` for a state name of the contract (use it to narrow a stored `status`). */
export const isCampaignState = (value: unknown): value is CampaignState =>
  typeof value === 'string' && (CAMPAIGN_STATES as readonly string[]).includes(value)
