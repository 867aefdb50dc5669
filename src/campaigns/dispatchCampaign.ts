import type { Payload } from 'payload'

import { randomUUID } from 'node:crypto'

import type { ClaimedLog, SentLog } from '../bulk/index.js'
import type { CompiledTemplate } from '../domain/templates/index.js'
import type { SendSettings } from './sendSettings.js'

import {
  claimPendingLogs,
  countPendingLogs,
  readCustomersForTemplate,
  recordSentLogs,
  releaseLogClaims,
  renewLogClaims,
  rollUpCampaignStats,
  setCampaignStatus,
  takeSendTokens,
} from '../bulk/index.js'
import { crmOptionsOf } from '../crmOptionsOf.js'
import { transitionCampaign } from '../domain/campaigns/campaignTransitions.js'
import { compileTemplate, renderTemplate } from '../domain/templates/index.js'
import { scheduleRollUp } from './scheduleRollUp.js'
import { backoffDelay, postMessages } from './vendorClient.js'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

type CampaignRow = { id: number | string; message?: null | string; status?: null | string }

const readCampaign = async (payload: Payload, campaignId: number | string): Promise<CampaignRow | null> =>
  payload.db.findOne<CampaignRow>({ collection: 'campaigns', select: { message: true, status: true }, where: { id: { equals: campaignId } } })

export type DispatchArgs = {
  campaignId: number | string
  payload: Payload
  settings: SendSettings
  /** Renews the job's lock and records progress (0–100). */
  touch?: (percent: number) => Promise<void>
  vendorUrl: string
  workerName: string
}

export type DispatchOutcome = 'completed' | 'not-sending' | 'paused'

/**
 * Sends a campaign's pending logs: claims batches (shared with other workers through leases), renders
 * each recipient's message, takes the batch from the shared rate window, posts it to the vendor with
 * retries (exponential backoff and jitter, honouring Retry-After), records the answer, and pauses the
 * campaign after `failureThreshold` consecutive failed batches. Re-checks the campaign's status before
 * every batch, so a pause or cancel stops it within one batch. Returns when nothing is pending (the
 * campaign is then `completed`) or the campaign left `sending`.
 */
export const dispatchCampaign = async ({ campaignId, payload, settings, touch, vendorUrl, workerName: worker }: DispatchArgs): Promise<DispatchOutcome> => {
  // Claims name this run, not just the process: two dispatch jobs of one worker never renew each other's.
  const workerName = `${worker}:${randomUUID().slice(0, 8)}`
  const first = await readCampaign(payload, campaignId)
  if (first?.status !== 'sending') return 'not-sending'
  const compiled = compileTemplate({ source: first.message ?? '', timeZone: crmOptionsOf(payload).storeTimezone })
  if (!compiled.isValid) {
    await setCampaignStatus({ campaignId, from: 'sending', payload, reason: `The message template is invalid: ${compiled.errors[0]?.message ?? ''}`, to: 'failed' })
    return 'not-sending'
  }
  const template = compiled.template
  let consecutiveFailures = 0
  let stopped: DispatchOutcome | null = null
  let lastTouch = Date.now()
  const keepAlive = async () => {
    if (touch && Date.now() - lastTouch > Math.min(5000, settings.leaseMs / 3)) {
      lastTouch = Date.now()
      await touch(50)
    }
  }

  const pause = async (reason: string) => {
    const transition = transitionCampaign({ action: { by: 'threshold', reason, type: 'pause' }, from: 'sending' })
    if (transition.isAllowed) await setCampaignStatus({ campaignId, from: 'sending', payload, reason: transition.reason ?? reason, to: transition.to })
    stopped = 'paused'
  }

  /** One batch: render, rate-limit, post with retries, record. */
  const sendBatch = async (all: ClaimedLog[], claimedAt: number): Promise<void> => {
    const customers = await readCustomersForTemplate({
      columns: template.columns,
      ids: all.flatMap((log) => (log.customerId === null ? [] : [log.customerId])),
      payload,
    })
    const texts = new Map<number, string>()
    for (const log of all) texts.set(log.id, renderTemplate({ customer: customers.get(log.customerId ?? -1) ?? {}, template: template as CompiledTemplate }))
    let waited = false
    for (;;) {
      const waitMs = await takeSendTokens({ count: all.length, payload, perSecond: settings.ratePerSecond })
      if (waitMs === 0) break
      waited = true
      await sleep(waitMs)
    }
    // A batch that waited for the rate window checks again that the campaign is still sending: a
    // pause or cancel meanwhile lets its logs go back unsent (otherwise every lane's waiting batch
    // would still go out after the pause, one rate window after another).
    if (waited && (await readCampaign(payload, campaignId))?.status !== 'sending') {
      await releaseLogClaims({ ids: all.map((log) => log.id), payload })
      stopped = 'not-sending'
      return
    }
    // Right before sending, a batch claimed a while ago (a stall — a busy database, a slow render, a
    // wait for the rate window) renews its lease and keeps only the logs still ours: another worker
    // may have taken some over and sends those. A fresh claim holds through the request (the request
    // times out within a third of the lease), so it skips that write: one write fewer per log.
    const isFresh = Date.now() - claimedAt < settings.leaseMs / 3
    const held = isFresh ? null : new Set(await renewLogClaims({ ids: all.map((log) => log.id), leaseMs: settings.leaseMs, messages: texts, payload, workerName }))
    const claimed = held ? all.filter((log) => held.has(log.id)) : all
    if (claimed.length === 0) return
    const ids = claimed.map((log) => log.id)
    const messages = claimed.map((log) => ({ reference: log.reference, text: texts.get(log.id) ?? '', to: log.recipient ?? '' }))
    let lastReason = ''
    for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
      const answer = await postMessages({ messages, timeoutMs: settings.timeoutMs, url: vendorUrl })
      if (answer.kind === 'accepted') {
        const byRef = new Map(answer.results.map((result) => [result.reference, result]))
        const sent: SentLog[] = []
        const missing: number[] = []
        for (const log of claimed) {
          const result = byRef.get(log.reference)
          if (result && (result.status === undefined || result.status === 'accepted')) sent.push({ id: log.id, message: texts.get(log.id) ?? '', messageId: result.messageId, outcome: 'sent' })
          else if (result) sent.push({ error: `vendor answered ${String(result.status)}`, id: log.id, message: texts.get(log.id) ?? '', outcome: 'failed' })
          else missing.push(log.id)
        }
        await recordSentLogs({ logs: sent, payload })
        if (missing.length > 0) await releaseLogClaims({ ids: missing, payload })
        consecutiveFailures = 0
        scheduleRollUp({ campaignId: Number(campaignId), payload })
        return
      }
      if (answer.kind === 'refused') {
        await recordSentLogs({ logs: claimed.map((log) => ({ error: answer.reason, id: log.id, message: texts.get(log.id) ?? '', outcome: 'failed' })), payload })
        scheduleRollUp({ campaignId: Number(campaignId), payload })
        consecutiveFailures++
        if (consecutiveFailures >= settings.failureThreshold) await pause(`The vendor refused ${consecutiveFailures} batches in a row; last: ${answer.reason}`)
        return
      }
      lastReason = answer.reason
      if (attempt === settings.maxAttempts) break
      const delay = backoffDelay({ attempt, baseMs: settings.retryBaseMs, maxMs: settings.retryMaxMs, retryAfterMs: answer.retryAfterMs })
      // Keep the batch ours while we wait (the lease must outlive the wait).
      await renewLogClaims({ ids, leaseMs: settings.leaseMs + delay, payload, workerName })
      await sleep(delay)
      await keepAlive()
    }
    // Transport errors on every try: the batch goes back (not before a pause), nothing is marked failed.
    await releaseLogClaims({ ids, payload, retryAt: new Date(Date.now() + settings.retryMaxMs) })
    consecutiveFailures++
    if (consecutiveFailures >= settings.failureThreshold) {
      await pause(`The vendor could not be reached for ${consecutiveFailures} batches in a row (${settings.maxAttempts} tries each); last: ${lastReason}`)
    }
  }

  // The highest log id any lane of this run has claimed (claims go on from there).
  let claimedUpTo = 0

  /** One lane of the bounded concurrency: claims and sends until nothing is claimable. */
  const lane = async (): Promise<void> => {
    while (!stopped) {
      const current = await readCampaign(payload, campaignId)
      if (current?.status !== 'sending') {
        stopped = 'not-sending'
        return
      }
      const claimedAt = Date.now()
      const claim = (afterId: number) => claimPendingLogs({ afterId, campaignId, leaseMs: settings.leaseMs, limit: settings.batchSize, payload, workerName })
      // Onwards from the highest id this run has claimed; once that range is dry, from the start
      // (logs released for a retry, or left by a worker that died, lie below it).
      let claimed = await claim(claimedUpTo)
      if (claimed.length === 0 && claimedUpTo > 0) claimed = await claim(0)
      if (claimed.length === 0) return
      claimedUpTo = Math.max(claimedUpTo, claimed[claimed.length - 1]!.id)
      await sendBatch(claimed, claimedAt)
      await keepAlive()
    }
  }

  for (;;) {
    await Promise.all(Array.from({ length: settings.concurrency }, lane))
    if (stopped) {
      await rollUpCampaignStats({ campaignId, payload })
      return stopped
    }
    const pending = await countPendingLogs({ campaignId, payload })
    if (pending === 0) break
    // Others hold the rest (or a failed batch waits out its delay): wait for them to finish or lapse.
    scheduleRollUp({ campaignId: Number(campaignId), payload })
    await sleep(Math.min(1000, settings.leaseMs / 4))
    await keepAlive()
  }
  const stats = await rollUpCampaignStats({ campaignId, payload })
  const transition = transitionCampaign({ action: { pending: stats.pending, type: 'complete' }, from: 'sending' })
  if (transition.isAllowed && (await setCampaignStatus({ campaignId, from: 'sending', payload, to: transition.to }))) return 'completed'
  return 'not-sending'
}
