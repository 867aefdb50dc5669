import type { ORDER_STATUSES } from '../../constants.js'

type OrderStatus = (typeof ORDER_STATUSES)[number]

/** Which collection a CSV file is imported into. */
export type ImportKind = 'customers' | 'orders'

/** One reported problem or note about a data row (1-based, header excluded). */
export type RowIssue = {
  /** The header as written in the file, when the issue concerns one cell. */
  column?: string
  message: string
  row: number
}

/** The fields a customers file can fill (CONTRACT: Ingestion). */
export type CustomerField =
  | 'baseSpend'
  | 'city'
  | 'createdAt'
  | 'email'
  | 'lastVisitAt'
  | 'marketingOptOut'
  | 'name'
  | 'phone'
  | 'tags'
  | 'visits'

/** The fields an orders file can fill. */
export type OrderField = 'amount' | 'currency' | 'customerEmail' | 'externalId' | 'orderedAt' | 'status'

/**
 * What a column of the file becomes: a field, a JSON `attributes` object merged whole (our own
 * export writes extra columns that way), one key of `attributes`, or nothing (a derived field our
 * export writes and the importer skips).
 */
export type ColumnTarget<TField extends string> =
  | { field: TField; kind: 'field' }
  | { key: string; kind: 'attribute' }
  | { kind: 'attributes' }
  | { kind: 'skip' }

/** The columns of a file, in file order, with the header each came from. */
export type HeaderMapping<TField extends string> = {
  columns: { header: string; index: number; target: ColumnTarget<TField> }[]
  /** Which fields the file has (absent fields leave stored values alone). */
  fields: Set<TField>
}

/** A customer row ready for the bulk layer: only the fields the file gave a value for are present. */
export type CastCustomer = {
  attributes?: Record<string, unknown>
  baseSpend?: number
  city?: string
  createdAt?: string
  email: string
  lastVisitAt?: string
  marketingOptOut?: boolean
  name?: string
  phone?: string
  tags?: string[]
  visits?: number
}

/** An order row ready for the bulk layer. */
export type CastOrder = {
  amount: number
  attributes?: Record<string, unknown>
  currency?: string
  customerEmail: string
  externalId: string
  orderedAt: string
  status?: OrderStatus
}

/** The result of casting one data row: the row, or every problem found in it. */
export type CastResult<TRow> = { errors: RowIssue[]; ok: false } | { ok: true; row: TRow }
