import type { CustomerRow, DateInput, Id, OrderRow, OrderStatus } from './types.js'

import { ORDER_STATUSES } from '../constants.js'
import { checkEmail, CURRENCY_RE, normaliseEmail, parseIsoDate } from '../domain/validation/index.js'

/**
 * A customer ready for SQL: lower-case email, ISO dates, trimmed tags. A key is present only when
 * the caller gave the field (so `JSON.stringify` drops the "leave unchanged" ones).
 */
export type NormalisedCustomer = {
  attributes?: null | Record<string, unknown>
  baseSpend?: null | number
  city?: null | string
  createdAt?: string
  email: string
  lastVisitAt?: null | string
  marketingOptOut?: boolean | null
  name?: null | string
  phone?: null | string
  tags?: string[]
  visits?: null | number
}

export type NormalisedOrder = {
  amount: number
  attributes?: null | Record<string, unknown>
  createdAt?: string
  currency?: string
  customerEmail?: string
  customerId?: Id
  externalId: string
  orderedAt: string
  status?: OrderStatus
}

/** A row the bulk layer cannot write; callers validate first, so this signals a bug upstream. */
export class BulkRowError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(`Row ${index}: ${message}`)
    this.name = 'BulkRowError'
  }
}

const STATUSES = new Set<string>(ORDER_STATUSES)

/**
 * `Date` or ISO 8601 string → `2025-03-01T00:00:00.000Z` (how Payload stores dates). A string
 * without an offset is read in `timeZone` (the store's `STORE_TIMEZONE`), never the server's zone.
 */
export const toIsoTimestamp = (value: DateInput, index: number, field: string, timeZone = 'UTC'): string => {
  const date = value instanceof Date ? value : typeof value === 'string' ? parseIsoDate(value, timeZone) : null
  if (!date || Number.isNaN(date.getTime())) throw new BulkRowError(index, `${field} is not an ISO 8601 date`)
  return date.toISOString()
}

const optionalNumber = (value: unknown, index: number, field: string, isInteger = false): null | number => {
  if (value === null) return null
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (isInteger && !Number.isInteger(value))) {
    throw new BulkRowError(index, `${field} must be a non-negative ${isInteger ? 'integer' : 'number'}`)
  }
  return value
}

const optionalText = (value: unknown, index: number, field: string): null | string => {
  if (value === null) return null
  if (typeof value !== 'string') throw new BulkRowError(index, `${field} must be a string`)
  return value
}

const emailOf = (value: unknown, index: number, field = 'email'): string => {
  const check = checkEmail(value)
  if (check !== true) throw new BulkRowError(index, `${field}: ${check}`)
  return normaliseEmail(value as string)
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)

export const normaliseCustomer = (row: CustomerRow, index: number, timeZone = 'UTC'): NormalisedCustomer => {
  const out: NormalisedCustomer = { email: emailOf(row.email, index) }
  if (row.name !== undefined) out.name = optionalText(row.name, index, 'name')
  if (row.phone !== undefined) out.phone = optionalText(row.phone, index, 'phone')
  if (row.city !== undefined) out.city = optionalText(row.city, index, 'city')
  if (row.visits !== undefined) out.visits = optionalNumber(row.visits, index, 'visits', true)
  if (row.baseSpend !== undefined) out.baseSpend = optionalNumber(row.baseSpend, index, 'baseSpend')
  if (row.lastVisitAt !== undefined) out.lastVisitAt = row.lastVisitAt === null ? null : toIsoTimestamp(row.lastVisitAt, index, 'lastVisitAt', timeZone)
  if (row.createdAt !== undefined && row.createdAt !== null) out.createdAt = toIsoTimestamp(row.createdAt, index, 'createdAt', timeZone)
  if (row.marketingOptOut !== undefined) {
    if (row.marketingOptOut !== null && typeof row.marketingOptOut !== 'boolean') throw new BulkRowError(index, 'marketingOptOut must be a boolean')
    out.marketingOptOut = row.marketingOptOut
  }
  if (row.tags !== undefined) {
    if (row.tags !== null && !Array.isArray(row.tags)) throw new BulkRowError(index, 'tags must be an array of strings')
    out.tags = (row.tags ?? []).map((tag) => optionalText(tag, index, 'tags')?.trim() ?? '').filter((tag) => tag !== '')
  }
  if (row.attributes !== undefined) {
    if (row.attributes !== null && !isPlainObject(row.attributes)) throw new BulkRowError(index, 'attributes must be an object')
    out.attributes = row.attributes
  }
  return out
}

/**
 * A batch ready for SQL: one row per key, `sources[i]` the indices of the input rows merged into
 * `rows[i]` (in order), and the input rows that could not be normalised.
 */
export type NormalisedBatch<T> = { failed: { index: number; reason: string }[]; rows: T[]; sources: number[][] }

const mergeCustomer = (previous: NormalisedCustomer, next: NormalisedCustomer): NormalisedCustomer => {
  // Two attribute patches in a row compose into one shallow patch (the later key wins, `null` still removes).
  if (previous.attributes && next.attributes) next.attributes = { ...previous.attributes, ...next.attributes }
  return Object.assign(previous, next)
}

const mergeOrder = (previous: NormalisedOrder, next: NormalisedOrder): NormalisedOrder => {
  if (previous.attributes && next.attributes) next.attributes = { ...previous.attributes, ...next.attributes }
  if (next.customerId !== undefined) delete previous.customerEmail
  if (next.customerEmail !== undefined) delete previous.customerId
  return Object.assign(previous, next)
}

/**
 * Normalises `rows` and merges those with the same key (a later row wins field by field, which is
 * what applying them one after another would give). With `isolate`, a row that cannot be
 * normalised goes to `failed`; without, it throws its BulkRowError.
 */
const normaliseBatch = <TIn, TOut>(
  rows: readonly TIn[],
  normaliseOne: (row: TIn, index: number) => TOut,
  keyOf: (row: TOut) => string,
  merge: (previous: TOut, next: TOut) => TOut,
  isolate: boolean,
): NormalisedBatch<TOut> => {
  const byKey = new Map<string, number>()
  const out: NormalisedBatch<TOut> = { failed: [], rows: [], sources: [] }
  rows.forEach((row, index) => {
    let normalised: TOut
    try {
      normalised = normaliseOne(row, index)
    } catch (err) {
      if (!isolate || !(err instanceof BulkRowError)) throw err
      out.failed.push({ index, reason: err.message.replace(/^Row \d+: /, '') })
      return
    }
    const key = keyOf(normalised)
    const at = byKey.get(key)
    if (at === undefined) {
      byKey.set(key, out.rows.length)
      out.rows.push(normalised)
      out.sources.push([index])
    } else {
      out.rows[at] = merge(out.rows[at]!, normalised)
      out.sources[at]!.push(index)
    }
  })
  return out
}

/**
 * A row normalised before its batch is written (`upsertStream` does it while reading ahead, beside
 * the previous batch's write), or the error that says why it cannot be.
 */
export type Prepared<T> = BulkRowError | T

/** Normalises row `index` of a batch ahead of the write; a row that cannot be normalised gives its BulkRowError. */
export const prepareRow = <TIn, TOut>(normaliseOne: (row: TIn, index: number, timeZone: string) => TOut, row: TIn, index: number, timeZone: string): Prepared<TOut> => {
  try {
    return normaliseOne(row, index, timeZone)
  } catch (err) {
    if (err instanceof BulkRowError) return err
    throw err
  }
}

/** `prepared[index]` when the caller normalised the batch ahead (one per row), else the row normalised now. */
const normaliserOf =
  <TIn, TOut>(normaliseOne: (row: TIn, index: number, timeZone: string) => TOut, timeZone: string, prepared?: readonly Prepared<TOut>[]) =>
  (row: TIn, index: number): TOut => {
    if (!prepared) return normaliseOne(row, index, timeZone)
    const ready = prepared[index]
    if (ready instanceof BulkRowError) throw ready
    return ready as TOut
  }

export const normaliseCustomerBatch = (
  rows: readonly CustomerRow[],
  timeZone = 'UTC',
  isolate = false,
  prepared?: readonly Prepared<NormalisedCustomer>[],
): NormalisedBatch<NormalisedCustomer> =>
  normaliseBatch(rows, normaliserOf(normaliseCustomer, timeZone, prepared), (row) => row.email, mergeCustomer, isolate)

export const normaliseOrderBatch = (
  rows: readonly OrderRow[],
  timeZone = 'UTC',
  isolate = false,
  prepared?: readonly Prepared<NormalisedOrder>[],
): NormalisedBatch<NormalisedOrder> =>
  normaliseBatch(rows, normaliserOf(normaliseOrder, timeZone, prepared), (row) => row.externalId, mergeOrder, isolate)

/** Normalises and de-duplicates by email (a later row wins field by field); dates without an offset are read in `timeZone`. */
export const normaliseCustomerRows = (rows: readonly CustomerRow[], timeZone = 'UTC'): NormalisedCustomer[] =>
  normaliseCustomerBatch(rows, timeZone).rows

export const normaliseOrder = (row: OrderRow, index: number, timeZone = 'UTC'): NormalisedOrder => {
  if (typeof row.externalId !== 'string' || row.externalId.trim() === '') throw new BulkRowError(index, 'externalId is required')
  const amount = optionalNumber(row.amount, index, 'amount')
  if (amount === null) throw new BulkRowError(index, 'amount is required')
  if (row.orderedAt === undefined || row.orderedAt === null) throw new BulkRowError(index, 'orderedAt is required')
  const out: NormalisedOrder = { amount, externalId: row.externalId.trim(), orderedAt: toIsoTimestamp(row.orderedAt, index, 'orderedAt', timeZone) }
  if (row.customerId !== undefined && row.customerId !== null) out.customerId = row.customerId
  else if (row.customerEmail !== undefined) out.customerEmail = emailOf(row.customerEmail, index, 'customerEmail')
  else throw new BulkRowError(index, 'customerId or customerEmail is required')
  if (row.currency !== undefined && row.currency !== null) {
    const currency = row.currency.trim().toUpperCase()
    if (!CURRENCY_RE.test(currency)) throw new BulkRowError(index, 'currency must be a three-letter ISO 4217 code')
    out.currency = currency
  }
  if (row.status !== undefined && row.status !== null) {
    if (!STATUSES.has(row.status)) throw new BulkRowError(index, `status must be one of ${ORDER_STATUSES.join(', ')}`)
    out.status = row.status
  }
  if (row.createdAt !== undefined && row.createdAt !== null) out.createdAt = toIsoTimestamp(row.createdAt, index, 'createdAt', timeZone)
  if (row.attributes !== undefined) {
    if (row.attributes !== null && !isPlainObject(row.attributes)) throw new BulkRowError(index, 'attributes must be an object')
    out.attributes = row.attributes
  }
  return out
}

/** Normalises and de-duplicates by externalId (a later row wins field by field); dates without an offset are read in `timeZone`. */
export const normaliseOrderRows = (rows: readonly OrderRow[], timeZone = 'UTC'): NormalisedOrder[] => normaliseOrderBatch(rows, timeZone).rows

/** Splits `items` into consecutive slices of at most `size`. */
export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  if (!Number.isInteger(size) || size <= 0) throw new RangeError('chunk size must be a positive integer')
  const out: T[][] = []
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size))
  return out
}
