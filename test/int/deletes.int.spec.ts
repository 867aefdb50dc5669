import type { CollectionBeforeDeleteHook } from 'payload'

import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { bootTestPayload } from '../helpers/bootPayload.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

type Status = 'cancelled' | 'completed' | 'draft' | 'failed' | 'paused' | 'scheduled' | 'sending'
type Stats = { audience: number; delivered: number; failed: number; pending: number; sent: number; skipped: number }

describe('deletes', () => {
  let t: TestPayload
  let admin: TestUser
  let marketer: TestUser
  let seq = 0

  const del = (path: string, user: TestUser) => t.request(path, { headers: jsonHeaders(user.token), method: 'DELETE' })
  const customer = (email: string) => t.payload.create({ collection: 'customers', data: { email, name: 'Asha Rao' }, overrideAccess: true })
  const order = (customerId: number, amount: number, status: 'cancelled' | 'paid' = 'paid') =>
    t.payload.create({
      collection: 'orders',
      data: { amount, customer: customerId, externalId: `O-${++seq}`, orderedAt: '2025-03-01T10:00:00Z', status },
      overrideAccess: true,
    })
  /** A campaign put straight into a state, with stats, as the send pipeline would leave it. */
  const campaign = (name: string, status: Status, stats: Partial<Stats> = {}, segment?: number) =>
    t.payload.create({ collection: 'campaigns', data: { message: 'Hi {{name}}', name, segment, stats, status }, overrideAccess: true })
  const log = (campaignId: number, customerId: number, status: 'delivered' | 'failed' | 'pending' | 'sent') =>
    t.payload.create({
      collection: 'communication-logs',
      data: { campaign: campaignId, customer: customerId, message: 'Hi Asha', recipient: `c${customerId}@crm.test`, status },
      overrideAccess: true,
    })
  const logsOf = async (campaignId: number) =>
    (await t.payload.find({ collection: 'communication-logs', depth: 0, limit: 0, overrideAccess: true, sort: 'id', where: { campaign: { equals: campaignId } } })).docs
  const statsOf = async (campaignId: number) =>
    (await t.payload.findByID({ collection: 'campaigns', id: campaignId, overrideAccess: true })).stats as Stats
  const count = async (collection: 'campaigns' | 'communication-logs' | 'customers' | 'orders' | 'segments', where = {}) =>
    (await t.payload.count({ collection, overrideAccess: true, where })).totalDocs

  beforeAll(async () => {
    t = await bootTestPayload('deletes')
    admin = await createUserWithRole(t.payload, 'admin')
    marketer = await createUserWithRole(t.payload, 'marketer')
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should erase a deleted customer: orders gone, pending logs out of the send and counted as skipped, other logs anonymised', async () => {
    const asha = await customer('asha@crm.test')
    const ravi = await customer('ravi@crm.test')
    await order(asha.id, 100)
    await order(asha.id, 50, 'cancelled')
    const kept = await order(ravi.id, 70)
    // Campaign A is mid-send: Asha pending, Ravi sent. Campaign B is done: Asha delivered, Ravi failed.
    const a = await campaign('A', 'sending', { audience: 2, pending: 1, sent: 1 })
    const b = await campaign('B', 'completed', { audience: 2, delivered: 1, failed: 1, sent: 1 })
    await log(a.id, asha.id, 'pending')
    const raviInA = await log(a.id, ravi.id, 'sent')
    const ashaInB = await log(b.id, asha.id, 'delivered')
    await log(b.id, ravi.id, 'failed')

    const res = await del(`/api/customers/${asha.id}`, marketer)
    expect(res.status).toBe(200)

    expect(await count('customers', { id: { equals: asha.id } })).toBe(0)
    expect(await count('orders', { customer: { equals: asha.id } })).toBe(0)
    expect((await t.payload.findByID({ collection: 'orders', id: kept.id, overrideAccess: true })).amount).toBe(70)
    // A: Asha's pending log left the send; Ravi's log untouched.
    expect((await logsOf(a.id)).map((row) => [row.id, row.status, row.recipient])).toEqual([[raviInA.id, 'sent', `c${ravi.id}@crm.test`]])
    const statsA = await statsOf(a.id)
    expect(statsA).toMatchObject({ audience: 1, pending: 0, sent: 1, skipped: 1 })
    expect(statsA.sent + statsA.failed + statsA.pending).toBe(statsA.audience)
    // B: Asha's delivered log is kept for the figures but holds nothing personal.
    const logsB = await logsOf(b.id)
    expect(logsB).toHaveLength(2)
    const anonymised = logsB.find((row) => row.id === ashaInB.id)!
    expect([anonymised.customer ?? null, anonymised.recipient ?? null, anonymised.message ?? null, anonymised.status]).toEqual([null, null, null, 'delivered'])
    const statsB = await statsOf(b.id)
    expect(statsB).toMatchObject({ audience: 2, delivered: 1, failed: 1, sent: 1, skipped: 0 })
    expect(statsB.sent + statsB.failed + statsB.pending).toBe(statsB.audience)
  })

  it('should delete a customer that has orders through the Local API', async () => {
    const local = await customer('local@crm.test')
    await order(local.id, 10)
    await t.payload.delete({ collection: 'customers', id: local.id, overrideAccess: true })
    expect(await count('orders', { customer: { equals: local.id } })).toBe(0)
  })

  it('should re-derive the customer when one of its orders is deleted', async () => {
    const buyer = await customer('buyer@crm.test')
    const first = await order(buyer.id, 100)
    await order(buyer.id, 40)
    expect((await t.payload.findByID({ collection: 'customers', id: buyer.id, overrideAccess: true })).totalSpend).toBe(140)
    expect((await del(`/api/orders/${first.id}`, marketer)).status).toBe(200)
    const after = await t.payload.findByID({ collection: 'customers', id: buyer.id, overrideAccess: true })
    expect([after.totalSpend, after.orderCount]).toEqual([40, 1])
  })

  it('should refuse with 409 to delete a sending campaign, and delete any other with its logs', async () => {
    const person = await customer('campaign-target@crm.test')
    const sending = await campaign('Sending now', 'sending', { audience: 1, pending: 1 })
    await log(sending.id, person.id, 'pending')
    const refused = await del(`/api/campaigns/${sending.id}`, marketer)
    expect(refused.status).toBe(409)
    expect(await refused.json()).toEqual({ errors: [{ message: expect.stringMatching(/"Sending now" is sending: cancel it/) }] })
    expect(await count('campaigns', { id: { equals: sending.id } })).toBe(1)
    expect(await logsOf(sending.id)).toHaveLength(1)

    for (const status of ['draft', 'scheduled', 'paused', 'completed', 'cancelled', 'failed'] as const) {
      const done = await campaign(`Was ${status}`, status, { audience: 1, sent: 1 })
      await log(done.id, person.id, 'sent')
      const res = await del(`/api/campaigns/${done.id}`, marketer)
      expect([status, res.status]).toEqual([status, 200])
      expect(await count('communication-logs', { campaign: { equals: done.id } })).toBe(0)
    }
  })

  it('should refuse with 409 to delete a segment a scheduled or sending campaign uses', async () => {
    const segment = await t.payload.create({ collection: 'segments', data: { name: 'Big spenders', rules: { combinator: 'and', rules: [{ field: 'spend', operator: '>', value: 10000 }] } }, overrideAccess: true })
    const scheduled = await campaign('Weekend sale', 'scheduled', {}, segment.id)
    const refused = await del(`/api/segments/${segment.id}`, marketer)
    expect(refused.status).toBe(409)
    expect(await refused.json()).toEqual({ errors: [{ message: expect.stringMatching(/used by "Weekend sale" \(scheduled\)/) }] })

    await t.payload.update({ collection: 'campaigns', data: { status: 'sending' }, id: scheduled.id, overrideAccess: true })
    expect((await del(`/api/segments/${segment.id}`, marketer)).status).toBe(409)

    await t.payload.update({ collection: 'campaigns', data: { status: 'completed' }, id: scheduled.id, overrideAccess: true })
    expect((await del(`/api/segments/${segment.id}`, marketer)).status).toBe(200)
    expect(await count('segments', { id: { equals: segment.id } })).toBe(0)
    const campaignAfter = await t.payload.findByID({ collection: 'campaigns', depth: 0, id: scheduled.id, overrideAccess: true })
    expect(campaignAfter.segment ?? null).toBeNull()
  })

  describe('bulk customer deletes', () => {
    it('should keep bulk deletes for admins: a marketer gets 403 and deletes nothing', async () => {
      const victim = await customer('bulk-marketer@crm.test')
      const res = await del('/api/customers?where[email][equals]=bulk-marketer@crm.test', marketer)
      expect(res.status).toBe(403)
      expect(((await res.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/admin/)
      expect(await count('customers', { id: { equals: victim.id } })).toBe(1)
      // The same marketer may still delete that customer by id.
      expect((await del(`/api/customers/${victim.id}`, marketer)).status).toBe(200)
    })

    it('should delete matching customers set-based, never one Payload delete per document', async () => {
      const cohort = []
      for (let i = 0; i < 5; i++) cohort.push(await customer(`cohort-${i}@bulk.test`))
      const bystander = await customer('bystander@crm.test')
      await order(cohort[0]!.id, 10)
      await order(bystander.id, 20)
      const send = await campaign('Bulk send', 'sending', { audience: 2, pending: 2 })
      await log(send.id, cohort[1]!.id, 'pending')
      await log(send.id, bystander.id, 'pending')
      // A per-document delete would run this hook for each customer.
      const perDocument: unknown[] = []
      const spy: CollectionBeforeDeleteHook = ({ id }) => void perDocument.push(id)
      const hooks = t.payload.collections.customers.config.hooks
      hooks.beforeDelete.push(spy)
      try {
        const res = await del('/api/customers?where[email][like]=bulk.test', admin)
        expect(res.status).toBe(200)
        const body = (await res.json()) as { docs: { id: number }[]; errors: unknown[]; message: string; totalDocs: number }
        expect(body.totalDocs).toBe(5)
        expect(body.docs.map((doc) => doc.id).sort()).toEqual(cohort.map((doc) => doc.id).sort())
        expect(body.message).toBe('Deleted 5 customers.')
      } finally {
        hooks.beforeDelete.splice(hooks.beforeDelete.indexOf(spy), 1)
      }
      expect(perDocument).toEqual([])
      expect(await count('customers', { email: { like: 'bulk.test' } })).toBe(0)
      expect(await count('customers', { id: { equals: bystander.id } })).toBe(1)
      expect(await count('orders', { customer: { equals: cohort[0]!.id } })).toBe(0)
      expect(await count('orders', { customer: { equals: bystander.id } })).toBe(1)
      expect(await statsOf(send.id)).toMatchObject({ audience: 1, pending: 1, skipped: 1 })
      expect((await logsOf(send.id)).map((row) => row.recipient)).toEqual([`c${bystander.id}@crm.test`])
    })

    it('should keep bulk deletes of other collections for admins too, re-deriving customers', async () => {
      const buyer = await customer('bulk-orders@crm.test')
      await order(buyer.id, 30)
      await order(buyer.id, 12)
      const where = `where[customer][equals]=${buyer.id}&where[amount][greater_than]=20`
      expect((await del(`/api/orders?${where}`, marketer)).status).toBe(403)
      expect(await count('orders', { customer: { equals: buyer.id } })).toBe(2)
      expect((await del(`/api/orders?${where}`, admin)).status).toBe(200)
      const after = await t.payload.findByID({ collection: 'customers', id: buyer.id, overrideAccess: true })
      expect([after.totalSpend, after.orderCount]).toEqual([12, 1])
    })

    it('should answer a bulk delete without a where, or with an unknown field, with a 400', async () => {
      const missing = await del('/api/customers', admin)
      expect(missing.status).toBe(400)
      expect(((await missing.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/where/)
      const unknown = await del('/api/customers?where[nope][equals]=1', admin)
      expect(unknown.status).toBe(400)
      expect(await count('customers', { id: { exists: true } })).toBeGreaterThan(0)
    })
  })
})
