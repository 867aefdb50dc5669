import { describe, expect, it } from '@jest/globals'

import { readSendSettings } from './sendSettings.js'

describe('readSendSettings', () => {
  it('should default the failure share to 0.5 after 200 outcomes', () => {
    expect(readSendSettings({})).toMatchObject({ failureMinOutcomes: 200, failureShare: 0.5 })
  })

  it('should read the failure share as a fraction clamped to 0–1 and ignore unreadable values', () => {
    expect(readSendSettings({ CRM_SEND_FAILURE_MIN_OUTCOMES: '50', CRM_SEND_FAILURE_SHARE: '0.25' })).toMatchObject({ failureMinOutcomes: 50, failureShare: 0.25 })
    expect(readSendSettings({ CRM_SEND_FAILURE_SHARE: '7' }).failureShare).toBe(1)
    expect(readSendSettings({ CRM_SEND_FAILURE_SHARE: '-1' }).failureShare).toBe(0)
    expect(readSendSettings({ CRM_SEND_FAILURE_MIN_OUTCOMES: 'many', CRM_SEND_FAILURE_SHARE: 'half' })).toMatchObject({ failureMinOutcomes: 200, failureShare: 0.5 })
    expect(readSendSettings({ CRM_SEND_FAILURE_MIN_OUTCOMES: '0' }).failureMinOutcomes).toBe(1)
  })
})
