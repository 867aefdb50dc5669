import { protectFormula } from './formulaPrefix.js'

/** One column of an export: its header (one the importer knows) and how a stored document fills it. */
export type ExportColumn<TDoc> = { header: string; value: (doc: TDoc) => unknown }

/** The customer fields an export reads (a stored document, depth 0). */
export type ExportableCustomer = {
  attributes?: unknown
  baseSpend?: null | number
  city?: null | string
  createdAt: string
  email: string
  id: number | string
  lastOrderAt?: null | string
  lastVisitAt?: null | string
  marketingOptOut?: boolean | null
  name?: null | string
  orderCount?: null | number
  phone?: null | string
  tags?: null | string[]
  totalSpend?: null | number
  updatedAt: string
  visits?: null | number
}

/** The order fields an export reads, with the customer's email looked up. */
export type ExportableOrder = {
  amount: number
  attributes?: unknown
  currency?: null | string
  customerEmail: string
  externalId: string
  orderedAt: string
  status?: null | string
}

const isNonEmptyObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0

/**
 * Customers export: stored fields under the importer's headers (`spend` is the imported baseline),
 * then derived and system fields under headers the importer knows and skips.
 */
export const CUSTOMER_EXPORT_COLUMNS: ExportColumn<ExportableCustomer>[] = [
  { header: 'email', value: (doc) => doc.email },
  { header: 'name', value: (doc) => doc.name },
  { header: 'phone', value: (doc) => doc.phone },
  { header: 'city', value: (doc) => doc.city },
  { header: 'tags', value: (doc) => (doc.tags ?? []).join(';') },
  { header: 'visits', value: (doc) => doc.visits },
  { header: 'spend', value: (doc) => doc.baseSpend },
  { header: 'marketing opt out', value: (doc) => doc.marketingOptOut },
  { header: 'signup date', value: (doc) => doc.createdAt },
  { header: 'last visit at', value: (doc) => doc.lastVisitAt },
  { header: 'attributes', value: (doc) => (isNonEmptyObject(doc.attributes) ? JSON.stringify(doc.attributes) : '') },
  { header: 'id', value: (doc) => doc.id },
  { header: 'derived total spend', value: (doc) => doc.totalSpend },
  { header: 'order count', value: (doc) => doc.orderCount },
  { header: 'last order at', value: (doc) => doc.lastOrderAt },
  { header: 'updated at', value: (doc) => doc.updatedAt },
]

/** Orders export, under the importer's headers. */
export const ORDER_EXPORT_COLUMNS: ExportColumn<ExportableOrder>[] = [
  { header: 'order id', value: (doc) => doc.externalId },
  { header: 'customer email', value: (doc) => doc.customerEmail },
  { header: 'amount', value: (doc) => doc.amount },
  { header: 'currency', value: (doc) => doc.currency },
  { header: 'ordered at', value: (doc) => doc.orderedAt },
  { header: 'status', value: (doc) => doc.status },
  { header: 'attributes', value: (doc) => (isNonEmptyObject(doc.attributes) ? JSON.stringify(doc.attributes) : '') },
]

/** A value as a CSV cell: empty for null/undefined, text for the rest, formula-protected. */
export const toExportCell = (value: unknown): string => {
  if (value === null || value === undefined) return ''
  return protectFormula(typeof value === 'string' ? value : String(value))
}

/** One document as the cells of an export row, in column order. */
export const toExportRow = <TDoc>(columns: readonly ExportColumn<TDoc>[], doc: TDoc): string[] =>
  columns.map((column) => toExportCell(column.value(doc)))
