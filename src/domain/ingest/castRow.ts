import type { CastCustomer, CastOrder, CastResult, ColumnTarget, CustomerField, HeaderMapping, OrderField, RowIssue } from './types.js'

import { ORDER_STATUSES } from '../../constants.js'
import { checkEmail, normaliseEmail, parseIsoDate } from '../validation/index.js'
import { cellProblem, parseBoolean, parseNonNegativeInteger, parseNonNegativeNumber, splitTags } from './cells.js'
import { stripFormulaPrefix } from './formulaPrefix.js'

type CastArgs<TField extends string> = {
  cells: readonly string[]
  mapping: HeaderMapping<TField>
  /** 1-based data row number, for the issues. */
  row: number
  /** Where a date without an offset is read; only its validity matters here. */
  timeZone: string
}

const ISO_HINT = 'must be an ISO 8601 date such as 2025-03-01 or 2025-03-01T10:00:00+05:30'
const STATUSES = new Set<string>(ORDER_STATUSES)

type Sink = { errors: RowIssue[]; row: number }

const fail = (sink: Sink, column: string, message: string): undefined => {
  sink.errors.push({ column, message, row: sink.row })
  return undefined
}

/** Visits every column with a non-empty value; empty or missing cells leave stored values alone. */
const eachCell = <TField extends string>(
  { cells, mapping, row }: CastArgs<TField>,
  sink: Sink,
  visit: (args: { attributes: Record<string, unknown>; column: HeaderMapping<TField>['columns'][number]; value: string }) => void,
): Record<string, unknown> => {
  const attributes: Record<string, unknown> = {}
  for (const column of mapping.columns) {
    const raw = cells[column.index] ?? ''
    const problem = cellProblem(raw)
    if (problem) {
      sink.errors.push({ column: column.header, message: problem, row })
      continue
    }
    const value = stripFormulaPrefix(raw.trim())
    if (value === '' || column.target.kind === 'skip') continue
    visit({ attributes, column, value })
  }
  return attributes
}

const dateOf = (sink: Sink, header: string, value: string, timeZone: string): string | undefined =>
  parseIsoDate(value, timeZone) ? value : fail(sink, header, `"${value}" ${ISO_HINT}.`)

/** A JSON object in an `attributes` cell (what our export writes), or null for any other text. */
const parseAttributesObject = (value: string): null | Record<string, unknown> => {
  if (!value.startsWith('{')) return null
  try {
    const parsed: unknown = JSON.parse(value)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/**
 * The columns that are no field: each extra column one `attributes` key, and an `attributes` cell
 * holding a JSON object (what our export writes) merged whole beneath them.
 */
const extraColumns = () => {
  let merged: Record<string, unknown> | undefined
  return {
    result: (attributes: Record<string, unknown>): Record<string, unknown> | undefined =>
      merged || Object.keys(attributes).length > 0 ? { ...merged, ...attributes } : undefined,
    visit: (attributes: Record<string, unknown>, target: ColumnTarget<string>, value: string): void => {
      if (target.kind === 'attribute') attributes[target.key] = value
      else if (target.kind === 'attributes') {
        const parsed = parseAttributesObject(value)
        // Not a JSON object: an ordinary extra column that happens to be called "attributes".
        if (parsed) merged = parsed
        else attributes.attributes = value
      }
    },
  }
}

/**
 * Validates and casts one customers-file row (CONTRACT: Ingestion). Empty cells and absent columns
 * give no key (the stored value stays); extra columns go to `attributes` under their camelCase header.
 */
export const castCustomerRow = (args: CastArgs<CustomerField>): CastResult<CastCustomer> => {
  const sink: Sink = { errors: [], row: args.row }
  const out: Partial<CastCustomer> = {}
  const extra = extraColumns()
  const attributes = eachCell(args, sink, ({ attributes, column, value }) => {
    const { header, target } = column
    if (target.kind !== 'field') extra.visit(attributes, target, value)
    else {
      switch (target.field) {
        case 'email': {
          const check = checkEmail(value)
          if (check === true) out.email = normaliseEmail(value)
          else fail(sink, header, check)
          break
        }
        case 'visits':
          out.visits = parseNonNegativeInteger(value) ?? fail(sink, header, `Visits must be a non-negative whole number (got "${value}").`)
          break
        case 'baseSpend':
          out.baseSpend = parseNonNegativeNumber(value) ?? fail(sink, header, `Spend must be a non-negative number (got "${value}").`)
          break
        case 'marketingOptOut':
          out.marketingOptOut = parseBoolean(value) ?? fail(sink, header, `Use true/false, yes/no or 1/0 (got "${value}").`)
          break
        case 'tags':
          out.tags = splitTags(value)
          break
        case 'createdAt':
        case 'lastVisitAt':
          out[target.field] = dateOf(sink, header, value, args.timeZone)
          break
        default:
          out[target.field] = value
      }
    }
  })
  if (out.email === undefined && !sink.errors.some((error) => error.column === headerOf(args.mapping, 'email'))) {
    fail(sink, headerOf(args.mapping, 'email'), 'Email is required.')
  }
  if (sink.errors.length > 0) return { errors: sink.errors, ok: false }
  const row = Object.fromEntries(Object.entries(out).filter(([, value]) => value !== undefined)) as CastCustomer
  const allAttributes = extra.result(attributes)
  if (allAttributes) row.attributes = allAttributes
  return { ok: true, row }
}

const headerOf = <TField extends string>(mapping: HeaderMapping<TField>, field: TField): string =>
  mapping.columns.find((column) => column.target.kind === 'field' && column.target.field === field)?.header ?? field

/**
 * Validates and casts one orders-file row: id, customer email, amount and date are required; a
 * currency other than the store's is an error (no conversion); status must be a known one.
 */
export const castOrderRow = (args: CastArgs<OrderField> & { storeCurrency: string }): CastResult<CastOrder> => {
  const sink: Sink = { errors: [], row: args.row }
  const out: Partial<CastOrder> = {}
  const extra = extraColumns()
  const attributes = eachCell(args, sink, ({ attributes, column: { header, target }, value }) => {
    if (target.kind !== 'field') return extra.visit(attributes, target, value)
    switch (target.field) {
      case 'externalId':
        out.externalId = value
        break
      case 'customerEmail': {
        const check = checkEmail(value)
        if (check === true) out.customerEmail = normaliseEmail(value)
        else fail(sink, header, check)
        break
      }
      case 'amount':
        out.amount = parseNonNegativeNumber(value) ?? fail(sink, header, `Amount must be a non-negative number (got "${value}").`)
        break
      case 'orderedAt':
        out.orderedAt = dateOf(sink, header, value, args.timeZone)
        break
      case 'currency': {
        const currency = value.toUpperCase()
        if (currency === args.storeCurrency) out.currency = currency
        else fail(sink, header, `Orders must be in the store currency ${args.storeCurrency} (got "${value}"); amounts are not converted.`)
        break
      }
      case 'status': {
        const status = value.toLowerCase()
        if (STATUSES.has(status)) out.status = status as CastOrder['status']
        else fail(sink, header, `Status must be one of ${ORDER_STATUSES.join(', ')} (got "${value}").`)
        break
      }
    }
  })
  const required: [OrderField, string][] = [
    ['externalId', 'The order id is required.'],
    ['customerEmail', 'The customer email is required.'],
    ['amount', 'The amount is required.'],
    ['orderedAt', 'The order date is required.'],
  ]
  for (const [field, message] of required) {
    const header = headerOf(args.mapping, field)
    if (out[field] === undefined && !sink.errors.some((error) => error.column === header)) fail(sink, header, message)
  }
  if (sink.errors.length > 0) return { errors: sink.errors, ok: false }
  const row = out as CastOrder
  const allAttributes = extra.result(attributes)
  if (allAttributes) row.attributes = allAttributes
  return { ok: true, row }
}
