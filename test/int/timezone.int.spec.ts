import { randomBytes } from 'node:crypto'
import os from 'node:os'
import vm from 'node:vm'

import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { upsertCustomers, upsertOrders } from '../../src/bulk/index.js'
import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

// The server runs in a zone that is neither UTC nor the store's: a date must never be read in it.
const SERVER_TZ = 'America/New_York'
// Jest gives each test file a copy of `process.env`; only the real process's TZ setter changes the
// zone Node reads dates in, and the real process is the main context's.
const realProcess = vm.runInThisContext('process') as NodeJS.Process
const STORE_TZ = 'Asia/Kolkata'

describe('STORE_TIMEZONE and STORE_CURRENCY', () => {
  let t: TestPayload
  let marketer: TestUser
  let customerId: number
  const previousTz = realProcess.env.TZ

  const post = (slug: string, data: unknown) =>
    t.request(`/api/${slug}`, { body: JSON.stringify(data), headers: jsonHeaders(marketer.token), method: 'POST' })
  const iso = (value: unknown) => new Date(String(value)).toISOString()

  beforeAll(async () => {
    realProcess.env.TZ = SERVER_TZ
    t = await bootTestPayload('timezone', { plugin: { storeCurrency: 'USD', storeTimezone: STORE_TZ } })
    await createUserWithRole(t.payload, 'admin')
    marketer = await createUserWithRole(t.payload, 'marketer')
    customerId = (await t.payload.create({ collection: 'customers', data: { email: 'tz@crm.test' }, overrideAccess: true })).id
  })

  afterAll(async () => {
    await t?.cleanup()
    if (previousTz === undefined) delete realProcess.env.TZ
    else realProcess.env.TZ = previousTz
  })

  it('should run with a server zone that reads wall times differently (the premise of these tests)', () => {
    expect(new Date('2025-03-01T10:00:00').toISOString()).toBe('2025-03-01T15:00:00.000Z')
  })

  it('should read REST order dates without an offset in the store zone', async () => {
    const withTime = await post('orders', { amount: 10, customer: customerId, externalId: 'TZ-1', orderedAt: '2025-03-01T10:00:00' })
    expect(withTime.status).toBe(201)
    expect(((await withTime.json()) as { doc: { orderedAt: string } }).doc.orderedAt).toBe('2025-03-01T04:30:00.000Z')
    const dateOnly = await post('orders', { amount: 10, customer: customerId, externalId: 'TZ-2', orderedAt: '2025-03-01' })
    expect(dateOnly.status).toBe(201)
    const stored = await t.payload.find({ collection: 'orders', overrideAccess: true, sort: 'externalId', where: { customer: { equals: customerId } } })
    expect(stored.docs.map((doc) => [doc.externalId, iso(doc.orderedAt)])).toEqual([
      ['TZ-1', '2025-03-01T04:30:00.000Z'],
      ['TZ-2', '2025-02-28T18:30:00.000Z'],
    ])
    // lastOrderAt is derived in the database from those stored instants.
    expect(iso((await t.payload.findByID({ collection: 'customers', id: customerId, overrideAccess: true })).lastOrderAt)).toBe('2025-03-01T04:30:00.000Z')
  })

  it('should keep an explicit offset as given', async () => {
    const res = await post('orders', { amount: 10, customer: customerId, externalId: 'TZ-3', orderedAt: '2025-03-01T10:00:00Z' })
    expect(((await res.json()) as { doc: { orderedAt: string } }).doc.orderedAt).toBe('2025-03-01T10:00:00.000Z')
  })

  it('should read lastVisitAt and scheduledAt in the store zone through REST and the Local API', async () => {
    const patched = await t.request(`/api/customers/${customerId}`, {
      body: JSON.stringify({ lastVisitAt: '2025-03-01' }),
      headers: jsonHeaders(marketer.token),
      method: 'PATCH',
    })
    expect(patched.status).toBe(200)
    expect(iso((await t.payload.findByID({ collection: 'customers', id: customerId, overrideAccess: true })).lastVisitAt)).toBe('2025-02-28T18:30:00.000Z')

    const local = await t.payload.create({ collection: 'customers', data: { email: 'tz-local@crm.test', lastVisitAt: '2025-03-01T10:00:00' }, overrideAccess: true })
    expect(iso((await t.payload.findByID({ collection: 'customers', id: local.id, overrideAccess: true })).lastVisitAt)).toBe('2025-03-01T04:30:00.000Z')

    const campaign = await post('campaigns', { message: 'Hi', name: 'Holi', scheduledAt: '2025-03-14T09:00:00' })
    expect(campaign.status).toBe(201)
    const { doc } = (await campaign.json()) as { doc: { id: number } }
    expect(iso((await t.payload.findByID({ collection: 'campaigns', id: doc.id, overrideAccess: true })).scheduledAt)).toBe('2025-03-14T03:30:00.000Z')
  })

  it('should still reject a date that is not ISO 8601', async () => {
    const res = await post('orders', { amount: 10, customer: customerId, externalId: 'TZ-bad', orderedAt: '01/03/2025 10:00' })
    expect(res.status).toBe(400)
  })

  it('should read bulk rows without an offset in the store zone', async () => {
    await upsertCustomers({ payload: t.payload, rows: [{ createdAt: '2025-03-01', email: 'tz-bulk@crm.test', lastVisitAt: '2025-03-01T10:00:00' }] })
    await upsertOrders({ payload: t.payload, rows: [{ amount: 5, customerEmail: 'tz-bulk@crm.test', externalId: 'TZ-BULK', orderedAt: '2025-03-01T10:00:00' }] })
    const customer = (await t.payload.find({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'tz-bulk@crm.test' } } })).docs[0]!
    expect([iso(customer.createdAt), iso(customer.lastVisitAt), iso(customer.lastOrderAt)]).toEqual([
      '2025-02-28T18:30:00.000Z',
      '2025-03-01T04:30:00.000Z',
      '2025-03-01T04:30:00.000Z',
    ])
  })

  it('should default an order currency to STORE_CURRENCY', async () => {
    const res = await post('orders', { amount: 10, customer: customerId, externalId: 'TZ-USD', orderedAt: '2025-03-01' })
    expect(((await res.json()) as { doc: { currency: string } }).doc.currency).toBe('USD')
  })

  it('should refuse to start with an unknown time zone, naming it', async () => {
    const env = { database: parseDatabaseUrl({ dataDir: os.tmpdir(), url: 'file:/nonexistent/never-opened.db' }), publicUrl: 'http://localhost:3000', secret: randomBytes(8).toString('hex') }
    await expect(buildCrmConfig({ env: { ...env, storeTimezone: 'Asia/Calcutta-ish' } })).rejects.toThrow(/STORE_TIMEZONE.*"Asia\/Calcutta-ish" is not an IANA time zone/)
  })
})
