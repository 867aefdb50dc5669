import type { CampaignState } from './campaignTransitions.js'

import { isCampaignState, transitionCampaign } from './campaignTransitions.js'

/**
 * What the campaign editor shows, as pure functions of the campaign's state and stats: which
 * buttons the state table allows, the progress bar's parts, rates and labels. No React, no I/O.
 */

export type CampaignStats = { audience: number; delivered: number; failed: number; pending: number; sent: number; skipped: number }

/** The action buttons, each shown only when the state table allows it for this campaign now. */
export type CampaignButtons = {
  cancel: boolean
  pause: boolean
  resume: boolean
  /** "Schedule": a draft whose `scheduledAt` is in the future (send would schedule it). */
  schedule: boolean
  /** "Send now": a draft with no (or a past) `scheduledAt`. */
  sendNow: boolean
  /** "Send test to me": any campaign not yet final. */
  testSend: boolean
}

const NO_BUTTONS: CampaignButtons = { cancel: false, pause: false, resume: false, schedule: false, sendNow: false, testSend: false }

/**
 * The buttons a user sees. Viewers (`canWrite: false`) and unsaved campaigns (`isSaved: false`) see
 * none; everyone else sees those the state table allows (`transitionCampaign`).
 */
export const campaignButtons = ({
  canWrite,
  isSaved,
  now,
  scheduledAt,
  status,
}: {
  canWrite: boolean
  isSaved: boolean
  now: Date
  scheduledAt?: Date | null | string
  status: unknown
}): CampaignButtons => {
  if (!canWrite || !isSaved || !isCampaignState(status)) return NO_BUTTONS
  const allows = (type: 'cancel' | 'pause' | 'resume') => transitionCampaign({ action: type === 'pause' ? { by: 'user', type } : { type }, from: status }).isAllowed
  const send = transitionCampaign({ action: { now, scheduledAt: scheduledAt ?? undefined, type: 'send' }, from: status })
  return {
    cancel: allows('cancel'),
    pause: allows('pause'),
    resume: allows('resume'),
    schedule: send.isAllowed && send.to === 'scheduled',
    sendNow: send.isAllowed && send.to === 'sending',
    testSend: status === 'draft' || status === 'scheduled' || status === 'sending' || status === 'paused',
  }
}

/** The editor keeps polling progress while the campaign can still change by itself. */
export const isCampaignLive = (status: unknown): boolean => status === 'sending' || status === 'scheduled'

const LABELS: Record<CampaignState, string> = {
  cancelled: 'Cancelled',
  completed: 'Completed',
  draft: 'Draft',
  failed: 'Failed',
  paused: 'Paused',
  scheduled: 'Scheduled',
  sending: 'Sending',
}

export const campaignStatusLabel = (status: unknown): string => (isCampaignState(status) ? LABELS[status] : 'Unknown')

/** A share as a rounded percentage, or null when there is nothing to divide by. */
const share = (part: number, whole: number): null | number => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null)

export type CampaignRates = {
  /** delivered ÷ sent (what reached people of what the vendor took). */
  deliveryRate: null | number
  /** (audience − pending) ÷ audience. */
  done: null | number
  /** failed ÷ (sent + failed): of the messages with an outcome, how many failed. */
  failureRate: null | number
}

export const campaignRates = (stats: CampaignStats): CampaignRates => ({
  deliveryRate: share(stats.delivered, stats.sent),
  done: share(stats.audience - stats.pending, stats.audience),
  failureRate: share(stats.failed, stats.sent + stats.failed),
})

/** `87.5 %`, or `–` for no figure. */
export const formatRate = (rate: null | number): string => (rate === null ? '–' : `${rate} %`)

export type ProgressPart = { count: number; key: 'delivered' | 'failed' | 'pending' | 'sent'; label: string; percent: number }

/**
 * The progress bar's parts, which add up to the audience: delivered, sent but not (yet) delivered,
 * failed, pending. Percentages of the audience, rounded to 0.1 (all 0 for an empty audience).
 */
export const progressParts = (stats: CampaignStats): ProgressPart[] => {
  const parts: Omit<ProgressPart, 'percent'>[] = [
    { count: stats.delivered, key: 'delivered', label: 'Delivered' },
    { count: Math.max(0, stats.sent - stats.delivered), key: 'sent', label: 'Sent, not yet delivered' },
    { count: stats.failed, key: 'failed', label: 'Failed' },
    { count: stats.pending, key: 'pending', label: 'Pending' },
  ]
  return parts.map((part) => ({ ...part, percent: share(part.count, stats.audience) ?? 0 }))
}

/** The confirmation asked before a send: the audience and who is left out. */
export const sendConfirmation = ({ audience, isSchedule, scheduledAt, skipped }: { audience: number; isSchedule: boolean; scheduledAt?: null | string; skipped: number }): string => {
  const people = `${audience} ${audience === 1 ? 'customer' : 'customers'}`
  const left = skipped > 0 ? ` ${skipped} opted-out ${skipped === 1 ? 'customer is' : 'customers are'} skipped.` : ' Nobody is skipped for opting out.'
  const when = isSchedule && scheduledAt ? `Schedule this campaign for ${people} at ${scheduledAt}?` : `Send this campaign now to ${people}?`
  return `${when}${left}`
}

/**
 * The admin's communication-log list for one campaign, optionally of one status (a query string
 * in Payload's list format: `?where[and][0][campaign][equals]=…`).
 */
export const communicationLogQuery = ({ campaignId, status }: { campaignId: number | string; status?: 'delivered' | 'failed' | 'pending' | 'sent' }): string => {
  const parts = [`where[and][0][campaign][equals]=${encodeURIComponent(String(campaignId))}`]
  if (status) parts.push(`where[and][1][status][equals]=${status}`)
  return `?${parts.map((part) => part.replace(/\[/g, '%5B').replace(/\]/g, '%5D')).join('&')}`
}
