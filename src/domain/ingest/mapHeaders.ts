import type { CustomerField, HeaderMapping, ImportKind, OrderField } from './types.js'

import { ATTRIBUTES_HEADER, CUSTOMER_HEADERS, normaliseHeader, ORDER_HEADERS, SKIPPED_HEADERS, toCamelCase } from './headers.js'
import { stripFormulaPrefix } from './formulaPrefix.js'

type FieldOf<TKind extends ImportKind> = TKind extends 'customers' ? CustomerField : OrderField

export type MapHeadersResult<TField extends string> = { mapping: HeaderMapping<TField>; ok: true } | { message: string; ok: false }

/**
 * Maps a header row to fields (ignoring case, spaces, hyphens and underscores, with the contract's
 * synonyms). A field named twice keeps its first column; the later ones go to `attributes` like any
 * other unknown column (customers and orders alike). Fails
 * when the key column is missing: `email` for customers, the order id for orders.
 */
export const mapHeaders = <TKind extends ImportKind>({ headers, kind }: { headers: readonly string[]; kind: TKind }): MapHeadersResult<FieldOf<TKind>> => {
  const synonyms = (kind === 'customers' ? CUSTOMER_HEADERS : ORDER_HEADERS) as Map<string, FieldOf<TKind>>
  const mapping: HeaderMapping<FieldOf<TKind>> = { columns: [], fields: new Set() }
  headers.forEach((raw, index) => {
    const header = stripFormulaPrefix(raw).trim()
    const normalised = normaliseHeader(header)
    if (normalised === '') return
    const field = synonyms.get(normalised)
    if (field !== undefined && !mapping.fields.has(field)) {
      mapping.fields.add(field)
      mapping.columns.push({ header, index, target: { field, kind: 'field' } })
    } else if (SKIPPED_HEADERS[kind].has(normalised)) {
      mapping.columns.push({ header, index, target: { kind: 'skip' } })
    } else if (normalised === ATTRIBUTES_HEADER) {
      mapping.columns.push({ header, index, target: { kind: 'attributes' } })
    } else {
      mapping.columns.push({ header, index, target: { key: toCamelCase(header), kind: 'attribute' } })
    }
  })
  const key = (kind === 'customers' ? 'email' : 'externalId') as FieldOf<TKind>
  if (!mapping.fields.has(key)) {
    return {
      message:
        kind === 'customers'
          ? 'The file has no email column (accepted headers: email, e-mail, email address, customer email).'
          : 'The file has no order id column (accepted headers: order id, order number, external id, id).',
      ok: false,
    }
  }
  return { mapping, ok: true }
}
