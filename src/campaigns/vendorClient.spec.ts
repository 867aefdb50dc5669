import { describe, expect, it } from '@jest/globals'

import { readSendSettings } from './sendSettings.js'
import { backoffDelay, parseRetryAfter } from './vendorClient.js'

describe('parseRetryAfter', () => {
  it('should read delta-seconds and HTTP dates, and nothing else', () => {
    expect(parseRetryAfter('3')).toBe(3000)
    expect(parseRetryAfter(' 0 ')).toBe(0)
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Thu, 01 Jan 2025 00:00:05 GMT', now)).toBe(0)
    expect(parseRetryAfter(null)).toBeUndefined()
    expect(parseRetryAfter('soon')).toBeUndefined()
  })
})

describe('backoffDelay', () => {
  it('should double per attempt up to the cap, with jitter between half and all of the delay', () => {
    expect(backoffDelay({ attempt: 1, baseMs: 100, maxMs: 10_000, random: () => 0 })).toBe(50)
    expect(backoffDelay({ attempt: 1, baseMs: 100, maxMs: 10_000, random: () => 1 })).toBe(100)
    expect(backoffDelay({ attempt: 4, baseMs: 100, maxMs: 10_000, random: () => 1 })).toBe(800)
    expect(backoffDelay({ attempt: 20, baseMs: 100, maxMs: 1000, random: () => 1 })).toBe(1000)
  })

  it('should wait at least a Retry-After, and keep the backoff when it is longer', () => {
    expect(backoffDelay({ attempt: 1, baseMs: 100, maxMs: 10_000, random: () => 1, retryAfterMs: 3000 })).toBe(3000)
    expect(backoffDelay({ attempt: 5, baseMs: 1000, maxMs: 60_000, random: () => 1, retryAfterMs: 0 })).toBe(16_000)
  })
})

describe('readSendSettings', () => {
  it('should use defaults, clamp numbers and keep the request timeout inside the lease', () => {
    const defaults = readSendSettings({})
    expect(defaults).toMatchObject({ batchSize: 500, concurrency: 4, leaseMs: 30_000, timeoutMs: 10_000 })
    const tuned = readSendSettings({ CRM_SEND_BATCH_SIZE: '5000', CRM_SEND_LEASE_MS: '1500', CRM_SEND_RATE_PER_S: 'lots' })
    expect(tuned.batchSize).toBe(1000)
    expect(tuned.timeoutMs).toBe(500)
    expect(tuned.ratePerSecond).toBe(20_000)
  })
})
