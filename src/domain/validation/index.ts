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
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/

/** Parses an ISO 8601 date or date-time; returns null for anything else (including impossible dates). */
export const parseIsoDate = (value: string): Date | null => {
  const match = ISO_DATE_RE.exec(value.trim())
  if (!match) return null
  const [, y, m, d, hh, mm, ss] = match
  const month = Number(m)
  const day = Number(d)
  if (month < 1 || month > 12 || day < 1 || day > 31) return null
  if (hh !== undefined && (Number(hh) > 23 || Number(mm) > 59 || (ss !== undefined && Number(ss) > 59))) return null
  const probe = new Date(Date.UTC(Number(y), month - 1, day))
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null
  const parsed = new Date(hh === undefined ? `${y}-${m}-${d}T00:00:00Z` : value.trim().replace(' ', 'T'))
  return Number.isNaN(parsed.getTime()) ? null : parsed
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
