import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { bootTestPayload } from '../helpers/bootPayload.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

type ErrorBody = { errors: { data?: { errors?: { message: string; path: string }[] }; message: string }[] }

const fieldErrors = async (res: Response): Promise<Record<string, string>> => {
  const body = (await res.json()) as ErrorBody
  const out: Record<string, string> = {}
  for (const error of body.errors ?? []) for (const field of error.data?.errors ?? []) out[field.path] = field.message
  return out
}

describe('validation, uniqueness and derived fields', () => {
  let t: TestPayload
  let marketer: TestUser

  const post = (slug: string, data: unknown) =>
    t.request(`/api/${slug}`, { body: JSON.stringify(data), headers: jsonHeaders(marketer.token), method: 'POST' })

  beforeAll(async () => {
    t = await bootTestPayload('validation')
    marketer = await createUserWithRole(t.payload, 'marketer')
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should store customer emails lower-cased and trimmed', async () => {
    const res = await post('customers', { email: '  Asha.Rao@Example.IN ', name: 'Asha Rao' })
    expect(res.status).toBe(201)
    const { doc } = (await res.json()) as { doc: { email: string } }
    expect(doc.email).toBe('asha.rao@example.in')
  })

  it('should reject a malformed email with a 400 naming the field', async () => {
    const res = await post('customers', { email: 'not-an-email' })
    expect(res.status).toBe(400)
    const errors = await fieldErrors(res)
    expect(errors.email).toMatch(/not a valid email/i)
  })

  it('should reject negative and fractional visits', async () => {
    const negative = await post('customers', { email: 'neg@crm.test', visits: -1 })
    expect(negative.status).toBe(400)
    expect(Object.keys(await fieldErrors(negative))).toContain('visits')
    const fractional = await post('customers', { email: 'frac@crm.test', visits: 1.5 })
    expect(fractional.status).toBe(400)
  })

  it('should reject a duplicate email regardless of case', async () => {
    expect((await post('customers', { email: 'dup@crm.test' })).status).toBe(201)
    const res = await post('customers', { email: 'DUP@crm.test' })
    expect(res.status).toBe(400)
    expect((await fieldErrors(res)).email).toBeDefined()
    const count = await t.payload.count({ collection: 'customers', overrideAccess: true, where: { email: { equals: 'dup@crm.test' } } })
    expect(count.totalDocs).toBe(1)
  })

  it('should reject a non-ISO date and a negative order amount', async () => {
    const customer = await t.payload.create({ collection: 'customers', data: { email: 'orders@crm.test' }, overrideAccess: true })
    const badDate = await post('orders', { amount: 10, customer: customer.id, externalId: 'bad-date', orderedAt: '01/03/2025' })
    expect(badDate.status).toBe(400)
    expect(Object.keys(await fieldErrors(badDate))).toContain('orderedAt')
    const negative = await post('orders', { amount: -5, customer: customer.id, externalId: 'neg', orderedAt: '2025-03-01' })
    expect(negative.status).toBe(400)
    expect(Object.keys(await fieldErrors(negative))).toContain('amount')
  })

  it('should reject a duplicate order externalId', async () => {
    const customer = await t.payload.create({ collection: 'customers', data: { email: 'uniq-order@crm.test' }, overrideAccess: true })
    const order = { amount: 100, customer: customer.id, externalId: 'ORD-1', orderedAt: '2025-03-01T10:00:00+05:30' }
    expect((await post('orders', order)).status).toBe(201)
    const again = await post('orders', order)
    expect(again.status).toBe(400)
    expect((await fieldErrors(again)).externalId).toBeDefined()
  })

  it('should ignore client writes to derived customer fields and derive them from orders', async () => {
    const res = await post('customers', { baseSpend: 250, email: 'derived@crm.test', lastOrderAt: '2020-01-01', orderCount: 99, totalSpend: 1e9 })
    expect(res.status).toBe(201)
    const { doc } = (await res.json()) as { doc: { id: number; lastOrderAt?: null | string; orderCount: number; totalSpend: number } }
    // totalSpend = baseSpend + counted orders, from the first write on.
    expect(doc.totalSpend).toBe(250)
    expect(doc.orderCount).toBe(0)
    expect(doc.lastOrderAt ?? null).toBeNull()
    expect((await t.payload.findByID({ collection: 'customers', id: doc.id, overrideAccess: true })).totalSpend).toBe(250)

    for (const [externalId, amount, status] of [
      ['D-1', 1000, 'paid'],
      ['D-2', 500, 'delivered'],
      ['D-3', 7000, 'cancelled'],
      ['D-4', 300, 'refunded'],
    ] as const) {
      expect((await post('orders', { amount, customer: doc.id, externalId, orderedAt: `2025-0${externalId.slice(2)}-15`, status })).status).toBe(201)
    }
    const patch = await t.request(`/api/customers/${doc.id}`, {
      body: JSON.stringify({ orderCount: 5, totalSpend: 42 }),
      headers: jsonHeaders(marketer.token),
      method: 'PATCH',
    })
    expect(patch.status).toBe(200)
    const after = await t.payload.findByID({ collection: 'customers', id: doc.id, overrideAccess: true })
    expect(after.totalSpend).toBe(250 + 1000 + 500)
    expect(after.orderCount).toBe(2)
    expect(new Date(after.lastOrderAt as string).toISOString()).toBe('2025-02-15T00:00:00.000Z')
  })

  it('should re-derive aggregates when an order is cancelled or deleted', async () => {
    const customer = await t.payload.create({ collection: 'customers', data: { email: 'recalc@crm.test' }, overrideAccess: true })
    const a = await t.payload.create({ collection: 'orders', data: { amount: 100, customer: customer.id, externalId: 'R-1', orderedAt: '2025-05-01', status: 'placed' }, overrideAccess: true })
    const b = await t.payload.create({ collection: 'orders', data: { amount: 40, customer: customer.id, externalId: 'R-2', orderedAt: '2025-06-01', status: 'placed' }, overrideAccess: true })
    await t.payload.update({ collection: 'orders', data: { status: 'cancelled' }, id: b.id, overrideAccess: true })
    let after = await t.payload.findByID({ collection: 'customers', id: customer.id, overrideAccess: true })
    expect([after.totalSpend, after.orderCount]).toEqual([100, 1])
    await t.payload.delete({ collection: 'orders', id: a.id, overrideAccess: true })
    after = await t.payload.findByID({ collection: 'customers', id: customer.id, overrideAccess: true })
    expect([after.totalSpend, after.orderCount, after.lastOrderAt ?? null]).toEqual([0, 0, null])
  })

  it('should keep campaign status and stats out of client hands', async () => {
    const res = await post('campaigns', { message: 'Hi {{name}}', name: 'Diwali', stats: { sent: 99 }, status: 'completed' })
    expect(res.status).toBe(201)
    const { doc } = (await res.json()) as { doc: { stats: { sent: number }; status: string } }
    expect(doc.status).toBe('draft')
    expect(doc.stats.sent).toBe(0)
  })

  it('should reject segment rules that are not a rule group', async () => {
    const res = await post('segments', { name: 'Broken', rules: { field: 'spend' } })
    expect(res.status).toBe(400)
    expect(Object.keys(await fieldErrors(res))).toContain('rules')
  })
})
