import { describe, expect, it } from '@jest/globals'

import { judgeFailureShare } from './failureShare.js'

const limit = { maxShare: 0.5, minOutcomes: 200 }

describe('judgeFailureShare', () => {
  it('should pause when the failed share exceeds the limit after enough outcomes, with a reason naming the counts', () => {
    const verdict = judgeFailureShare({ counts: { failed: 150, outcomes: 200, pending: 10 }, limit })
    expect(verdict.shouldPause).toBe(true)
    expect(verdict.share).toBe(0.75)
    if (verdict.shouldPause) expect(verdict.reason).toBe('150 of 200 messages failed (75 %), more than the 50 % allowed (CRM_SEND_FAILURE_SHARE). Check the failure reasons in the logs, then resume or cancel.')
  })

  it.each([
    ['fewer outcomes than the minimum', { failed: 199, outcomes: 199, pending: 10 }],
    ['a share exactly at the limit', { failed: 100, outcomes: 200, pending: 10 }],
    ['a share under the limit', { failed: 99, outcomes: 200, pending: 10 }],
    ['nothing left to send', { failed: 200, outcomes: 200, pending: 0 }],
    ['no outcomes at all', { failed: 0, outcomes: 0, pending: 10 }],
  ])('should not pause with %s', (_, counts) => {
    expect(judgeFailureShare({ counts, limit }).shouldPause).toBe(false)
  })

  it('should never pause with a limit of 1, and pause on the first failure with a limit of 0', () => {
    expect(judgeFailureShare({ counts: { failed: 500, outcomes: 500, pending: 1 }, limit: { maxShare: 1, minOutcomes: 1 } }).shouldPause).toBe(false)
    expect(judgeFailureShare({ counts: { failed: 1, outcomes: 300, pending: 1 }, limit: { maxShare: 0, minOutcomes: 200 } }).shouldPause).toBe(true)
    expect(judgeFailureShare({ counts: { failed: 0, outcomes: 300, pending: 1 }, limit: { maxShare: 0, minOutcomes: 200 } }).shouldPause).toBe(false)
  })

  it('should treat a minimum of 0 as 1 and clamp impossible counts', () => {
    expect(judgeFailureShare({ counts: { failed: 0, outcomes: 0, pending: 5 }, limit: { maxShare: 0, minOutcomes: 0 } }).shouldPause).toBe(false)
    const verdict = judgeFailureShare({ counts: { failed: 9, outcomes: 3, pending: 5 }, limit: { maxShare: 0.5, minOutcomes: 1 } })
    expect(verdict).toMatchObject({ share: 1, shouldPause: true })
  })
})
