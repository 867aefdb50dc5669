import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { parse } from 'csv-parse/sync'

import { CSV_EXPORT_PAGE_ROWS } from '../../src/constants.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { importCsv } from '../helpers/csv.js'
import { createUserWithRole } from '../helpers/users.js'

describe('CSV export', () => {
  let t: TestPayload
  let marketer: TestUser
  let viewer: TestUser

  const exportCsv = async (slug: string, search = ''): Promise<string> => {
    const res = await t.request(`/api/${slug}/export${search}`, { headers: { authorization: `JWT ${marketer.token}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    return res.text()
  }
  const records = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[]
  const allDocs = async <TSlug extends 'customers' | 'orders'>(collection: TSlug) =>
    (await t.payload.find({ collection, depth: 0, limit: 0, overrideAccess: true, pagination: false, sort: 'id' })).docs

  beforeAll(async () => {
    t = await bootTestPayload('csv-export')
    marketer = await createUserWithRole(t.payload, 'marketer')
    viewer = await createUserWithRole(t.payload, 'viewer')
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should answer 401 without authentication and 403 for a viewer', async () => {
    for (const slug of ['customers', 'orders']) {
      expect((await t.request(`/api/${slug}/export`)).status).toBe(401)
      expect((await t.request(`/api/${slug}/export`, { headers: { authorization: `JWT ${viewer.token}` } })).status).toBe(403)
    }
  })

  it('should prefix formula cells and round-trip: import → export → import changes nothing', async () => {
    const csv =
      'email,name,phone,city,tags,visits,spend,opt out,signup date,Loyalty Tier\n' +
      'f1@example.com,=SUM(A1:A9),+919876543210,Pune,vip;new,3,12.5,yes,2025-01-02,gold\n' +
      "f2@example.com,@handle,-42,''=already,,0,0,no,2024-05-06T07:08:09Z,\n" +
      'f3@example.com,"Comma, Quote "" Name",,"Line\nBreak",,,,,,\n'
    expect(await importCsv({ body: csv, slug: 'customers', t, token: marketer.token })).toMatchObject({ created: 3, failed: 0 })
    await importCsv({ body: 'order id,customer email,amount,ordered at,status,Sales Channel\nr-1,f1@example.com,100,2025-02-01,paid,app\nr-2,f2@example.com,5,2025-02-02,cancelled,\n', slug: 'orders', t, token: marketer.token })
    const before = await allDocs('customers')

    const exported = await exportCsv('customers')
    const rows = records(exported)
    const f1 = rows.find((row) => row.email === 'f1@example.com')!
    expect(f1).toMatchObject({ 'derived total spend': '112.5', name: "'=SUM(A1:A9)", 'order count': '1', phone: "'+919876543210", spend: '12.5', tags: 'vip;new' })
    expect(JSON.parse(f1.attributes!)).toEqual({ loyaltyTier: 'gold' })
    const f2 = rows.find((row) => row.email === 'f2@example.com')!
    expect(f2).toMatchObject({ city: "''=already", name: "'@handle", phone: "'-42" })

    const again = await importCsv({ body: exported, slug: 'customers', t, token: marketer.token })
    expect(again).toMatchObject({ created: 0, errors: [], failed: 0, updated: before.length, warnings: [] })
    const after = await allDocs('customers')
    expect(after.map(({ updatedAt: _, ...doc }) => doc)).toEqual(before.map(({ updatedAt: _, ...doc }) => doc))
    expect(after.find((doc) => (doc as { email?: string }).email === 'f2@example.com')).toMatchObject({ city: "'=already", name: '@handle', phone: '-42' })
  })

  it('should export orders under the importer headers, and re-importing them changes nothing', async () => {
    const before = await allDocs('orders')
    const exported = await exportCsv('orders')
    expect(records(exported)).toEqual([
      // Unknown order columns are kept in the order's attributes and exported as one JSON cell.
      { amount: '100', attributes: '{"salesChannel":"app"}', currency: 'INR', 'customer email': 'f1@example.com', 'order id': 'r-1', 'ordered at': '2025-02-01T00:00:00.000Z', status: 'paid' },
      { amount: '5', attributes: '', currency: 'INR', 'customer email': 'f2@example.com', 'order id': 'r-2', 'ordered at': '2025-02-02T00:00:00.000Z', status: 'cancelled' },
    ])
    expect(await importCsv({ body: exported, slug: 'orders', t, token: marketer.token })).toMatchObject({ created: 0, failed: 0, unchanged: 2, updated: 2 })
    expect(await allDocs('orders')).toEqual(before)
  })

  it('should filter with where as in REST and answer 400 for a field that cannot be queried', async () => {
    const pune = records(await exportCsv('customers', '?where[city][equals]=Pune'))
    expect(pune.map((row) => row.email)).toEqual(['f1@example.com'])
    const paid = records(await exportCsv('orders', '?where[status][equals]=paid'))
    expect(paid.map((row) => row['order id'])).toEqual(['r-1'])
    const res = await t.request('/api/customers/export?where[nope][equals]=1', { headers: { authorization: `JWT ${marketer.token}` } })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/nope/)
  })

  it('should stream every row across several pages', async () => {
    const total = CSV_EXPORT_PAGE_ROWS * 2 + 7
    const lines = ['email,city']
    for (let i = 0; i < total; i += 1) lines.push(`page${i}@example.com,Pages`)
    await importCsv({ body: lines.join('\n'), slug: 'customers', t, token: marketer.token })
    const rows = records(await exportCsv('customers', '?where[city][equals]=Pages'))
    expect(rows).toHaveLength(total)
    expect(new Set(rows.map((row) => row.email)).size).toBe(total)
  })
})
