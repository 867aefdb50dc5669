/**
 * Reading wall-clock dates in the store's time zone with the runtime's own ICU data (`Intl`), so
 * `2025-03-01T10:00:00` means 10:00 in `STORE_TIMEZONE`, whatever zone the server runs in.
 */

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      day: 'numeric',
      era: 'short',
      hour: 'numeric',
      hourCycle: 'h23',
      minute: 'numeric',
      month: 'numeric',
      second: 'numeric',
      timeZone,
      year: 'numeric',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** `true` when `timeZone` is an IANA zone name the runtime knows, else a message naming it. */
export const checkTimeZone = (timeZone: string): string | true => {
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return `"${timeZone}" is not an IANA time zone name such as UTC or Asia/Kolkata`
  }
}

/** The zone's offset from UTC, in milliseconds, at the instant `epochMs` (Asia/Kolkata → +19,800,000). */
export const zoneOffsetMs = (epochMs: number, timeZone: string): number => {
  const parts: Record<string, string> = {}
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) parts[part.type] = part.value
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year)
  const asUtc = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  const wholeSeconds = epochMs - (((epochMs % 1000) + 1000) % 1000)
  return asUtc - wholeSeconds
}

export type WallTime = { day: number; hour?: number; minute?: number; month: number; ms?: number; second?: number; year: number }

/**
 * The instant at which clocks in `timeZone` show `wall`. In a daylight-saving gap (a time that
 * never happens) the clock is read with the offset in force before the change, as Temporal's
 * default `compatible` disambiguation does; in an overlap, the earlier of the two instants.
 */
export const zonedWallTimeToDate = (wall: WallTime, timeZone: string): Date => {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour ?? 0, wall.minute ?? 0, wall.second ?? 0, wall.ms ?? 0)
  const before = zoneOffsetMs(asUtc - 86_400_000, timeZone)
  const after = zoneOffsetMs(asUtc + 86_400_000, timeZone)
  // Try both offsets seen around the date; keep those that really show this wall time.
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((instant) => zoneOffsetMs(instant, timeZone) === asUtc - instant)
    .sort((a, b) => a - b)
  return new Date(candidates[0] ?? asUtc - before)
}
