import type { Payload, Where } from 'payload'

import type { ExportableCustomer, ExportableOrder, ExportColumn } from '../../domain/ingest/index.js'

import { stringify } from 'csv-stringify'
import { once } from 'node:events'
import { Readable } from 'node:stream'

import { CSV_EXPORT_PAGE_ROWS, SLUGS } from '../../constants.js'
import { CUSTOMER_EXPORT_COLUMNS, ORDER_EXPORT_COLUMNS, toExportRow } from '../../domain/ingest/index.js'

type Id = number | string
/** `more`: another page may follow. */
type Page<TDoc> = { docs: TDoc[]; lastId: Id | undefined; more: boolean }

/** The next `limit` member ids after `afterId` (id order) of an audience computed elsewhere, e.g. a segment. */
export type MemberIdsAfter = (afterId: Id | undefined, limit: number) => Promise<Id[]>

type ExportSpec<TDoc> = { columns: ExportColumn<TDoc>[]; readPage: (afterId: Id | undefined) => Promise<Page<TDoc>> }

const pageWhere = (where: undefined | Where, afterId: Id | undefined): Where => {
  const base = where ?? {}
  return afterId === undefined ? base : { and: [base, { id: { greater_than: afterId } }] }
}

const customersSpec = (payload: Payload, where: undefined | Where, memberIdsAfter?: MemberIdsAfter): ExportSpec<ExportableCustomer> => ({
  columns: CUSTOMER_EXPORT_COLUMNS,
  readPage: async (afterId) => {
    if (memberIdsAfter) {
      // A segment's members: keyset pages of ids from the segment's SQL, then those customers.
      const ids = await memberIdsAfter(afterId, CSV_EXPORT_PAGE_ROWS)
      const found =
        ids.length === 0
          ? []
          : (
              await payload.find({
                collection: SLUGS.customers,
                depth: 0,
                limit: ids.length,
                overrideAccess: true,
                pagination: false,
                sort: 'id',
                where: where ? { and: [where, { id: { in: ids } }] } : { id: { in: ids } },
              })
            ).docs
      return { docs: found as unknown as ExportableCustomer[], lastId: ids.at(-1), more: ids.length === CSV_EXPORT_PAGE_ROWS }
    }
    const { docs } = await payload.find({
      collection: SLUGS.customers,
      depth: 0,
      limit: CSV_EXPORT_PAGE_ROWS,
      overrideAccess: true,
      pagination: false,
      sort: 'id',
      where: pageWhere(where, afterId),
    })
    return { docs: docs as unknown as ExportableCustomer[], lastId: docs.at(-1)?.id, more: docs.length === CSV_EXPORT_PAGE_ROWS }
  },
})

const ordersSpec = (payload: Payload, where: undefined | Where): ExportSpec<ExportableOrder> => ({
  columns: ORDER_EXPORT_COLUMNS,
  readPage: async (afterId) => {
    const { docs } = await payload.find({
      collection: SLUGS.orders,
      depth: 0,
      limit: CSV_EXPORT_PAGE_ROWS,
      overrideAccess: true,
      pagination: false,
      sort: 'id',
      where: pageWhere(where, afterId),
    })
    const customerIds = [...new Set(docs.map((doc) => (typeof doc.customer === 'object' ? doc.customer.id : doc.customer)))]
    const owners =
      customerIds.length === 0
        ? []
        : (
            await payload.find({
              collection: SLUGS.customers,
              depth: 0,
              limit: customerIds.length,
              overrideAccess: true,
              pagination: false,
              select: { email: true },
              where: { id: { in: customerIds } },
            })
          ).docs
    const emails = new Map<Id, string>(owners.map((owner) => [owner.id, owner.email]))
    const rows = docs.map((doc) => ({
      amount: doc.amount,
      attributes: doc.attributes,
      currency: doc.currency,
      customerEmail: emails.get(typeof doc.customer === 'object' ? doc.customer.id : doc.customer) ?? '',
      externalId: doc.externalId,
      orderedAt: doc.orderedAt,
      status: doc.status,
    }))
    return { docs: rows, lastId: docs.at(-1)?.id, more: docs.length === CSV_EXPORT_PAGE_ROWS }
  },
})

const streamPages = async <TDoc>(spec: ExportSpec<TDoc>): Promise<ReadableStream<Uint8Array>> => {
  // The first page is read before answering, so a bad `where` is still a 400 and not a cut-off file.
  let page = await spec.readPage(undefined)
  const stringifier = stringify({ header: true, columns: spec.columns.map((column) => column.header) })
  const pump = async () => {
    for (;;) {
      for (const doc of page.docs) {
        if (!stringifier.write(toExportRow(spec.columns, doc))) await once(stringifier, 'drain')
      }
      if (!page.more || page.lastId === undefined) break
      page = await spec.readPage(page.lastId)
    }
    stringifier.end()
  }
  pump().catch((err: unknown) => stringifier.destroy(err instanceof Error ? err : new Error(String(err))))
  return Readable.toWeb(stringifier) as unknown as ReadableStream<Uint8Array>
}

/**
 * A streaming CSV export of the customers or orders matching `where` (as in REST), read in
 * keyset pages of `CSV_EXPORT_PAGE_ROWS` by id, so memory stays constant whatever the table size.
 * Cells that a spreadsheet would run as formulas get a `'` prefix the importer removes again.
 * Customers can be limited to an audience's members (`memberIdsAfter`, e.g. a segment's SQL).
 * Callers authorise first (it reads with `overrideAccess`).
 */
export const exportCsv = ({
  kind,
  memberIdsAfter,
  payload,
  where,
}: {
  kind: 'customers' | 'orders'
  memberIdsAfter?: MemberIdsAfter
  payload: Payload
  where?: Where
}): Promise<ReadableStream<Uint8Array>> =>
  kind === 'customers' ? streamPages(customersSpec(payload, where, memberIdsAfter)) : streamPages(ordersSpec(payload, where))
