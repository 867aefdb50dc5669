import fc from 'fast-check'

import { createDateFormatter, formatTemplateValue } from './formatTemplateValue.js'

/** The calendar day of `ms` in `timeZone`, straight from Intl (no cache): the reference. */
const referenceDay = (ms: number, timeZone: string): string => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { day: '2-digit', month: '2-digit', timeZone, year: 'numeric' }).formatToParts(ms).map((p) => [p.type, p.value]),
  )
  return `${String(parts.year).padStart(4, '0')}-${parts.month}-${parts.day}`
}

// Zones with half- and quarter-hour offsets, daylight saving, and odd local-mean-time offsets before ~1900.
const ZONES = ['UTC', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe', 'Europe/Amsterdam', 'America/New_York']

describe('createDateFormatter', () => {
  it('should give the calendar day in the zone', () => {
    expect(createDateFormatter('Asia/Kolkata')(new Date('2025-03-01T18:29:59.999Z'))).toBe('2025-03-01')
    expect(createDateFormatter('Asia/Kolkata')(new Date('2025-03-01T18:30:00.000Z'))).toBe('2025-03-02')
    expect(createDateFormatter('America/New_York')(new Date('2025-03-09T04:59:59Z'))).toBe('2025-03-08')
  })

  it('should agree with Intl for any instant, cached or not, near day boundaries too', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ max: Date.UTC(2100, 0, 1), min: Date.UTC(1850, 0, 1) }),
        fc.array(fc.integer({ max: 3_600_000, min: -3_600_000 }), { maxLength: 20, minLength: 1 }),
        (zone, base, deltas) => {
          const format = createDateFormatter(zone)
          // Many instants close together: the first warms the cache for the later ones.
          for (const delta of deltas) expect(format(new Date(base + delta))).toBe(referenceDay(base + delta, zone))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('should be right at the local midnight of an odd historical offset', () => {
    // Kolkata kept Madras time (+05:21:10) until 1906: its local midnight is not on a quarter hour.
    const noon = Date.UTC(1890, 0, 15, 12)
    const offsetText = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Kolkata', timeZoneName: 'longOffset' }).format(noon)
    const [, sign, hours, minutes, seconds] = /GMT([+-])(\d\d):(\d\d)(?::(\d\d))?/.exec(offsetText) ?? []
    const offsetMs = (sign === '-' ? -1 : 1) * ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds ?? 0)) * 1000
    expect(offsetMs % (15 * 60 * 1000)).not.toBe(0) // else this test would not exercise the uncached path
    const midnight = Date.UTC(1890, 0, 15) - offsetMs
    const format = createDateFormatter('Asia/Kolkata')
    expect(format(new Date(midnight - 1))).toBe('1890-01-14')
    expect(format(new Date(midnight))).toBe('1890-01-15')
    expect(format(new Date(midnight - 1))).toBe('1890-01-14')
  })
})

describe('formatTemplateValue', () => {
  const formatDate = createDateFormatter('UTC')

  it.each([
    ['text', '  Pune ', 'Pune'],
    ['number', 42, '42'],
    ['number', -0, '0'],
    ['number', 2.005, '2.01'],
    ['number', Number.POSITIVE_INFINITY, ''],
    ['boolean', true, 'true'],
    ['list', ['vip', 3, null, ' x '], 'vip, 3, x'],
    ['date', '2025-03-01T10:00:00Z', '2025-03-01'],
    ['date', 1740823200000, '2025-03-01'],
    ['date', new Date('invalid'), ''],
    ['any', 10n, '10'],
    ['any', {}, ''],
    ['any', { a: [1, 'b'] }, '{"a":[1,"b"]}'],
    ['any', () => 'x', ''],
    ['any', Symbol('s'), ''],
    ['firstName', 42, ''],
  ] as const)('should render a %s %p as %j', (kind, value, expected) => {
    expect(formatTemplateValue({ formatDate, kind, value })).toBe(expected)
  })
})
