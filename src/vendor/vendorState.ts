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
  let sequence = 0 // never reset: message ids stay unique for the life of the process
  const idOf = (seq: number) => `${idPrefix}${seq.toString(36)}`

  // Per reference, compact (a million references is a normal campaign): its slot in parallel typed
  // arrays — attempts, real sends, the sequence number of its first message (its id is derived) —
  // and, only for references sent more than once (de-duplication off), the later messages' numbers.
  let slots = new Map<string, number>()
  let attempts = new Uint32Array(1024)
  let sends = new Uint32Array(1024)
  let firstSeq = new Float64Array(1024)
  let laterSeqs = new Map<number, number[]>()
  const slotOf = (reference: string): number => {
    let slot = slots.get(reference)
    if (slot !== undefined) return slot
    slot = slots.size
    if (slot === attempts.length) {
      const grow = <T extends Float64Array | Uint32Array>(array: T): T => {
        const bigger = new (array.constructor as new (length: number) => T)(array.length * 2)
        bigger.set(array)
        return bigger
      }
      attempts = grow(attempts)
      sends = grow(sends)
      firstSeq = grow(firstSeq)
    }
    slots.set(reference, slot)
    stats.messages.references++
    return slot
  }
  const attemptsAt = (reference: string, slot: number): ReferenceAttempts => ({
    attempts: attempts[slot]!,
    messageIds: sends[slot]! === 0 ? [] : [firstSeq[slot]!, ...(laterSeqs.get(slot) ?? [])].map(idOf),
    reference,
    sends: sends[slot]!,
  })

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
        const slot = slotOf(reference)
        attempts[slot]!++
        stats.messages.attempts++
        if (dedup && sends[slot]! > 0) {
          stats.messages.duplicates++
          results.push({ duplicate: true, messageId: idOf(firstSeq[slot]!), reference, status: 'accepted' })
          continue
        }
        const seq = ++sequence
        const messageId = idOf(seq)
        if (sends[slot] === 0) firstSeq[slot] = seq
        else laterSeqs.set(slot, [...(laterSeqs.get(slot) ?? []), seq])
        sends[slot]!++
        stats.messages.sends++
        results.push({ messageId, reference, status: 'accepted' })
        receipts.push(...receiptsFor({ messageId, now, reference }))
      }
      return { receipts, results }
    },
    attemptsOf: (reference) => {
      const slot = slots.get(reference)
      return slot === undefined ? { attempts: 0, messageIds: [], reference, sends: 0 } : attemptsAt(reference, slot)
    },
    drawInjection: () => {
      const b = behaviour()
      const draw = random.next()
      if (draw < b.rateLimitRate) return 'rateLimit'
      if (draw < b.rateLimitRate + b.serverErrorRate) return 'serverError'
      if (draw < b.rateLimitRate + b.serverErrorRate + b.errorAfterSendRate) return 'errorAfterSend'
      return 'none'
    },
    multiSent: (limit) => {
      const slotsSentAgain = new Set(laterSeqs.keys())
      return [...slots]
        .filter(([, slot]) => slotsSentAgain.has(slot))
        .map(([reference, slot]) => attemptsAt(reference, slot))
        .sort((a, b) => b.sends - a.sends)
        .slice(0, limit)
    },
    reset: () => {
      stats = emptyVendorStats()
      slots = new Map()
      attempts = new Uint32Array(1024)
      sends = new Uint32Array(1024)
      firstSeq = new Float64Array(1024)
      laterSeqs = new Map()
    },
    get stats() {
      return stats
    },
  }
}
