import type { Payload, PayloadRequest } from 'payload'

import type { ORDER_STATUSES } from '../constants.js'
import type { NormalisedCustomer, NormalisedOrder, Prepared } from './normaliseRows.js'

/** A document id: a number on SQLite/PostgreSQL, an ObjectId string on MongoDB. */
export type Id = number | string

/** A date as a `Date` or an ISO 8601 string (`2025-03-01`, `2025-03-01T10:00:00+05:30`). */
export type DateInput = Date | string

export type OrderStatus = (typeof ORDER_STATUSES)[number]

/**
 * One customer to upsert, keyed by `email` (stored lower-case). A field that is `undefined` leaves
 * the existing value unchanged (CONTRACT: absent columns and empty cells); `null` clears it.
 */
export type CustomerRow = {
  /** Shallow merge into the stored object; a key whose value is `null` is removed. `null` clears all. */
  attributes?: null | Record<string, unknown>
  baseSpend?: null | number
  city?: null | string
  /** Signup date; defaults to now on insert. `null` is treated as `undefined` (the column is required). */
  createdAt?: DateInput | null
  email: string
  lastVisitAt?: DateInput | null
  marketingOptOut?: boolean | null
  name?: null | string
  phone?: null | string
  /** Replaces the customer's tags (in this order); `null` or `[]` removes them all. */
  tags?: null | string[]
  visits?: null | number
}

/**
 * One order to upsert, keyed by `externalId`. The customer is `customerId`, or `customerEmail`
 * (a bare customer is created for an unknown email). `currency`/`status` default to the store's
 * `STORE_CURRENCY`/placed on
 * insert and are left unchanged on update when undefined.
 */
export type OrderRow = {
  amount: number
  /** Shallow merge into the stored object, as for customers; `null` clears it. */
  attributes?: null | Record<string, unknown>
  createdAt?: DateInput | null
  currency?: null | string
  customerEmail?: string
  customerId?: Id
  externalId: string
  orderedAt: DateInput
  status?: null | OrderStatus
}

/** What every bulk call takes: the Payload instance, and the request whose transaction to join (if any). */
export type BulkContext = {
  /**
   * Test seam: awaited when every write of the call (and its recompute) is done. On PostgreSQL the
   * transaction is still open and holds its locks; a SQLite call is one synchronous batch, which
   * has already committed. Tests use it to hold one writer while another starts.
   */
  beforeCommit?: () => Promise<void> | void
  /** `updated_at` (and the default `created_at`) of every written row. @default new Date() */
  now?: Date
  /**
   * Per-row outcomes instead of one atomic call: a row that cannot be normalised, or that the
   * database refuses (a constraint), is returned in `failed` with its reason and the other rows are
   * written. A refused batch is split in halves and each half retried in its own transaction until
   * the refusing rows stand alone. Off (the default): any bad row throws and nothing is written.
   * On PostgreSQL inside a request's transaction a refused batch still throws (it cannot be retried).
   * @default false
   */
  isolateFailures?: boolean
  payload: Payload
  req?: Partial<PayloadRequest>
}

/** A row of the call that was not written, by its index in `rows`, and why. */
export type RowFailure = { index: number; reason: string }

/**
 * What happened to one row: its key was new (`created`), matched a stored record and changed it
 * (`updated`), matched one that already held every value the row gave (`unchanged`), or the row was
 * not written (`failed`, with its reason in `failed`). Rows of one call with the same key were
 * merged into one write: each of them gets that key's status.
 */
export type RowStatus = 'created' | 'failed' | 'unchanged' | 'updated'

/** What a dialect's write says about each row of a normalised batch (one per key). */
export type WrittenStatus = Exclude<RowStatus, 'failed'>

/** The outcome counts every bulk upsert returns, and the status of each row. */
export type RowOutcomes = {
  /** Keys that were new. */
  created: number
  /** Rows not written (only with `isolateFailures`; otherwise the call throws). */
  failed: RowFailure[]
  /**
   * One status per input row, by its index in `rows`. `updated`/`unchanged` here split what the
   * counts call `updated`: a key counted `updated` is `unchanged` here when nothing changed.
   */
  outcomes: RowStatus[]
  /** Of the `updated` keys, those whose stored values already equalled the row's. */
  unchanged: number
  /** Keys that matched an existing record (changed or not: CONTRACT's `updated`). */
  updated: number
}

export type UpsertCustomersArgs = BulkContext & {
  /**
   * The rows already normalised, one per row (`prepareRow`), by a caller that did it earlier
   * (`upsertStream` while reading ahead); they must come from these `rows` and the store's time zone.
   */
  prepared?: readonly Prepared<NormalisedCustomer>[]
  /** Also return the id of every row (one extra indexed lookup per row). @default true */
  returnIds?: boolean
  rows: readonly CustomerRow[]
}

export type UpsertCustomersResult = RowOutcomes & {
  /** Ids by normalised (lower-case) email; empty when `returnIds` is false. */
  ids: Map<string, Id>
}

export type UpsertOrdersArgs = BulkContext & {
  /** The rows already normalised, one per row, as for `upsertCustomers`. */
  prepared?: readonly Prepared<NormalisedOrder>[]
  /**
   * Re-derive the affected customers' totalSpend/orderCount/lastOrderAt after writing. Turn it off
   * for a big load and call `recomputeCustomerAggregates` once at the end.
   * @default true
   */
  recompute?: boolean
  rows: readonly OrderRow[]
}

export type UpsertOrdersResult = RowOutcomes & {
  /** Bare customers created for unknown `customerEmail`s. */
  customersCreated: number
  /** Customers whose orders were written (including the previous owners of moved orders). */
  customerIds: Id[]
}

/**
 * What one dialect's write of a normalised batch returns (the door adds `failed`): `statuses` has
 * one entry per row of the batch it was given, in order.
 */
export type WrittenCustomers = Omit<UpsertCustomersResult, 'failed' | 'outcomes'> & { statuses: WrittenStatus[] }
export type WrittenOrders = Omit<UpsertOrdersResult, 'failed' | 'outcomes'> & { statuses: WrittenStatus[] }
