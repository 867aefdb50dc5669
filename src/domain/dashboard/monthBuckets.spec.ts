import { monthBuckets } from './monthBuckets.js'

describe('monthBuckets', () => {
  it('should give the last N months in UTC, oldest first, each ending where the next starts', () => {
    const buckets = monthBuckets({ months: 3, now: new Date('2026-03-15T12:00:00Z'), timeZone: 'UTC' })
    expect(buckets.map((b) => b.key)).toEqual(['2026-01', '2026-02', '2026-03'])
    expect(buckets[0]!.start.toISOString()).toBe('2026-01-01T00:00:00.000Z')
    expect(buckets[2]!.end.toISOString()).toBe('2026-04-01T00:00:00.000Z')
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.start).toEqual(buckets[i - 1]!.end)
  })

  it('should cross a year boundary', () => {
    const buckets = monthBuckets({ months: 2, now: new Date('2026-01-05T00:00:00Z'), timeZone: 'UTC' })
    expect(buckets.map((b) => b.key)).toEqual(['2025-12', '2026-01'])
    expect(buckets[1]!.end.toISOString()).toBe('2026-02-01T00:00:00.000Z')
  })

  it('should use the store time zone: 31 Jan 20:00 UTC is already February in Kolkata', () => {
    const buckets = monthBuckets({ months: 2, now: new Date('2026-01-31T20:00:00Z'), timeZone: 'Asia/Kolkata' })
    expect(buckets.map((b) => b.key)).toEqual(['2026-01', '2026-02'])
    // Local midnight of 1 February in Kolkata (UTC+05:30).
    expect(buckets[1]!.start.toISOString()).toBe('2026-01-31T18:30:00.000Z')
  })

  it('should follow daylight saving changes (New York: March starts at UTC-5, April at UTC-4)', () => {
    const buckets = monthBuckets({ months: 2, now: new Date('2026-04-10T00:00:00Z'), timeZone: 'America/New_York' })
    expect(buckets[0]!.start.toISOString()).toBe('2026-03-01T05:00:00.000Z')
    expect(buckets[1]!.start.toISOString()).toBe('2026-04-01T04:00:00.000Z')
  })
})
