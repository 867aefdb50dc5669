import { zoneOffsetMs } from '../time/zonedDate.js'
import { parseIsoDate } from '../validation/index.js'

const DAY_MS = 86_400_000

/** One calendar day in milliseconds (`inactiveDays` counts whole ones). */
export const DAY = DAY_MS

const DATE_ONLY_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const HAS_OFFSET_RE = /(Z|[+-]\d{2}:?\d{2})$/i
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/

/** The instant a wall-clock time in `timeZone` denotes (the later one when a DST change skips it). */
export const zonedToInstant = ({ fields, timeZone }: { fields: [number, number, number, number?, number?, number?, number?]; timeZone: string }): number => {
  const [year, month, day, hour = 0, minute = 0, second = 0, ms = 0] = fields
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms)
  let guess = wall - zoneOffsetMs(wall, timeZone)
  guess = wall - zoneOffsetMs(guess, timeZone)
  return guess
}

/**
 * The half-open interval `[start, end)` a rule's date value denotes: a date (`2025-03-01`) is that
 * whole day in the store's zone; a date-time without offset is read in the store's zone; one with an
 * offset is that instant (stored values have millisecond precision, so an instant is `[t, t+1ms)`).
 * Null for anything that is not ISO 8601.
 */
export const dateValueInterval = ({ timeZone, value }: { timeZone: string; value: string }): null | { end: number; start: number } => {
  const text = value.trim()
  if (parseIsoDate(text) === null) return null
  const dateOnly = DATE_ONLY_RE.exec(text)
  if (dateOnly) {
    const [y, m, d] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])]
    const start = zonedToInstant({ fields: [y, m, d], timeZone })
    const next = new Date(Date.UTC(y, m - 1, d + 1))
    const end = zonedToInstant({ fields: [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()], timeZone })
    return { end, start }
  }
  if (HAS_OFFSET_RE.test(text)) {
    const instant = Date.parse(text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
    if (Number.isNaN(instant)) return null
    return { end: instant + 1, start: instant }
  }
  const match = DATE_TIME_RE.exec(text)
  if (!match) return null
  const ms = match[7] ? Number(match[7].slice(0, 3).padEnd(3, '0')) : 0
  const start = zonedToInstant({
    fields: [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6] ?? 0), ms],
    timeZone,
  })
  return { end: start + 1, start }
}

const boundaryCache = new Map<string, number>()

/**
 * Start of the store-local calendar day `days` days before `now`'s day: the boundary of
 * `withinDays N` (from then until now) and `beforeDaysAgo N` (strictly before then).
 */
export const startOfDayDaysAgo = ({ days, now, timeZone }: { days: number; now: Date; timeZone: string }): number => {
  // Evaluating a million customers asks for the same few boundaries: Intl is slow, so remember them.
  const key = `${days}|${now.getTime()}|${timeZone}`
  const cached = boundaryCache.get(key)
  if (cached !== undefined) return cached
  if (boundaryCache.size > 1000) boundaryCache.clear()
  const value = computeStartOfDayDaysAgo({ days, now, timeZone })
  boundaryCache.set(key, value)
  return value
}

const computeStartOfDayDaysAgo = ({ days, now, timeZone }: { days: number; now: Date; timeZone: string }): number => {
  // Today's date on the store's clock: the instant shifted by the zone's offset, read as UTC.
  const today = new Date(now.getTime() + zoneOffsetMs(now.getTime(), timeZone))
  const target = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - days))
  return zonedToInstant({ fields: [target.getUTCFullYear(), target.getUTCMonth() + 1, target.getUTCDate()], timeZone })
}
