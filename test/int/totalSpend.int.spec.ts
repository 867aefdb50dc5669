import type { CrmServer } from '../../src/server/createServer.js'
import type { TestUser } from '../helpers/users.js'

import { randomBytes } from 'node:crypto'
import os from 'node:os'

import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { createCrmServer } from '../../src/server/createServer.js'
import { closePayload } from '../helpers/bootPayload.js'
import { createTestDatabase, type TestDatabase } from '../helpers/testDb.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

type Spend = { id: number; orderCount: number; totalSpend: number }

/**
 * `totalSpend = baseSpend + counted orders` on every single-document write path, over the real
 * Express server: REST, GraphQL and the Local API (the admin saves through the same operations).
 */
describe('totalSpend follows baseSpend on every write path', () => {
  let db: TestDatabase
  let crm: CrmServer
  let marketer: TestUser

  const http = (path: string, init: RequestInit = {}) => fetch(`${crm.url}${path}`, init)
  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await http('/api/graphql', { body: JSON.stringify({ query, variables }), headers: jsonHeaders(marketer.token), method: 'POST' })
    const body = (await res.json()) as { data: T; errors?: { message: string }[] }
    expect(body.errors).toBeUndefined()
    return body.data
  }
  /** One counted order of `amount`, plus a cancelled and a refunded one that must not count. */
  const giveOrders = async (customer: number, amount: number) => {
    for (const [status, value] of [['paid', amount], ['cancelled', 7000], ['refunded', 900]] as const) {
      await crm.payload.create({
        collection: 'orders',
        data: { amount: value, customer, externalId: `${customer}-${status}`, orderedAt: '2025-03-01T10:00:00Z', status },
        overrideAccess: true,
      })
    }
  }
  const stored = async (id: number) => (await crm.payload.findByID({ collection: 'customers', id, overrideAccess: true })).totalSpend

  beforeAll(async () => {
    db = await createTestDatabase('total_spend')
    const database = parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url })
    const config = buildCrmConfig({
      env: { database, publicUrl: 'http://127.0.0.1', secret: randomBytes(16).toString('hex') },
      extra: { logger: { options: { level: 'warn' } } },
    })
    crm = await createCrmServer({ config, database, host: '127.0.0.1', jobs: false, port: 0, withAdmin: false })
    await createUserWithRole(crm.payload, 'admin')
    marketer = await createUserWithRole(crm.payload, 'marketer')
  })

  afterAll(async () => {
    await crm?.close()
    if (crm) await closePayload(crm.payload)
    await db?.cleanup()
  })

  it('should derive totalSpend when creating and patching baseSpend through REST', async () => {
    const created = await http('/api/customers', { body: JSON.stringify({ baseSpend: 100, email: 'rest@crm.test' }), headers: jsonHeaders(marketer.token), method: 'POST' })
    expect(created.status).toBe(201)
    const { doc } = (await created.json()) as { doc: Spend }
    expect(doc.totalSpend).toBe(100)
    await giveOrders(doc.id, 50)
    expect(await stored(doc.id)).toBe(150)

    const patched = await http(`/api/customers/${doc.id}`, { body: JSON.stringify({ baseSpend: 300 }), headers: jsonHeaders(marketer.token), method: 'PATCH' })
    expect(patched.status).toBe(200)
    expect(((await patched.json()) as { doc: Spend }).doc).toMatchObject({ orderCount: 1, totalSpend: 350 })
    expect(await stored(doc.id)).toBe(350)

    // PATCH by where (one update per matching document) takes the same path.
    const byWhere = await http('/api/customers?where[email][equals]=rest@crm.test', {
      body: JSON.stringify({ baseSpend: 0, totalSpend: 1e9 }),
      headers: jsonHeaders(marketer.token),
      method: 'PATCH',
    })
    expect(byWhere.status).toBe(200)
    expect(await stored(doc.id)).toBe(50)
  })

  it('should derive totalSpend when creating and updating baseSpend through GraphQL', async () => {
    const { createCustomer } = await graphql<{ createCustomer: Spend }>(
      'mutation ($data: mutationCustomerInput!) { createCustomer(data: $data) { id totalSpend orderCount } }',
      { data: { baseSpend: 70, email: 'graphql@crm.test' } },
    )
    expect(createCustomer.totalSpend).toBe(70)
    await giveOrders(createCustomer.id, 30)
    const { updateCustomer } = await graphql<{ updateCustomer: Spend }>(
      'mutation ($id: Int!, $data: mutationCustomerUpdateInput!) { updateCustomer(id: $id, data: $data) { totalSpend orderCount } }',
      { data: { baseSpend: 10 }, id: createCustomer.id },
    )
    expect(updateCustomer).toEqual({ orderCount: 1, totalSpend: 40 })
    expect(await stored(createCustomer.id)).toBe(40)
  })

  it('should derive totalSpend when creating and updating baseSpend through the Local API', async () => {
    const created = await crm.payload.create({ collection: 'customers', data: { baseSpend: 5, email: 'local@crm.test' }, overrideAccess: true })
    expect(created.totalSpend).toBe(5)
    await giveOrders(created.id, 20)
    const updated = await crm.payload.update({ collection: 'customers', data: { baseSpend: 15 }, id: created.id, overrideAccess: true })
    expect(updated.totalSpend).toBe(35)
    expect(await stored(created.id)).toBe(35)
    // Even the Local API cannot create a customer with made-up aggregates.
    const forged = await crm.payload.create({ collection: 'customers', data: { baseSpend: 1, email: 'forged@crm.test', orderCount: 9, totalSpend: 999 }, overrideAccess: true })
    expect([forged.totalSpend, forged.orderCount]).toEqual([1, 0])
  })

  it('should delete a customer that has orders through GraphQL, erasing its orders', async () => {
    const doomed = await crm.payload.create({ collection: 'customers', data: { email: 'graphql-delete@crm.test' }, overrideAccess: true })
    await giveOrders(doomed.id, 25)
    const { deleteCustomer } = await graphql<{ deleteCustomer: { id: number } }>('mutation ($id: Int!) { deleteCustomer(id: $id) { id } }', { id: doomed.id })
    expect(deleteCustomer.id).toBe(doomed.id)
    expect((await crm.payload.count({ collection: 'orders', overrideAccess: true, where: { customer: { equals: doomed.id } } })).totalDocs).toBe(0)
  })
})
