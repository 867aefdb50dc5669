import { campaignButtons, campaignRates, campaignStatusLabel, communicationLogQuery, formatRate, isCampaignLive, progressParts, sendConfirmation } from './campaignView.js'

const now = new Date('2026-03-01T10:00:00Z')
const stats = (over: Partial<Record<'audience' | 'delivered' | 'failed' | 'pending' | 'sent' | 'skipped', number>> = {}) => ({
  audience: 0,
  delivered: 0,
  failed: 0,
  pending: 0,
  sent: 0,
  skipped: 0,
  ...over,
})

describe('campaignButtons', () => {
  const on = (b: ReturnType<typeof campaignButtons>) => Object.entries(b).filter(([, v]) => v).map(([k]) => k).sort()

  it.each([
    ['draft', null, ['cancel', 'sendNow', 'testSend']],
    ['draft', '2026-03-02T10:00:00Z', ['cancel', 'schedule', 'testSend']],
    ['draft', '2026-02-01T10:00:00Z', ['cancel', 'sendNow', 'testSend']],
    ['scheduled', '2026-03-02T10:00:00Z', ['cancel', 'testSend']],
    ['sending', null, ['cancel', 'pause', 'testSend']],
    ['paused', null, ['cancel', 'resume', 'testSend']],
    ['completed', null, []],
    ['cancelled', null, []],
    ['failed', null, []],
    ['nonsense', null, []],
  ])('should follow the state table for %s (scheduledAt %s)', (status, scheduledAt, expected) => {
    expect(on(campaignButtons({ canWrite: true, isSaved: true, now, scheduledAt, status }))).toEqual(expected)
  })

  it('should show a viewer and an unsaved campaign no buttons', () => {
    expect(on(campaignButtons({ canWrite: false, isSaved: true, now, status: 'draft' }))).toEqual([])
    expect(on(campaignButtons({ canWrite: true, isSaved: false, now, status: 'draft' }))).toEqual([])
  })
})

describe('rates and progress', () => {
  it('should compute delivery, failure and done rates and leave them empty for nothing', () => {
    expect(campaignRates(stats({ audience: 10, delivered: 6, failed: 2, pending: 0, sent: 8 }))).toEqual({ deliveryRate: 75, done: 100, failureRate: 20 })
    expect(campaignRates(stats())).toEqual({ deliveryRate: null, done: null, failureRate: null })
    expect(campaignRates(stats({ audience: 3, pending: 2, sent: 1 })).done).toBe(33.3)
    expect(formatRate(87.5)).toBe('87.5 %')
    expect(formatRate(null)).toBe('–')
  })

  it('should split the bar into parts that add up to the audience', () => {
    const parts = progressParts(stats({ audience: 8, delivered: 3, failed: 1, pending: 2, sent: 5 }))
    expect(parts.map((p) => [p.key, p.count, p.percent])).toEqual([
      ['delivered', 3, 37.5],
      ['sent', 2, 25],
      ['failed', 1, 12.5],
      ['pending', 2, 25],
    ])
    expect(parts.reduce((sum, p) => sum + p.count, 0)).toBe(8)
    expect(progressParts(stats()).every((p) => p.percent === 0)).toBe(true)
  })

  it('should poll only while the campaign can change by itself', () => {
    expect(['draft', 'scheduled', 'sending', 'paused', 'completed'].filter(isCampaignLive)).toEqual(['scheduled', 'sending'])
    expect(campaignStatusLabel('paused')).toBe('Paused')
    expect(campaignStatusLabel(3)).toBe('Unknown')
  })
})

describe('texts and links', () => {
  it('should state the audience and the skipped count in the confirmation', () => {
    expect(sendConfirmation({ audience: 12, isSchedule: false, skipped: 2 })).toBe('Send this campaign now to 12 customers? 2 opted-out customers are skipped.')
    expect(sendConfirmation({ audience: 1, isSchedule: true, scheduledAt: '2026-03-02 10:00', skipped: 0 })).toBe(
      'Schedule this campaign for 1 customer at 2026-03-02 10:00? Nobody is skipped for opting out.',
    )
  })

  it('should build the communication-log filter in Payload’s list query format', () => {
    expect(communicationLogQuery({ campaignId: 7, status: 'failed' })).toBe('?where%5Band%5D%5B0%5D%5Bcampaign%5D%5Bequals%5D=7&where%5Band%5D%5B1%5D%5Bstatus%5D%5Bequals%5D=failed')
    expect(decodeURIComponent(communicationLogQuery({ campaignId: 7 }))).toBe('?where[and][0][campaign][equals]=7')
  })
})
