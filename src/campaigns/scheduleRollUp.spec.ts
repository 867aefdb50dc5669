import type { Payload } from 'payload'

import { describe, expect, it } from '@jest/globals'

import { scheduleRollUp, whileReceiptBatchInFlight } from './scheduleRollUp.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('scheduleRollUp', () => {
  it('should recount once for a burst of batches, per campaign, and again for a batch after the recount started', async () => {
    const payload = {} as Payload
    const calls: number[] = []
    const rollUp = async ({ campaignId }: { campaignId: number }) => void calls.push(campaignId)
    for (let i = 0; i < 50; i++) scheduleRollUp({ campaignId: 1, delayMs: 30, payload, rollUp })
    scheduleRollUp({ campaignId: 2, delayMs: 30, payload, rollUp })
    expect(calls).toEqual([])
    await sleep(80)
    expect(calls.sort()).toEqual([1, 2])
    scheduleRollUp({ campaignId: 1, delayMs: 30, payload, rollUp })
    await sleep(80)
    expect(calls.sort()).toEqual([1, 1, 2])
  })

  it('should wait nineteen times as long as the last recount took when that is longer than the delay, under a steady stream', async () => {
    const payload = {} as Payload
    const starts: number[] = []
    const rollUp = async () => {
      starts.push(performance.now())
      await sleep(40)
    }
    const t0 = performance.now()
    scheduleRollUp({ campaignId: 1, delayMs: 10, payload, quietMs: 1000, rollUp })
    await sleep(80)
    // Batches every 20 ms (never quiet for 1 s): only the deadline can fire.
    const second = performance.now()
    for (let i = 0; i < 50; i++) {
      scheduleRollUp({ campaignId: 1, delayMs: 10, payload, quietMs: 1000, rollUp })
      await sleep(20)
    }
    await sleep(100)
    // (A third may have started if the batches ran late: the stream went on past the next deadline.)
    expect(starts.length).toBeGreaterThanOrEqual(2)
    expect(starts[0]! - t0).toBeLessThan(100)
    // The first recount took ~40 ms: the next waits ~760 ms after the first batch it waits for, not 10.
    expect(starts[1]! - second).toBeGreaterThan(700)
    expect(starts[1]! - second).toBeLessThan(1300)
  })

  it('should recount soon after the batches stop, before the delay, but no sooner than the last recount took after it ended', async () => {
    const payload = {} as Payload
    const starts: number[] = []
    const ends: number[] = []
    const rollUp = async () => {
      starts.push(performance.now())
      await sleep(100)
      ends.push(performance.now())
    }
    const t0 = performance.now()
    scheduleRollUp({ campaignId: 1, delayMs: 2000, payload, quietMs: 20, rollUp })
    while (ends.length === 0) await sleep(2)
    // Quiet: long before the 2 s delay.
    expect(starts[0]! - t0).toBeLessThan(150)
    // The recount just ended having taken ~100 ms: quiet again after 20 ms, but not before ~100 ms after it ended.
    scheduleRollUp({ campaignId: 1, delayMs: 2000, payload, quietMs: 20, rollUp })
    await sleep(600)
    expect(starts).toHaveLength(2)
    expect(starts[1]! - ends[0]!).toBeGreaterThanOrEqual(90)
    expect(starts[1]! - t0).toBeLessThan(1000)
  })

  it('should not take a pause between receipts batches for quiet while one is still in flight', async () => {
    const payload = {} as Payload
    const starts: number[] = []
    const rollUp = async () => void starts.push(performance.now())
    const t0 = performance.now()
    scheduleRollUp({ campaignId: 1, delayMs: 400, payload, quietMs: 20, rollUp })
    // A batch that takes 150 ms and touches no log of the campaign (it schedules nothing).
    await whileReceiptBatchInFlight(payload, () => sleep(150))
    expect(starts).toEqual([])
    await sleep(60)
    expect(starts).toHaveLength(1)
    expect(starts[0]! - t0).toBeGreaterThan(150)
    // The deadline fires even while batches keep the stream busy.
    const t1 = performance.now()
    scheduleRollUp({ campaignId: 1, delayMs: 200, payload, quietMs: 20, rollUp })
    await whileReceiptBatchInFlight(payload, () => sleep(300))
    expect(starts).toHaveLength(2)
    expect(starts[1]! - t1).toBeGreaterThan(190)
  })

  it('should wait out the delay without quietMs (the dispatcher pauses between its batches)', async () => {
    const payload = {} as Payload
    const starts: number[] = []
    const t0 = performance.now()
    scheduleRollUp({ campaignId: 1, delayMs: 150, payload, rollUp: async () => void starts.push(performance.now()) })
    await sleep(100)
    expect(starts).toEqual([])
    await sleep(120)
    expect(starts).toHaveLength(1)
    expect(starts[0]! - t0).toBeGreaterThan(140)
  })

  it('should log and go on when a recount fails', async () => {
    const warnings: unknown[] = []
    const payload = { logger: { warn: (entry: unknown) => warnings.push(entry) } } as unknown as Payload
    scheduleRollUp({ campaignId: 3, delayMs: 5, payload, rollUp: async () => Promise.reject(new Error('db gone')) })
    await sleep(40)
    expect(warnings).toHaveLength(1)
  })
})
