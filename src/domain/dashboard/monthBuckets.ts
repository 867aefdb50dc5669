import { zonedWallTimeToDate } from '../time/zonedDate.js'

/** One calendar month in the store's time zone: `key` `YYYY-MM`, `[start, end)` as instants. */
export type MonthBucket = { end: Date; key: string; start: Date }

const wallMonthOf = (instant: Date, timeZone: string): { month: number; year: number } => {
  const parts = new Intl.DateTimeFormat('en-US', { month: 'numeric', timeZone, year: 'numeric' }).formatToParts(instant)
  const read = (type: string) => Number(parts.find((part) => part.type === type)?.value)
  return { month: read('month'), year: read('year') }
}

/**
 * The last `months` calendar months up to and including the one `now` falls in, as seen in
 * `timeZone` (STORE_TIMEZONE): an order at 23:30 UTC on 31 January is a February order in
 * Asia/Kolkata. Oldest first; each month's start is local midnight of its 1st, its end the next start.
 */
export const monthBuckets = ({ months, now, timeZone }: { months: number; now: Date; timeZone: string }): MonthBucket[] => {
  const current = wallMonthOf(now, timeZone)
  const buckets: MonthBucket[] = []
  for (let back = months - 1; back >= 0; back--) {
    const index = current.year * 12 + (current.month - 1) - back
    const year = Math.floor(index / 12)
    const month = (index % 12) + 1
    const next = index + 1
    buckets.push({
      end: zonedWallTimeToDate({ day: 1, month: (next % 12) + 1, year: Math.floor(next / 12) }, timeZone),
      key: `${year}-${String(month).padStart(2, '0')}`,
      start: zonedWallTimeToDate({ day: 1, month, year }, timeZone),
    })
  }
  return buckets
}
