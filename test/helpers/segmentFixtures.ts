import type { Payload } from 'payload'

import type { CustomerRow, OrderRow } from '../../src/bulk/index.js'
import type { CustomerFacts } from '../../src/domain/segments/evaluate.js'
import type { Scalar } from '../../src/domain/segments/types.js'
import type { ValuePool } from './segmentArbitraries.js'

import { upsertCustomers, upsertOrders } from '../../src/bulk/index.js'
import { createRandom } from '../../src/domain/seed/random.js'

const DAY = 86_400_000

const NAMES = ['Asha Rao', 'ASHA RAO', 'José Álvarez', 'JOSÉ ÁLVAREZ', 'Σοφία Παππά', 'ΣΟΦΊΑ', 'Дмитрий Иванов', 'ДМИТРИЙ', 'Zoë Kapoor', 'İpek Yılmaz', 'Straße', "O'Brien", 'Arjun', 'aNNa']
const CITIES = ['Pune', 'PUNE', 'pune', 'Mumbai', 'Delhi', 'São Paulo', 'SÃO PAULO', 'Ελλάδα', 'ΕΛΛΆΔΑ', 'Москва', 'МОСКВА', 'İstanbul', 'istanbul']
const TAGS = ['vip', 'VIP', 'Churned', 'churned', 'new', 'früh', 'FRÜH']
const ATTRIBUTE_VALUES: Record<string, Scalar[]> = {
  preferredChannel: ['whatsapp', 'WhatsApp', 'SMS', 'e-mail'],
  size: ['10', '10.5', '9', 'XL', 'xl', 7, 12.25, -3],
  vip: [true, false, 'yes'],
}

/**
 * Deterministic customers for segment tests: every field sometimes missing, non-ASCII names and
 * cities in several cases, tags in mixed case, attributes of every JSON kind; orders for most of them.
 */
export const buildSegmentCustomers = ({ count, now, seed }: { count: number; now: Date; seed: number }): { customers: CustomerRow[]; orders: OrderRow[] } => {
  const random = createRandom(seed)
  const maybe = <T>(share: number, value: T): T | null => (random.chance(share) ? value : null)
  const customers: CustomerRow[] = []
  const orders: OrderRow[] = []
  for (let i = 0; i < count; i++) {
    const createdAt = new Date(now.getTime() - random.int(0, 900) * DAY - random.int(0, DAY - 1))
    const attributes: Record<string, unknown> = {}
    for (const [key, values] of Object.entries(ATTRIBUTE_VALUES)) if (random.chance(0.5)) attributes[key] = random.pick(values)
    if (random.chance(0.1)) attributes.nested = { a: 1 }
    const email = `${random.chance(0.1) ? 'josé' : 'user'}${i}@${random.pick(['example.org', 'Example.IN', 'shop.co'])}`
    customers.push({
      attributes: Object.keys(attributes).length > 0 ? attributes : null,
      baseSpend: random.chance(0.3) ? random.int(0, 200) * 50 : 0,
      city: maybe(0.85, random.pick(CITIES)),
      createdAt,
      email,
      lastVisitAt: maybe(0.7, new Date(createdAt.getTime() + Math.floor(random.next() * (now.getTime() - createdAt.getTime())))),
      marketingOptOut: random.chance(0.1),
      name: maybe(0.85, random.pick(NAMES)),
      phone: maybe(0.7, `+91${random.int(70000, 99999)}${random.int(10000, 99999)}`),
      tags: TAGS.filter(() => random.chance(0.2)),
      visits: random.chance(0.95) ? random.int(0, 30) : null,
    })
    if (random.chance(0.65)) {
      const n = random.int(1, 4)
      for (let k = 0; k < n; k++) {
        orders.push({
          amount: random.int(1, 400) * 25,
          customerEmail: email,
          externalId: `SEG-${seed}-${i}-${k}`,
          orderedAt: new Date(createdAt.getTime() + Math.floor(random.next() * (now.getTime() - createdAt.getTime()))),
          status: random.chance(0.1) ? 'cancelled' : 'placed',
        })
      }
    }
  }
  return { customers, orders }
}

/** Loads `buildSegmentCustomers` through the bulk layer (aggregates derived from the orders). */
export const seedSegmentCustomers = async ({ count, now, payload, seed }: { count: number; now: Date; payload: Payload; seed: number }): Promise<void> => {
  const { customers, orders } = buildSegmentCustomers({ count, now, seed })
  await upsertCustomers({ payload, rows: customers })
  await upsertOrders({ payload, rows: orders })
}

type StoredCustomer = {
  attributes?: null | Record<string, unknown>
  city?: null | string
  createdAt: string
  email?: null | string
  id: number | string
  lastOrderAt?: null | string
  lastVisitAt?: null | string
  marketingOptOut?: boolean | null
  name?: null | string
  orderCount?: null | number
  phone?: null | string
  tags?: null | string[]
  totalSpend?: null | number
  visits?: null | number
}

/** Every stored customer as the evaluator reads it, read back through Payload (so both sides see the same data). */
export const loadCustomerFacts = async (payload: Payload): Promise<(CustomerFacts & { id: number })[]> => {
  const { docs } = await payload.find({ collection: 'customers', depth: 0, overrideAccess: true, pagination: false, sort: 'id' })
  return (docs as unknown as StoredCustomer[]).map((doc) => ({
    attributes: doc.attributes ?? null,
    city: doc.city ?? null,
    createdAt: new Date(doc.createdAt),
    email: doc.email ?? null,
    id: Number(doc.id),
    lastOrderAt: doc.lastOrderAt ? new Date(doc.lastOrderAt) : null,
    lastVisitAt: doc.lastVisitAt ? new Date(doc.lastVisitAt) : null,
    marketingOptOut: doc.marketingOptOut ?? null,
    name: doc.name ?? null,
    orderCount: doc.orderCount ?? null,
    phone: doc.phone ?? null,
    tags: doc.tags ?? [],
    totalSpend: doc.totalSpend ?? null,
    visits: doc.visits ?? null,
  }))
}

const distinct = <T>(values: (T | null | undefined)[]): T[] => [...new Set(values.filter((value): value is T => value !== null && value !== undefined))]

/** Rule values drawn from the stored customers (dates as days, instants and zone-less times). */
export const valuePoolFrom = (facts: CustomerFacts[]): ValuePool => {
  const dates = facts.flatMap((fact) => [fact.createdAt, fact.lastOrderAt, fact.lastVisitAt]).filter((date): date is Date => date !== null)
  const attributeValues: Record<string, Scalar[]> = {}
  for (const fact of facts) {
    for (const [key, value] of Object.entries(fact.attributes ?? {})) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') (attributeValues[key] ??= []).push(value)
    }
  }
  for (const key of Object.keys(attributeValues)) attributeValues[key] = distinct(attributeValues[key]!)
  return {
    attributes: attributeValues,
    cities: distinct(facts.map((fact) => fact.city)),
    dates: distinct(dates.slice(0, 60).flatMap((date) => [date.toISOString(), date.toISOString().slice(0, 10), date.toISOString().slice(0, 19), date.toISOString().replace('Z', '+05:30')])),
    emails: distinct(facts.map((fact) => fact.email)).slice(0, 50),
    names: distinct(facts.map((fact) => fact.name)),
    numbers: {
      orders: distinct(facts.map((fact) => fact.orderCount)),
      spend: distinct(facts.map((fact) => fact.totalSpend)).slice(0, 50),
      visits: distinct(facts.map((fact) => fact.visits)),
    },
    phones: distinct(facts.map((fact) => fact.phone)).slice(0, 50),
    tags: distinct(facts.flatMap((fact) => fact.tags)),
  }
}
