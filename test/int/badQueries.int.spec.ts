import type { CrmServer } from '../../src/server/createServer.js'
import type { TestUser } from '../helpers/users.js'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import os from 'node:os'

import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { createCrmServer } from '../../src/server/createServer.js'
import { closePayload } from '../helpers/bootPayload.js'
import { createTestDatabase, currentTestDb, type TestDatabase } from '../helpers/testDb.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

type ErrorBody = { errors?: { message: string }[] }

/**
 * Malformed query values over REST and GraphQL: a value the column cannot hold (a word for an id, a
 * number or a date) is the client's mistake, so it gets a 4xx naming the value — never a 500 — and
 * the good requests around it keep working.
 */
describe(`Malformed query values (${currentTestDb()})`, () => {
  let db: TestDatabase
  let crm: CrmServer
  let admin: TestUser
  let customerId = 0

  const get = (path: string) => fetch(`${crm.url}${path}`, { headers: jsonHeaders(admin.token) })

  beforeAll(async () => {
    db = await createTestDatabase('bad_queries')
    const database = parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url })
    const config = buildCrmConfig({
      env: { database, publicUrl: 'http://127.0.0.1', secret: randomBytes(16).toString('hex') },
      extra: { logger: { options: { level: process.env.TEST_LOG_LEVEL || 'fatal' } } },
    })
    crm = await createCrmServer({ config, database, host: '127.0.0.1', port: 0, jobs: false, withAdmin: false })
    admin = await createUserWithRole(crm.payload, 'admin')
    const customer = await crm.payload.create({ collection: 'customers', data: { email: 'one@bad.test', name: 'One' } as never, overrideAccess: true })
    customerId = Number(customer.id)
    await crm.payload.create({ collection: 'orders', data: { amount: 100, customer: customerId, externalId: 'o-1', orderedAt: new Date().toISOString() } as never, overrideAccess: true })
  })

  afterAll(async () => {
    await crm?.close()
    if (crm) await closePayload(crm.payload)
    await db?.cleanup()
  })

  const cases: [string, string, string][] = [
    ['a word for a relationship id', '/api/orders?where[customer][equals]=abc', `'customer' (equals): "abc" is not a document id`],
    ['a word in an id list', '/api/orders?where[customer][in]=1,abc', `'customer' (in): "abc" is not a document id`],
    ['a word for a number', '/api/customers?where[totalSpend][greater_than]=lots', `'totalSpend' (greater_than): "lots" is not a number`],
    ['a word for a date', '/api/customers?where[lastOrderAt][greater_than]=yesterday-ish', `'lastOrderAt' (greater_than): "yesterday-ish" is not a date`],
    ['a word for a timestamp Payload adds', '/api/orders?where[createdAt][less_than]=soon', `'createdAt' (less_than): "soon" is not a date`],
    ['a word for the id inside an OR', '/api/customers?where[or][0][name][equals]=x&where[or][1][id][equals]=abc', `'id' (equals): "abc" is not a document id`],
  ]

  it.each(cases)('should answer %s with a 400 naming it, not a 500', async (_label, path, message) => {
    const res = await get(path)
    const text = await res.text()
    expect(res.status).toBe(400)
    expect(text).not.toMatch(/\bat .+\.(js|ts):\d+|stack|drizzle|invalid input syntax/i)
    expect((JSON.parse(text) as ErrorBody).errors?.[0]?.message).toContain(message)
  })

  it('should find nothing, without an error, for a number too large for any customer', async () => {
    const res = await get(`/api/customers?where[visits][equals]=${'9'.repeat(40)}`)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { totalDocs: number }).totalDocs).toBe(0)
  })

  it('should still answer good queries and single documents after the bad ones', async () => {
    const res = await get(`/api/orders?where[customer][equals]=${customerId}`)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { totalDocs: number }).totalDocs).toBe(1)
    expect((await get(`/api/customers/${customerId}`)).status).toBe(200)
  })

  it('should answer a word for a document id with 404 or 400, not a 500', async () => {
    for (const path of ['/api/customers/abc', '/api/orders/abc']) {
      const res = await get(path)
      expect([400, 404]).toContain(res.status)
    }
  })

  it('should answer a malformed GraphQL id without a stack', async () => {
    const res = await fetch(`${crm.url}/api/graphql`, {
      body: JSON.stringify({ query: '{ Orders(where: { customer: { equals: "abc" } }) { totalDocs } }' }),
      headers: jsonHeaders(admin.token),
      method: 'POST',
    })
    const body = (await res.json()) as { data?: unknown; errors?: { message: string }[] }
    expect(JSON.stringify(body)).not.toMatch(/invalid input syntax|drizzle|\.js:\d+/i)
    expect(body.errors?.[0]?.message).toContain(`'customer' (equals): "abc" is not a document id`)
  })
})
