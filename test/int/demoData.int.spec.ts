import type { CrmServer } from '../../src/server/createServer.js'
import type { TestUser } from '../helpers/users.js'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import os from 'node:os'

import { jobQueueOf } from '../../src/campaigns/jobQueueRegistry.js'
import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { DEMO_SEGMENTS } from '../../src/domain/seed/demoCatalogue.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { createCrmServer } from '../../src/server/createServer.js'
import { closePayload } from '../helpers/bootPayload.js'
import { waitFor } from '../helpers/jobsTestUtils.js'
import { createTestDatabase, currentTestDb, type TestDatabase } from '../helpers/testDb.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

type Dashboard = {
  campaigns: { audience: number; delivered: number; deliveryRate: null | number; failed: number; id: number; name: string; sent: number; status: string }[]
  cities: { city: string; customers: number }[]
  counts: { campaigns: number; segments: number }
  currency: string
  months: { month: string; orders: number; revenue: number }[]
  segments: { audienceCount: null | number; id: number; name: string }[]
  timeZone: string
  totals: { customers: number; orders: number; revenue: number }
}
type Status = { customers: null | number; error: null | string; orders: null | number; percent: number; phase: null | string; state: string }

const TIME_ZONE = 'Asia/Kolkata'
const CUSTOMERS = 400
const ORDERS = 1200

/**
 * The dashboard figures and "Load demo data" over real HTTP (the server with its job worker), with
 * the store in Asia/Kolkata so month buckets are not UTC's. Every expected figure is recomputed here
 * from the documents (Local API), never read from the aggregates under test.
 */
describe(`dashboard and demo data (${currentTestDb()})`, () => {
  let db: TestDatabase
  let crm: CrmServer
  let admin: TestUser
  let marketer: TestUser
  let viewer: TestUser

  const http = (path: string, init: RequestInit = {}) => fetch(`${crm.url}${path}`, init)
  const getJson = async <T>(path: string, token?: string): Promise<T> => {
    const res = await http(path, { headers: jsonHeaders(token) })
    expect(res.status).toBe(200)
    return (await res.json()) as T
  }
  const postDemo = (body: unknown, token?: string) => http('/api/demo-data', { body: JSON.stringify(body), headers: jsonHeaders(token), method: 'POST' })
  const status = () => getJson<Status>('/api/demo-data/status', admin.token)
  const settle = async () => {
    await waitFor('the demo load to finish', async () => ['completed', 'failed'].includes((await status()).state), 120_000)
    const done = await status()
    expect(done).toMatchObject({ error: null, percent: 100, state: 'completed' })
  }
  /** Every document of a collection through the Local API (pages of 1,000). */
  const all = async <T>(collection: 'communication-logs' | 'customers' | 'orders'): Promise<T[]> => {
    const docs: T[] = []
    for (let page = 1; ; page++) {
      const result = await crm.payload.find({ collection, depth: 0, limit: 1000, overrideAccess: true, page, sort: 'id' })
      docs.push(...(result.docs as T[]))
      if (!result.hasNextPage) return docs
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase('demo_data')
    const database = parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url })
    const config = buildCrmConfig({
      env: { database, publicUrl: 'http://127.0.0.1', secret: randomBytes(16).toString('hex') },
      extra: { logger: { options: { level: process.env.TEST_LOG_LEVEL || 'fatal' } } },
      plugin: { storeTimezone: TIME_ZONE },
    })
    crm = await createCrmServer({ config, database, host: '127.0.0.1', port: 0, withAdmin: false, workerName: 'demo-data-test-worker' })
    admin = await createUserWithRole(crm.payload, 'admin')
    marketer = await createUserWithRole(crm.payload, 'marketer')
    viewer = await createUserWithRole(crm.payload, 'viewer')
  })

  afterAll(async () => {
    await crm?.close()
    if (crm) await closePayload(crm.payload)
    await db?.cleanup()
  })

  it('should show an empty CRM as zeros: twelve empty months, no cities, campaigns or segments', async () => {
    const empty = await getJson<Dashboard>('/api/dashboard', viewer.token)
    expect(empty.totals).toEqual({ customers: 0, orders: 0, revenue: 0 })
    expect(empty.months).toHaveLength(12)
    expect(empty.months.every((m) => m.orders === 0 && m.revenue === 0)).toBe(true)
    expect(empty).toMatchObject({ campaigns: [], cities: [], counts: { campaigns: 0, segments: 0 }, currency: 'INR', segments: [], timeZone: TIME_ZONE })
    expect(await status()).toMatchObject({ percent: 0, state: 'idle' })
  })

  it('should keep the doors: dashboard for anyone signed in, demo data for admins only', async () => {
    expect((await http('/api/dashboard')).status).toBe(401)
    expect((await http('/api/demo-data/status')).status).toBe(401)
    expect((await http('/api/demo-data/status', { headers: jsonHeaders(marketer.token) })).status).toBe(403)
    expect((await postDemo({}, undefined)).status).toBe(401)
    expect((await postDemo({}, viewer.token)).status).toBe(403)
    expect((await postDemo({}, marketer.token)).status).toBe(403)
    expect((await http('/api/dashboard', { headers: jsonHeaders(marketer.token) })).status).toBe(200)
  })

  it('should refuse a bad body with a 400 naming the field', async () => {
    const negative = await postDemo({ customers: -5 }, admin.token)
    expect(negative.status).toBe(400)
    expect(JSON.stringify(await negative.json())).toMatch(/customers/)
    const unknown = await postDemo({ customerz: 10 }, admin.token)
    expect(unknown.status).toBe(400)
    expect(JSON.stringify(await unknown.json())).toMatch(/customerz/)
    const huge = await postDemo({ customers: 10, orders: 10_000_000 }, admin.token)
    expect(huge.status).toBe(400)
    expect(JSON.stringify(await huge.json())).toMatch(/orders/)
    expect((await status()).state).toBe('idle')
  })

  it('should load demo data as a job with progress, refusing a second start while it runs', async () => {
    const started = await postDemo({ customers: CUSTOMERS, orders: ORDERS }, admin.token)
    expect(started.status).toBe(202)
    expect(await started.json()).toMatchObject({ customers: CUSTOMERS, orders: ORDERS })
    // Refused either because the load is still running or (a fast machine) because it already filled the CRM.
    const again = await postDemo({ customers: CUSTOMERS, orders: ORDERS }, admin.token)
    expect(again.status).toBe(409)
    expect(JSON.stringify(await again.json())).toMatch(/already being loaded|already has 400 customers/)
    await settle()
    expect(await status()).toMatchObject({ customers: CUSTOMERS, orders: ORDERS, phase: 'campaign' })
    const { jobs } = await jobQueueOf(crm.payload)!.queryJobs({ name: 'crm.loadDemoData' })
    expect(jobs).toHaveLength(1)
  })

  it('should report figures equal to counts taken from the documents themselves', async () => {
    const dashboard = await getJson<Dashboard>('/api/dashboard', viewer.token)
    const customers = await all<{ city?: null | string }>('customers')
    const orders = await all<{ amount: number; orderedAt: string; status: string }>('orders')
    expect(customers).toHaveLength(CUSTOMERS)
    expect(orders).toHaveLength(ORDERS)
    const counts = (status: string) => status !== 'cancelled' && status !== 'refunded'
    const revenue = orders.filter((o) => counts(o.status)).reduce((sum, o) => sum + o.amount, 0)
    expect(dashboard.totals.customers).toBe(CUSTOMERS)
    expect(dashboard.totals.orders).toBe(ORDERS)
    expect(dashboard.totals.revenue).toBeCloseTo(revenue, 2)

    // Months as a person in Kolkata reads them off each order's date.
    const monthOf = (iso: string) => {
      const parts = new Intl.DateTimeFormat('en-CA', { month: '2-digit', timeZone: TIME_ZONE, year: 'numeric' }).formatToParts(new Date(iso))
      return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`
    }
    const expectedMonths = new Map<string, { orders: number; revenue: number }>()
    for (const order of orders) {
      const key = monthOf(order.orderedAt)
      const entry = expectedMonths.get(key) ?? { orders: 0, revenue: 0 }
      entry.orders += 1
      entry.revenue += counts(order.status) ? order.amount : 0
      expectedMonths.set(key, entry)
    }
    expect(dashboard.months.map((m) => m.month)[11]).toBe(monthOf(new Date().toISOString()))
    for (const month of dashboard.months) {
      const expected = expectedMonths.get(month.month) ?? { orders: 0, revenue: 0 }
      expect([month.month, month.orders]).toEqual([month.month, expected.orders])
      expect(month.revenue).toBeCloseTo(expected.revenue, 2)
    }
    // The generator spreads orders over ~18 months, so some fall before the window and most inside it.
    const inWindow = dashboard.months.reduce((sum, m) => sum + m.orders, 0)
    expect(inWindow).toBeGreaterThan(ORDERS / 2)
    expect(inWindow).toBeLessThan(ORDERS)

    const byCity = new Map<string, number>()
    for (const c of customers) if (c.city) byCity.set(c.city, (byCity.get(c.city) ?? 0) + 1)
    const topCities = [...byCity.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 8)
      .map(([city, n]) => ({ city, customers: n }))
    expect(dashboard.cities).toEqual(topCities)
  })

  it('should have created the demo segments with true counts and a finished campaign whose stats match its logs', async () => {
    const dashboard = await getJson<Dashboard>('/api/dashboard', admin.token)
    expect(dashboard.counts).toEqual({ campaigns: 1, segments: DEMO_SEGMENTS.length })
    for (const segment of dashboard.segments) {
      const res = await http(`/api/segments/${segment.id}/count`, { headers: jsonHeaders(admin.token), method: 'POST' })
      expect(res.status).toBe(200)
      const counted = (await res.json()) as { count?: number; audienceCount?: number }
      expect([segment.name, segment.audienceCount]).toEqual([segment.name, counted.count ?? counted.audienceCount])
    }
    const sizes = dashboard.segments.map((s) => s.audienceCount ?? 0)
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a))

    const [campaign] = dashboard.campaigns
    expect(campaign).toMatchObject({ status: 'completed' })
    const logs = (await all<{ campaign: number; message: null | string; status: string }>('communication-logs')).filter((l) => l.campaign === campaign!.id)
    const n = (s: string) => logs.filter((l) => l.status === s).length
    expect(logs.length).toBeGreaterThan(0)
    expect(campaign).toMatchObject({ audience: logs.length, delivered: n('delivered'), failed: n('failed'), sent: n('sent') + n('delivered') })
    expect(n('pending')).toBe(0)
    expect(n('failed')).toBeGreaterThan(0)
    expect(campaign!.deliveryRate).toBeCloseTo(n('delivered') / (n('sent') + n('delivered')), 6)
    // Each recipient got their own text.
    expect(logs.every((l) => typeof l.message === 'string' && /^Hi .+, your festive offer/.test(l.message))).toBe(true)
  })

  it('should refuse to load into a CRM with customers unless forced, and a forced load duplicates nothing', async () => {
    const refused = await postDemo({ customers: CUSTOMERS, orders: ORDERS }, admin.token)
    expect(refused.status).toBe(409)
    expect(JSON.stringify(await refused.json())).toMatch(/already has 400 customers.*force/)
    const before = await getJson<Dashboard>('/api/dashboard', admin.token)
    const forced = await postDemo({ customers: CUSTOMERS, force: true, orders: ORDERS }, admin.token)
    expect(forced.status).toBe(202)
    await settle()
    const after = await getJson<Dashboard>('/api/dashboard', admin.token)
    expect(after.totals).toEqual(before.totals)
    expect(after.counts).toEqual(before.counts)
    expect(after.campaigns).toEqual(before.campaigns)
  })
})
