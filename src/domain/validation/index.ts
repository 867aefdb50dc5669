import { zonedWallTimeToDate } from '../time/zonedDate.js'

/**
 * Pure field checks shared by collections, CSV import and the JSON ingest API.
 * Each returns `true` or a human-readable message (Payload's `validate` convention).
 */

// Pragmatic address check: one @, no spaces, a dot in the domain, sane lengths (RFC 5321 limits).
const EMAIL_RE = /^[^\s@"(),:;<>[\\\]]+@[^\s@"(),:;<>[\\\]]+\.[^\s@"(),:;<>[\\\]]{2,}$/

export const normaliseEmail = (value: string): string => value.trim().toLowerCase()

export const checkEmail = (value: unknown): string | true => {
  if (typeof value !== 'string' || value.trim() === '') return 'Email is required'
  const email = normaliseEmail(value)
  if (email.length > 254) return 'Email must be at most 254 characters'
  const local = email.split('@')[0] ?? ''
  if (local.length > 64 || !EMAIL_RE.test(email) || email.includes('..')) return `"${value}" is not a valid email address`
  return true
}

export const checkNonNegativeNumber = (value: unknown, label = 'Value'): string | true => {
  if (value === null || value === undefined) return true
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${label} must be a number`
  if (value < 0) return `${label} must not be negative`
  return true
}

export const checkNonNegativeInteger = (value: unknown, label = 'Value'): string | true => {
  const number = checkNonNegativeNumber(value, label)
  if (number !== true) return number
  if (value !== null && value !== undefined && !Number.isInteger(value)) return `${label} must be a whole number`
  return true
}

// ISO 8601 calendar date, optionally with a time and an offset: 2025-03-01, 2025-03-01T10:00:00+05:30, …Z
const ISO_DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * Parses an ISO 8601 date or date-time; returns null for anything else (including impossible
 * dates). A value without an offset (`2025-03-01`, `2025-03-01T10:00:00`) is wall-clock time in
 * `timeZone` (the store's `STORE_TIMEZONE`), never the server's zone.
 */
export const parseIsoDate = (value: string, timeZone = 'UTC'): Date | null => {
  const match = ISO_DATE_RE.exec(value.trim())
  if (!match) return null
  const [, y, m, d, hh, mm, ss, fraction, offset] = match
  const month = Number(m)
  const day = Number(d)
  if (month < 1 || month > 12 || day < 1 || day > 31) return null
  if (hh !== undefined && (Number(hh) > 23 || Number(mm) > 59 || (ss !== undefined && Number(ss) > 59))) return null
  const probe = new Date(Date.UTC(Number(y), month - 1, day))
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null
  const wall = {
    day,
    hour: Number(hh ?? 0),
    minute: Number(mm ?? 0),
    month,
    ms: fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0,
    second: Number(ss ?? 0),
    year: Number(y),
  }
  if (offset === undefined) return zonedWallTimeToDate(wall, timeZone)
  const sign = offset === 'Z' ? 0 : offset.startsWith('-') ? -1 : 1
  const digits = offset.replace(/[^0-9]/g, '')
  const offsetHours = Number(digits.slice(0, 2) || 0)
  const offsetMinutes = Number(digits.slice(2, 4) || 0)
  if (offsetHours > 23 || offsetMinutes > 59) return null
  const utc = Date.UTC(wall.year, month - 1, day, wall.hour, wall.minute, wall.second, wall.ms)
  const parsed = new Date(utc - sign * (offsetHours * 60 + offsetMinutes) * 60_000)
  return Number.isNaN(parsed.getTime()) ? null : parsed
}

/**
 * An ISO 8601 date string as the UTC timestamp Payload stores (`2025-02-28T18:30:00.000Z`), reading
 * a value without an offset in `timeZone`; anything that is not an ISO date is returned unchanged
 * (field validation reports it).
 */
export const toStoredTimestamp = (value: unknown, timeZone: string): unknown => {
  if (typeof value !== 'string' || value.trim() === '') return value
  return parseIsoDate(value, timeZone)?.toISOString() ?? value
}

export const checkIsoDate = (value: unknown, label = 'Date'): string | true => {
  if (value === null || value === undefined || value === '') return true
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? `${label} is not a valid date` : true
  if (typeof value !== 'string' || !parseIsoDate(value)) {
    return `${label} must be an ISO 8601 date such as 2025-03-01 or 2025-03-01T10:00:00+05:30`
  }
  return true
}

export const CURRENCY_RE = /^[A-Z]{3}$/
