import { CITIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, ORDER_STATUS_WEIGHTS, PREFERRED_CHANNELS, TAGS } from './indianRetail.js'
import { createRandom, hashUnit, weightedPicker } from './random.js'

/** A generated customer (the shape the bulk layer's `CustomerRow` accepts). */
export type SeedCustomer = {
  attributes?: Record<string, string>
  baseSpend: number
  city: string
  createdAt: Date
  email: string
  lastVisitAt: Date | null
  marketingOptOut: boolean
  name: string
  phone: string
  tags: string[]
  visits: number
}

/** A generated order; `customerIndex` is the 0-based number of the customer it belongs to. */
export type SeedOrder = {
  amount: number
  customerIndex: number
  externalId: string
  orderedAt: Date
  status: (typeof ORDER_STATUS_WEIGHTS)[number][0]
}

const DAY_MS = 86_400_000
const SIGNUP_WINDOW_DAYS = 730
const ORDER_WINDOW_DAYS = 548 // ~18 months

const pickCity = weightedPicker(CITIES)
const pickDomain = weightedPicker(EMAIL_DOMAINS)
const pickStatus = weightedPicker(ORDER_STATUS_WEIGHTS)

/** Signup date of customer `index`: a pure function of (seed, index) so orders can follow it. */
export const seedCustomerCreatedAt = ({ index, now, seed }: { index: number; now: Date; seed: number }): Date =>
  new Date(now.getTime() - Math.floor(hashUnit(seed, index) * SIGNUP_WINDOW_DAYS * DAY_MS))

/** Unique per (seed, index): `asha.rao42@gmail.com`, with `.s<seed>` for seeds other than 1. */
const emailFor = (first: string, last: string, index: number, seed: number, domainUnit: number) =>
  `${first}.${last}${index + 1}${seed === 1 ? '' : `.s${seed}`}@${pickDomain(domainUnit)}`.toLowerCase()

/**
 * Yields batches of realistic Indian retail customers, deterministic for a given `seed`: names,
 * weighted cities, +91 mobiles, unique emails, tags, visits, a mostly-zero baseline spend, signups
 * over the past two years and ~2 % marketing opt-outs.
 */
export function* generateCustomers({
  batchSize,
  count,
  now,
  seed,
}: {
  batchSize: number
  count: number
  now: Date
  seed: number
}): Generator<SeedCustomer[]> {
  const random = createRandom(seed)
  let batch: SeedCustomer[] = []
  for (let index = 0; index < count; index++) {
    const first = random.pick(FIRST_NAMES)
    const last = random.pick(LAST_NAMES)
    const createdAt = seedCustomerCreatedAt({ index, now, seed })
    // Visits: most customers come a few times, a long tail comes often.
    const visits = Math.floor(-Math.log(1 - random.next()) * 6)
    const sinceSignup = now.getTime() - createdAt.getTime()
    const tags = TAGS.filter(([, share]) => random.chance(share)).map(([tag]) => tag)
    const customer: SeedCustomer = {
      baseSpend: random.chance(0.12) ? random.int(5, 500) * 100 : 0,
      city: pickCity(random.next()),
      createdAt,
      email: emailFor(first, last, index, seed, random.next()),
      lastVisitAt: visits === 0 ? null : new Date(createdAt.getTime() + Math.floor(random.next() * sinceSignup)),
      marketingOptOut: random.chance(0.02),
      name: `${first} ${last}`,
      phone: `+91${random.int(6, 9)}${String(random.int(0, 999_999_999)).padStart(9, '0')}`,
      tags,
      visits,
    }
    if (random.chance(0.25)) customer.attributes = { preferredChannel: random.pick(PREFERRED_CHANNELS) }
    batch.push(customer)
    if (batch.length === batchSize) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

/**
 * Yields batches of orders over the past ~18 months (never before the customer signed up), with
 * INR amounts from ₹99 to ~₹50,000 (most a few hundred to a few thousand, prices ending in 9), and
 * a few cancelled or refunded. Busier customers are picked more often.
 */
export function* generateOrders({
  batchSize,
  count,
  customerCount,
  now,
  seed,
}: {
  batchSize: number
  count: number
  customerCount: number
  now: Date
  seed: number
}): Generator<SeedOrder[]> {
  if (customerCount <= 0 && count > 0) throw new RangeError('orders need at least one customer')
  const random = createRandom(seed ^ 0x5bd1e995)
  const windowStart = now.getTime() - ORDER_WINDOW_DAYS * DAY_MS
  let batch: SeedOrder[] = []
  for (let index = 0; index < count; index++) {
    // Skewed towards low indices: a minority of customers places most orders.
    const customerIndex = Math.min(customerCount - 1, Math.floor(customerCount * random.next() ** 1.6))
    const signup = seedCustomerCreatedAt({ index: customerIndex, now, seed }).getTime()
    const from = Math.max(windowStart, signup)
    const orderedAt = new Date(from + Math.floor(random.next() * (now.getTime() - from)))
    // Log-normal around ₹1,200, clamped, rounded to a price ending in 9.
    const raw = Math.exp(Math.log(1200) + 1.1 * (random.next() + random.next() + random.next() - 1.5) * 1.6)
    const amount = Math.max(99, Math.min(49_999, Math.round(raw / 10) * 10 - 1))
    batch.push({
      amount,
      customerIndex,
      externalId: `ORD-${seed}-${String(index + 1).padStart(8, '0')}`,
      orderedAt,
      status: pickStatus(random.next()),
    })
    if (batch.length === batchSize) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}
