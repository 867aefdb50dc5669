import { checkEmail, checkIsoDate, checkNonNegativeInteger, checkNonNegativeNumber, normaliseEmail, parseIsoDate, toStoredTimestamp } from './index.js'

describe('validation', () => {
  it.each(['a@b.co', 'Priya.Sharma+tag@Example.IN', 'x_y@sub.domain.org'])('should accept email %s', (email) => {
    expect(checkEmail(email)).toBe(true)
  })

  it.each(['', 'plain', 'a@b', 'a b@c.com', 'a@@b.com', 'a..b@c.com', '@b.com', 'a@b.c'])('should reject email "%s"', (email) => {
    expect(checkEmail(email)).not.toBe(true)
  })

  it('should lower-case and trim emails', () => {
    expect(normaliseEmail('  Priya@Example.COM ')).toBe('priya@example.com')
  })

  it('should check non-negative numbers and integers', () => {
    expect(checkNonNegativeNumber(0)).toBe(true)
    expect(checkNonNegativeNumber(12.5)).toBe(true)
    expect(checkNonNegativeNumber(-1, 'Amount')).toBe('Amount must not be negative')
    expect(checkNonNegativeNumber(Number.NaN)).not.toBe(true)
    expect(checkNonNegativeInteger(3)).toBe(true)
    expect(checkNonNegativeInteger(2.5, 'Visits')).toBe('Visits must be a whole number')
  })

  it.each([
    ['2025-03-01', '2025-03-01T00:00:00.000Z'],
    ['2025-03-01T10:00:00+05:30', '2025-03-01T04:30:00.000Z'],
    ['2025-03-01T10:00:00Z', '2025-03-01T10:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2025-03-01T10:00:00.5-0130', '2025-03-01T11:30:00.500Z'],
    ['2025-03-01 10:00', '2025-03-01T10:00:00.000Z'],
  ])('should parse ISO date %s', (input, iso) => {
    expect(parseIsoDate(input)?.toISOString()).toBe(iso)
  })

  it.each([
    ['2025-03-01T10:00:00', '2025-03-01T04:30:00.000Z'],
    ['2025-03-01', '2025-02-28T18:30:00.000Z'],
    ['2025-03-01T10:00:00.250', '2025-03-01T04:30:00.250Z'],
    // An explicit offset wins over the store's zone.
    ['2025-03-01T10:00:00Z', '2025-03-01T10:00:00.000Z'],
    ['2025-03-01T10:00:00+01:00', '2025-03-01T09:00:00.000Z'],
  ])('should read %s without an offset in the store time zone (Asia/Kolkata)', (input, iso) => {
    expect(parseIsoDate(input, 'Asia/Kolkata')?.toISOString()).toBe(iso)
    expect(toStoredTimestamp(input, 'Asia/Kolkata')).toBe(iso)
  })

  it('should leave what is not an ISO date to validation', () => {
    expect(toStoredTimestamp('01/03/2025', 'Asia/Kolkata')).toBe('01/03/2025')
    expect(toStoredTimestamp(null, 'Asia/Kolkata')).toBeNull()
  })

  it.each(['01/03/2025', '2025-02-30', '2025-13-01', 'yesterday', '2025-03-01T25:00:00Z', '2023-02-29'])(
    'should reject non-ISO or impossible date %s',
    (input) => {
      expect(parseIsoDate(input)).toBeNull()
      expect(checkIsoDate(input)).not.toBe(true)
    },
  )
})
