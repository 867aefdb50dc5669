import type { Agenda } from 'agenda'
import type { Payload, PayloadRequest } from 'payload'

import type { CampaignAction, CampaignState } from '../domain/campaigns/campaignTransitions.js'

import { rollUpCampaignStats, setCampaignStatus, snapshotCampaignAudience } from '../bulk/index.js'
import { crmOptionsOf } from '../crmOptionsOf.js'
import { isCampaignState, transitionCampaign } from '../domain/campaigns/campaignTransitions.js'
import { validateRules } from '../domain/segments/ruleSchema.js'
import { enqueueJob } from '../jobs/defineJobs.js'
import { compileAudience } from '../segments/audience.js'
import { readSendSettings } from './sendSettings.js'

export type CampaignDoc = {
  audienceAt?: null | string
  customers?: (number | string | { id: number | string })[] | null
  id: number | string
  message?: null | string
  name?: null | string
  scheduledAt?: null | string
  segment?: null | number | string | { id: number | string }
  snapshotAt?: null | string
  stats?: Record<string, null | number> | null
  status?: null | string
  statusReason?: null | string
}

export const loadCampaign = async ({ id, payload, req }: { id: number | string; payload: Payload; req?: Partial<PayloadRequest> }): Promise<CampaignDoc | null> =>
  (await payload.findByID({ collection: 'campaigns', depth: 0, disableErrors: true, id, overrideAccess: true, req })) as CampaignDoc | null

const idOf = (value: unknown): null | number | string =>
  value === null || value === undefined ? null : typeof value === 'object' ? ((value as { id?: number | string }).id ?? null) : (value as number | string)

/** Exactly one audience: a segment, or a non-empty list of hand-picked customers. A message naming the problem otherwise. */
export const audienceProblem = (campaign: Pick<CampaignDoc, 'customers' | 'segment'>): null | string => {
  const hasSegment = idOf(campaign.segment) !== null
  const picked = (campaign.customers ?? []).length
  if (hasSegment && picked > 0) return 'A campaign has exactly one audience: choose a segment or pick customers, not both.'
  if (!hasSegment && picked === 0) return 'The campaign has no audience: choose a segment or pick customers first.'
  return null
}

export type ActionResult =
  | { campaign: CampaignDoc; ok: true }
  | { message: string; ok: false; status: 400 | 404 | 409 | 503 }

/** Queues the send job (snapshot if not yet taken, then the dispatchers) to run at `runAt` (default now). */
export const queueCampaignSend = async ({ agenda, campaignId, runAt }: { agenda: Agenda; campaignId: number | string; runAt?: Date }): Promise<void> => {
  await enqueueJob({ agenda, data: { campaignId: String(campaignId) }, name: 'crm.campaignSend', runAt })
}

/**
 * Applies a person's action (`send`, `cancel`, `pause`, `resume`) to a campaign: decided by the state
 * machine, persisted with a conditional update on the state read (a concurrent change → 409), and
 * queues the work a `send` or `resume` needs. `agenda` is this process's job queue.
 */
export const applyCampaignAction = async ({
  action,
  agenda,
  id,
  req,
}: {
  action: 'cancel' | 'pause' | 'resume' | 'send'
  agenda?: Agenda
  id: number | string
  req: PayloadRequest
}): Promise<ActionResult> => {
  const { payload } = req
  const campaign = await loadCampaign({ id, payload, req })
  if (!campaign) return { message: `No campaign with id ${id}`, ok: false, status: 404 }
  const from = campaign.status
  if (!isCampaignState(from)) return { message: `The campaign has an unknown status "${String(from)}".`, ok: false, status: 409 }
  const now = new Date()
  const decision: CampaignAction =
    action === 'send'
      ? { now, scheduledAt: campaign.scheduledAt ?? undefined, type: 'send' }
      : action === 'pause'
        ? { by: 'user', type: 'pause' }
        : { type: action }
  const transition = transitionCampaign({ action: decision, from })
  if (!transition.isAllowed) return { message: transition.reason, ok: false, status: 409 }
  if (action === 'send') {
    const problem = audienceProblem(campaign)
    if (problem) return { message: problem, ok: false, status: 409 }
  }
  if ((action === 'send' || action === 'resume') && !agenda) {
    return { message: 'No job worker runs in this server process, so nothing could be sent; start the server with its job worker.', ok: false, status: 503 }
  }
  const to: CampaignState = transition.to
  const changed = await setCampaignStatus({
    audienceAt: action === 'send' && to === 'sending' ? now : undefined,
    campaignId: id,
    from,
    payload,
    reason: transition.reason,
    req,
    to,
  })
  if (!changed) return { message: 'The campaign changed while this request ran; reload it and try again.', ok: false, status: 409 }
  if (agenda && action === 'send') {
    const runAt = to === 'scheduled' && campaign.scheduledAt ? new Date(campaign.scheduledAt) : undefined
    await queueCampaignSend({ agenda, campaignId: id, runAt })
  }
  if (agenda && action === 'resume') await queueCampaignSend({ agenda, campaignId: id })
  if (action === 'cancel' && campaign.snapshotAt) await rollUpCampaignStats({ campaignId: id, payload, req })
  return { campaign: (await loadCampaign({ id, payload, req }))!, ok: true }
}

/**
 * The send job's work: starts a due scheduled campaign (re-queuing itself for a later `scheduledAt`),
 * takes the audience snapshot once, then queues the dispatchers. Safe to run again at any point.
 */
export const runCampaignSend = async ({ agenda, campaignId, payload }: { agenda: Agenda; campaignId: number | string; payload: Payload }): Promise<string> => {
  let campaign = await loadCampaign({ id: campaignId, payload })
  if (!campaign) return 'no such campaign'
  if (campaign.status === 'scheduled') {
    const now = new Date()
    const transition = transitionCampaign({ action: { now, scheduledAt: campaign.scheduledAt ?? undefined, type: 'start' }, from: 'scheduled' })
    if (!transition.isAllowed) {
      // Not due yet (its `scheduledAt` moved later): come back then.
      if (campaign.scheduledAt) await queueCampaignSend({ agenda, campaignId, runAt: new Date(campaign.scheduledAt) })
      return transition.reason
    }
    await setCampaignStatus({ audienceAt: now, campaignId, from: 'scheduled', payload, to: transition.to })
    campaign = await loadCampaign({ id: campaignId, payload })
    if (!campaign) return 'no such campaign'
  }
  if (campaign.status !== 'sending') return `campaign is ${String(campaign.status)}`
  if (!campaign.snapshotAt) {
    const problem = audienceProblem(campaign)
    const fail = async (reason: string) => {
      const transition = transitionCampaign({ action: { reason, type: 'fail' }, from: 'sending' })
      if (transition.isAllowed) await setCampaignStatus({ campaignId, from: 'sending', payload, reason: transition.reason, to: transition.to })
      return reason
    }
    if (problem) return fail(problem)
    const segmentId = idOf(campaign.segment)
    if (segmentId !== null) {
      const segment = (await payload.findByID({ collection: 'segments', depth: 0, disableErrors: true, id: segmentId, overrideAccess: true })) as { rules?: unknown } | null
      if (!segment) return fail('The campaign’s segment no longer exists.')
      const validation = validateRules(segment.rules)
      if (!validation.ok) return fail('The campaign’s segment has invalid rules; fix the segment and send a new campaign.')
      const at = campaign.audienceAt ? new Date(campaign.audienceAt) : new Date()
      const { compiled } = await compileAudience({ clock: { now: at, timeZone: crmOptionsOf(payload).storeTimezone }, payload, rules: validation.rules })
      await snapshotCampaignAudience({ audience: { ctes: compiled.ctes, kind: 'rule', where: compiled.where }, campaignId, payload })
    } else {
      await snapshotCampaignAudience({ audience: { kind: 'picked' }, campaignId, payload })
    }
  }
  const { dispatchers } = readSendSettings()
  for (let slot = 0; slot < dispatchers; slot++) {
    await enqueueJob({ agenda, data: { campaignId: String(campaignId) }, name: 'crm.campaignDispatch' })
  }
  return 'dispatching'
}
