import type { Payload } from 'payload'

import type { NormalisedCustomer, NormalisedOrder } from '../normaliseRows.js'
import type { Id, WrittenCustomers, WrittenOrders, WrittenStatus } from '../types.js'

import { SLUGS } from '../../constants.js'

/** The slice of a mongoose Model used here (`payload.db.collections[slug]`). */
type ModelLike = {
  base?: { Types?: { ObjectId?: new (id: string) => unknown } }
  bulkWrite: (ops: unknown[], options?: { ordered?: boolean }) => Promise<{ matchedCount: number; modifiedCount: number; upsertedCount: number; upsertedIds?: Record<number, unknown> }>
  find: (filter: unknown, projection?: unknown) => { lean: () => Promise<Record<string, unknown>[]> }
}

const modelOf = (payload: Payload, slug: string): ModelLike => {
  const model = (payload.db as unknown as { collections?: Record<string, ModelLike> }).collections?.[slug]
  if (!model) throw new Error(`No MongoDB model for collection "${slug}"`)
  return model
}

const toDate = (value: null | string | undefined) => (value === null || value === undefined ? value : new Date(value))

/**
 * Per-op statuses of an unordered bulkWrite: an upserted op `created`, the others `updated`
 * (MongoDB counts the matched documents it did not modify, but does not say which: documented gap).
 */
const statusesOf = (count: number, upsertedIds: Record<number, unknown> | undefined): WrittenStatus[] => {
  const statuses = new Array<WrittenStatus>(count).fill('updated')
  for (const index of Object.keys(upsertedIds ?? {})) statuses[Number(index)] = 'created'
  return statuses
}

const idsByEmail = async (model: ModelLike, emails: string[]): Promise<Map<string, Id>> => {
  const docs = await model.find({ email: { $in: emails } }, { _id: 1, email: 1 }).lean()
  return new Map(docs.map((doc) => [String(doc.email), String(doc._id)]))
}

/**
 * MongoDB (wired, untested here: no server on our machines): one unordered `bulkWrite` of upserts
 * by email. Unlike the SQL dialects, `attributes` replaces the stored object instead of merging.
 */
export const upsertCustomersMongo = async ({
  now,
  payload,
  returnIds,
  rows,
}: {
  now: string
  payload: Payload
  returnIds: boolean
  rows: NormalisedCustomer[]
}): Promise<WrittenCustomers> => {
  if (rows.length === 0) return { created: 0, ids: new Map(), statuses: [], unchanged: 0, updated: 0 }
  const model = modelOf(payload, SLUGS.customers)
  const ops = rows.map(({ baseSpend, createdAt, email, lastVisitAt, ...rest }) => {
    const set: Record<string, unknown> = { ...rest, updatedAt: new Date(now) }
    if (baseSpend !== undefined) set.baseSpend = baseSpend
    if (lastVisitAt !== undefined) set.lastVisitAt = toDate(lastVisitAt)
    if (createdAt !== undefined) set.createdAt = new Date(createdAt)
    const onInsert: Record<string, unknown> = {
      ...(createdAt === undefined ? { createdAt: new Date(now) } : {}),
      ...(set.marketingOptOut === undefined ? { marketingOptOut: false } : {}),
      ...(set.visits === undefined ? { visits: 0 } : {}),
      ...(baseSpend === undefined ? { baseSpend: 0 } : {}),
      orderCount: 0,
      totalSpend: baseSpend ?? 0,
    }
    return { updateOne: { filter: { email }, update: { $set: set, $setOnInsert: onInsert }, upsert: true } }
  })
  const result = await model.bulkWrite(ops, { ordered: false })
  const ids = returnIds ? await idsByEmail(model, rows.map((row) => row.email)) : new Map<string, Id>()
  return { created: result.upsertedCount, ids, statuses: statusesOf(rows.length, result.upsertedIds), unchanged: result.matchedCount - result.modifiedCount, updated: result.matchedCount }
}

/** MongoDB (wired, untested): bare customers for unknown emails, then one `bulkWrite` of order upserts. */
export const upsertOrdersMongo = async ({
  currency,
  now,
  payload,
  rows,
}: {
  currency: string
  now: string
  payload: Payload
  rows: NormalisedOrder[]
}): Promise<WrittenOrders> => {
  if (rows.length === 0) return { created: 0, customerIds: [], customersCreated: 0, statuses: [], unchanged: 0, updated: 0 }
  const customers = modelOf(payload, SLUGS.customers)
  const orders = modelOf(payload, SLUGS.orders)
  const emails = [...new Set(rows.flatMap((row) => (row.customerEmail ? [row.customerEmail] : [])))]
  let customersCreated = 0
  let byEmail = new Map<string, Id>()
  if (emails.length > 0) {
    const date = new Date(now)
    const bare = await customers.bulkWrite(
      emails.map((email) => ({
        updateOne: {
          filter: { email },
          update: { $setOnInsert: { baseSpend: 0, createdAt: date, email, marketingOptOut: false, orderCount: 0, totalSpend: 0, updatedAt: date, visits: 0 } },
          upsert: true,
        },
      })),
      { ordered: false },
    )
    customersCreated = bare.upsertedCount
    byEmail = await idsByEmail(customers, emails)
  }
  const ObjectId = orders.base?.Types?.ObjectId
  const asRef = (id: Id) => (ObjectId ? new ObjectId(String(id)) : id)
  const customerIds = new Set<string>()
  const ops = rows.map((row) => {
    const customerId = row.customerId ?? (byEmail.get(row.customerEmail as string) as Id)
    customerIds.add(String(customerId))
    const set: Record<string, unknown> = { amount: row.amount, customer: asRef(customerId), orderedAt: new Date(row.orderedAt), updatedAt: new Date(now) }
    if (row.currency) set.currency = row.currency
    if (row.status) set.status = row.status
    if (row.createdAt) set.createdAt = new Date(row.createdAt)
    // As for customers on MongoDB: the given object replaces the stored one.
    if (row.attributes !== undefined) set.attributes = row.attributes
    const onInsert: Record<string, unknown> = {
      ...(row.createdAt ? {} : { createdAt: new Date(now) }),
      ...(row.currency ? {} : { currency }),
      ...(row.status ? {} : { status: 'placed' }),
    }
    return { updateOne: { filter: { externalId: row.externalId }, update: { $set: set, $setOnInsert: onInsert }, upsert: true } }
  })
  const result = await orders.bulkWrite(ops, { ordered: false })
  // MongoDB counts a matched document it did not modify: that is `unchanged`.
  return { created: result.upsertedCount, customerIds: [...customerIds], customersCreated, statuses: statusesOf(rows.length, result.upsertedIds), unchanged: result.matchedCount - result.modifiedCount, updated: result.matchedCount }
}
