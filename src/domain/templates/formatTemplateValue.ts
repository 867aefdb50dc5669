import type { TemplateFieldKind } from './templateFields.js'

import { firstNameOf } from './firstNameOf.js'

/** Turns an instant into its calendar date (`YYYY-MM-DD`) in one time zone; built once per template. */
export type DateFormatter = (date: Date) => string

// Dates are cached per 15-minute slice of time: every zone today changes offset on a quarter hour, so
// a slice lies within one local day; a slice that does not (old local mean times) is never cached.
const SLICE_MS = 15 * 60 * 1000
const MAX_CACHED_SLICES = 50_000

/**
 * A `DateFormatter` for an IANA zone; throws a RangeError for a zone the runtime does not know.
 * `Intl` is slow (~20 µs a call), so results are cached per quarter hour (~0.1 µs when cached).
 */
export const createDateFormatter = (timeZone: string): DateFormatter => {
  const format = new Intl.DateTimeFormat('en-US', { day: '2-digit', month: '2-digit', timeZone, year: 'numeric' })
  const formatExactly = (ms: number): string => {
    let day = ''
    let month = ''
    let year = ''
    for (const part of format.formatToParts(ms)) {
      if (part.type === 'day') day = part.value
      else if (part.type === 'month') month = part.value
      else if (part.type === 'year') year = part.value.padStart(4, '0')
    }
    return `${year}-${month}-${day}`
  }
  const slices = new Map<number, string>()
  return (date) => {
    const ms = date.getTime()
    const slice = Math.floor(ms / SLICE_MS)
    const cached = slices.get(slice)
    if (cached !== undefined) return cached
    const first = formatExactly(slice * SLICE_MS)
    if (first !== formatExactly(slice * SLICE_MS + SLICE_MS - 1)) return formatExactly(ms)
    if (slices.size >= MAX_CACHED_SLICES) slices.clear()
    slices.set(slice, first)
    return first
  }
}

/** A number as plain decimal text: no grouping, no currency, at most 2 decimals (`1234.5`, `0.1 + 0.2` → `0.3`). */
const formatNumber = (value: number): string => {
  if (!Number.isFinite(value)) return ''
  const rounded = Math.round(value * 100) / 100
  return String(Object.is(rounded, -0) ? 0 : rounded)
}

const toDate = (value: unknown): Date | undefined => {
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined
  return date && !Number.isNaN(date.getTime()) ? date : undefined
}

/** Any JSON-ish value (an attribute) as text; `''` stands for "missing". Never throws. */
const formatAny = (value: unknown, formatDate: DateFormatter): string => {
  switch (typeof value) {
    case 'string':
      return value.trim()
    case 'number':
      return formatNumber(value)
    case 'bigint':
      return value.toString()
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      if (value === null) return ''
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : formatDate(value)
      if (Array.isArray(value)) {
        return value
          .map((item) => formatAny(item, formatDate))
          .filter((text) => text !== '')
          .join(', ')
      }
      try {
        const json = JSON.stringify(value)
        return json === '{}' || json === undefined ? '' : json
      } catch {
        return '' // cyclic or otherwise unserialisable: render as missing rather than fail the send
      }
    default:
      return '' // undefined, functions, symbols
  }
}

/**
 * One placeholder's value as text; `''` means "missing" (the caller substitutes the fallback).
 * Rules: text is trimmed; numbers are plain decimals rounded to 2 places; booleans are `true`/`false`;
 * dates are the calendar day `YYYY-MM-DD` in the template's time zone; lists (tags) are joined with
 * `, `; other objects (in attributes) are compact JSON. Never throws.
 */
export const formatTemplateValue = ({ formatDate, kind, value }: { formatDate: DateFormatter; kind: TemplateFieldKind | 'any'; value: unknown }): string => {
  if (kind === 'firstName') return typeof value === 'string' ? firstNameOf(value) : ''
  if (kind === 'date') {
    const date = toDate(value)
    return date ? formatDate(date) : formatAny(value, formatDate)
  }
  return formatAny(value, formatDate)
}
