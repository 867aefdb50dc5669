import { generateCustomers, generateOrders, seedCustomerCreatedAt } from './generateSeedData.js'
import { createRandom, hashUnit, weightedPicker } from './random.js'

const now = new Date('2026-01-01T00:00:00.000Z')
const all = <T>(batches: Generator<T[]>): T[] => [...batches].flat()

describe('seed data generator', () => {
  it('should be deterministic for a seed and differ across seeds', () => {
    const a = all(generateCustomers({ batchSize: 7, count: 50, now, seed: 42 }))
    const b = all(generateCustomers({ batchSize: 50, count: 50, now, seed: 42 }))
    const c = all(generateCustomers({ batchSize: 50, count: 50, now, seed: 43 }))
    expect(a).toEqual(b)
    expect(a.map((row) => row.email)).not.toEqual(c.map((row) => row.email))
  })

  it('should batch, keep emails unique and fields realistic', () => {
    const batches = [...generateCustomers({ batchSize: 1000, count: 5000, now, seed: 1 })]
    expect(batches.map((batch) => batch.length)).toEqual([1000, 1000, 1000, 1000, 1000])
    const rows = batches.flat()
    expect(new Set(rows.map((row) => row.email)).size).toBe(5000)
    for (const row of rows.slice(0, 200)) {
      expect(row.email).toMatch(/^[a-z]+\.[a-z]+\d+@[a-z.]+$/)
      expect(row.phone).toMatch(/^\+91[6-9]\d{9}$/)
      expect(row.createdAt.getTime()).toBeLessThanOrEqual(now.getTime())
      expect(row.createdAt.getTime()).toBeGreaterThan(now.getTime() - 731 * 86_400_000)
      if (row.lastVisitAt) expect(row.lastVisitAt.getTime()).toBeGreaterThanOrEqual(row.createdAt.getTime())
    }
    const optOut = rows.filter((row) => row.marketingOptOut).length / rows.length
    expect(optOut).toBeGreaterThan(0.005)
    expect(optOut).toBeLessThan(0.05)
    expect(rows.filter((row) => row.baseSpend === 0).length / rows.length).toBeGreaterThan(0.8)
    expect(new Set(rows.map((row) => row.city)).has('Mumbai')).toBe(true)
  })

  it('should give orders after the signup, within 18 months, with INR amounts and a few cancellations', () => {
    const orders = all(generateOrders({ batchSize: 999, count: 20_000, customerCount: 2000, now, seed: 1 }))
    expect(orders).toHaveLength(20_000)
    expect(new Set(orders.map((order) => order.externalId)).size).toBe(20_000)
    for (const order of orders.slice(0, 500)) {
      const signup = seedCustomerCreatedAt({ index: order.customerIndex, now, seed: 1 })
      expect(order.orderedAt.getTime()).toBeGreaterThanOrEqual(signup.getTime())
      expect(order.orderedAt.getTime()).toBeGreaterThanOrEqual(now.getTime() - 549 * 86_400_000)
      expect(order.amount).toBeGreaterThanOrEqual(99)
      expect(order.amount).toBeLessThanOrEqual(49_999)
      expect(order.customerIndex).toBeLessThan(2000)
    }
    const cancelled = orders.filter((order) => order.status === 'cancelled' || order.status === 'refunded').length / orders.length
    expect(cancelled).toBeGreaterThan(0.05)
    expect(cancelled).toBeLessThan(0.2)
  })

  it('should provide a uniform-looking PRNG and weighted picks', () => {
    const random = createRandom(7)
    const draws = Array.from({ length: 10_000 }, () => random.next())
    const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length
    expect(mean).toBeGreaterThan(0.48)
    expect(mean).toBeLessThan(0.52)
    expect(hashUnit(1, 2)).toBe(hashUnit(1, 2))
    const pick = weightedPicker([['a', 1], ['b', 3]] as const)
    expect([pick(0.1), pick(0.3), pick(0.99)]).toEqual(['a', 'b', 'b'])
  })
})
