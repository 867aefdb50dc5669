import { campaignRates, offlineCampaignSummary } from './campaignSummary.js'

const stats = { audience: 100, delivered: 70, failed: 25, pending: 0, sent: 75, skipped: 3 }

describe('offlineCampaignSummary', () => {
  it('should state the rates, the top reasons and the comparison', () => {
    const text = offlineCampaignSummary({
      failureReasons: [{ count: 20, reason: 'Mailbox full' }, { count: 5, reason: 'Invalid number' }],
      name: 'Spring',
      previous: { averageAudience: 80, averageDeliveryRate: 0.8, averageFailureRate: 0.1, campaigns: 4 },
      stats,
      status: 'completed',
    })
    expect(text).toContain('"Spring" (completed) reached 100 customers: 70 delivered (70.0%), 25 failed (25.0%), 3 skipped')
    expect(text).toContain('Failures by reason: Mailbox full (20), Invalid number (5).')
    expect(text).toContain('Delivery was 10.0 points worse than the average of the previous 4 campaigns (80.0% delivered, 10.0% failed, 80 recipients on average).')
    expect(text).toContain('The failure rate is high')
  })

  it('should say when there is nothing to compare with, and cope with an empty audience', () => {
    const text = offlineCampaignSummary({ failureReasons: [], name: 'Empty', previous: null, stats: { ...stats, audience: 0, delivered: 0, failed: 0, sent: 0 }, status: 'cancelled' })
    expect(text).toContain('reached 0 customers: 0 delivered (0.0%)')
    expect(text).toContain('no earlier finished campaigns')
    expect(campaignRates({ ...stats, audience: 0 })).toEqual({ deliveryRate: 0, failureRate: 0 })
  })
})
