import type { Random } from '../domain/seed/random.js'
import type { Receipt } from '../domain/campaigns/receiptBatchSchema.js'
import type { VendorMessage, VendorMessageResult } from './messageBatchSchema.js'
import type { VendorBehaviour } from './vendorOptions.js'
import type { ReferenceAttempts, VendorStats } from './vendorStats.js'

import { emptyVendorStats } from './vendorStats.js'

/** A receipt waiting for its time (`dueAt`, epoch ms) to be called back. */
export type ScheduledReceipt = { dueAt: number; receipt: Receipt }

/** How `POST /messages` answers this time: normally, or with an injected fault. */
export type Injection = 'errorAfterSend' | 'none' | 'rateLimit' | 'serverError'

const FAILURE_REASONS = ['Mailbox unavailable', 'Recipient address rejected', 'Message rejected as spam', 'Mailbox full']

/** The simulator's memory and decisions, without I/O: de-duplication, attempt counts, outcomes, receipt times. */
export type VendorState = {
  /** Sends a batch (or answers duplicates), returning each message's result and the receipts to call back. */
  accept: (input: { messages: readonly VendorMessage[]; now: number }) => { receipts: ScheduledReceipt[]; results: VendorMessageResult[] }
  attemptsOf: (reference: string) => ReferenceAttempts
  /** Draws whether this request gets an injected fault. */
  drawInjection: () => Injection
  /** References sent more than once (most first), for exactly-once checks. */
  multiSent: (limit: number) => ReferenceAttempts[]
  reset: () => void
  readonly stats: VendorStats
}

/** The simulator's state over a behaviour (read on every call, so `PATCH /config` applies at once) and a seeded random source. */
export const createVendorState = ({ behaviour, idPrefix, random }: { behaviour: () => VendorBehaviour; idPrefix: string; random: Random }): VendorState => {
  let stats = emptyVendorStats()
  let byReference = new Map<string, ReferenceAttempts>()
  let sequence = 0 // never reset: message ids stay unique for the life of the process

  const between = ([min, max]: readonly [number, number]) => min + Math.floor(random.next() * (max - min + 1))

  /** The receipts of one send: `sent`, then the final ones; late, duplicated or reversed as configured. */
  const receiptsFor = ({ messageId, now, reference }: { messageId: string; now: number; reference: string }): ScheduledReceipt[] => {
    const b = behaviour()
    const draw = random.next()
    const outcome = draw < b.failureRate ? 'failed' : draw < b.failureRate + b.unsubscribeRate ? 'unsubscribed' : random.next() < b.deliveredRate ? 'delivered' : 'sent'
    stats.outcomes[outcome]++
    const steps: Pick<Receipt, 'error' | 'status'>[] = [{ status: 'sent' }]
    if (outcome === 'failed') steps.push({ error: FAILURE_REASONS[Math.floor(random.next() * FAILURE_REASONS.length)]!, status: 'failed' })
    if (outcome === 'delivered' || outcome === 'unsubscribed') steps.push({ status: 'delivered' })
    if (outcome === 'unsubscribed') steps.push({ status: 'unsubscribed' })
    let at = now
    // Strictly increasing times: a later step never shares the instant of an earlier one.
    const happenedAt = steps.map((_, i) => (at += between(b.receiptDelayMs) + (i > 0 ? 1 : 0)))
    const isReversed = steps.length > 1 && random.next() < b.outOfOrderRate
    // Out of order: each receipt keeps the time it happened, but they arrive final-first.
    const arrivesAt = isReversed ? [...happenedAt].reverse() : happenedAt
    const lastArrival = Math.max(...arrivesAt)
    const scheduled: ScheduledReceipt[] = []
    for (const [i, step] of steps.entries()) {
      const receipt: Receipt = { at: new Date(happenedAt[i]!).toISOString(), messageId, reference, ...step }
      let dueAt = arrivesAt[i]!
      if (step.status === 'sent' && steps.length > 1 && random.next() < b.lateRate) {
        dueAt = lastArrival + b.lateDelayMs
        stats.receipts.late++
      }
      scheduled.push({ dueAt, receipt })
      if (random.next() < b.duplicateRate) {
        scheduled.push({ dueAt: dueAt + between(b.receiptDelayMs) + 1, receipt: { ...receipt } })
        stats.receipts.duplicated++
      }
    }
    if (isReversed) stats.receipts.outOfOrder++
    stats.receipts.queued += scheduled.length
    stats.receipts.pending += scheduled.length
    return scheduled
  }

  return {
    accept: ({ messages, now }) => {
      const results: VendorMessageResult[] = []
      const receipts: ScheduledReceipt[] = []
      const { dedup } = behaviour()
      for (const { reference } of messages) {
        let seen = byReference.get(reference)
        if (!seen) {
          seen = { attempts: 0, messageIds: [], reference, sends: 0 }
          byReference.set(reference, seen)
          stats.messages.references++
        }
        seen.attempts++
        stats.messages.attempts++
        if (dedup && seen.messageIds.length > 0) {
          stats.messages.duplicates++
          results.push({ duplicate: true, messageId: seen.messageIds[0]!, reference, status: 'accepted' })
          continue
        }
        const messageId = `${idPrefix}${(++sequence).toString(36)}`
        seen.sends++
        seen.messageIds.push(messageId)
        stats.messages.sends++
        results.push({ messageId, reference, status: 'accepted' })
        receipts.push(...receiptsFor({ messageId, now, reference }))
      }
      return { receipts, results }
    },
    attemptsOf: (reference) => {
      const seen = byReference.get(reference)
      return seen ? { ...seen, messageIds: [...seen.messageIds] } : { attempts: 0, messageIds: [], reference, sends: 0 }
    },
    drawInjection: () => {
      const b = behaviour()
      const draw = random.next()
      if (draw < b.rateLimitRate) return 'rateLimit'
      if (draw < b.rateLimitRate + b.serverErrorRate) return 'serverError'
      if (draw < b.rateLimitRate + b.serverErrorRate + b.errorAfterSendRate) return 'errorAfterSend'
      return 'none'
    },
    multiSent: (limit) =>
      [...byReference.values()]
        .filter((seen) => seen.sends > 1)
        .sort((a, b) => b.sends - a.sends)
        .slice(0, limit)
        .map((seen) => ({ ...seen, messageIds: [...seen.messageIds] })),
    reset: () => {
      stats = emptyVendorStats()
      byReference = new Map()
    },
    get stats() {
      return stats
    },
  }
}
