import { checkTimeZone, zonedWallTimeToDate, zoneOffsetMs } from './zonedDate.js'

describe('zonedDate', () => {
  it('should accept IANA zone names and reject anything else with the name in the message', () => {
    expect(checkTimeZone('UTC')).toBe(true)
    expect(checkTimeZone('Asia/Kolkata')).toBe(true)
    expect(checkTimeZone('Mars/Olympus')).toMatch(/"Mars\/Olympus" is not an IANA time zone/)
  })

  it('should give a zone offset at an instant', () => {
    expect(zoneOffsetMs(Date.UTC(2025, 2, 1), 'Asia/Kolkata')).toBe(5.5 * 3600_000)
    expect(zoneOffsetMs(Date.UTC(2025, 0, 15), 'America/New_York')).toBe(-5 * 3600_000)
    expect(zoneOffsetMs(Date.UTC(2025, 6, 15), 'America/New_York')).toBe(-4 * 3600_000)
    expect(zoneOffsetMs(Date.UTC(2025, 6, 15, 12, 0, 0, 999), 'UTC')).toBe(0)
  })

  it.each([
    ['UTC', { day: 1, hour: 10, month: 3, year: 2025 }, '2025-03-01T10:00:00.000Z'],
    ['Asia/Kolkata', { day: 1, hour: 10, month: 3, year: 2025 }, '2025-03-01T04:30:00.000Z'],
    ['Asia/Kolkata', { day: 1, month: 3, year: 2025 }, '2025-02-28T18:30:00.000Z'],
    ['America/New_York', { day: 1, hour: 12, month: 7, ms: 250, year: 2025 }, '2025-07-01T16:00:00.250Z'],
    // Spring forward: 02:30 does not exist in New York on 2025-03-09; read with the earlier offset (EST).
    ['America/New_York', { day: 9, hour: 2, minute: 30, month: 3, year: 2025 }, '2025-03-09T07:30:00.000Z'],
    // Fall back: 01:30 happens twice on 2025-11-02; the earlier instant (EDT).
    ['America/New_York', { day: 2, hour: 1, minute: 30, month: 11, year: 2025 }, '2025-11-02T05:30:00.000Z'],
  ])('should read a wall time in %s', (zone, wall, iso) => {
    expect(zonedWallTimeToDate(wall, zone).toISOString()).toBe(iso)
  })
})
