import type { CrmServer } from '../../src/server/createServer.js'
import type { VendorSimulator } from '../../src/vendor/createVendorSimulator.js'
import type { TestUser } from '../helpers/users.js'

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import os from 'node:os'

import { runSql, upsertCustomers } from '../../src/bulk/index.js'
import { setCampaignVendor } from '../../src/campaigns/vendorLink.js'
import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { signReceiptBody } from '../../src/domain/campaigns/receiptSignature.js'
import { DEFAULT_VENDOR_BEHAVIOUR } from '../../src/vendor/vendorOptions.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { createCrmServer } from '../../src/server/createServer.js'
import { createVendorSimulator } from '../../src/vendor/createVendorSimulator.js'
import { closePayload } from '../helpers/bootPayload.js'
import { sleep, waitFor } from '../helpers/jobsTestUtils.js'
import { createTestDatabase, currentTestDb, type TestDatabase } from '../helpers/testDb.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'
import { sql } from 'drizzle-orm'
import { handleEndpoints } from 'payload'

type Progress = { id: number; percent: number; stats: Record<'audience' | 'delivered' | 'failed' | 'pending' | 'sent' | 'skipped', number>; status: string; statusReason: null | string }
type LogRow = { customer_id: number; message: null | string; recipient: string; reference: string; status: string; vendor_message_id: null | string }

const CUSTOMERS = 240
const SECRET = 'test-webhook-secret'

/**
 * The send pipeline over real HTTP: the CRM server (with its job worker) and the vendor simulator,
 * which posts signed receipts back to the server. Every test creates its own campaign.
 */
describe(`campaign send pipeline (${currentTestDb()})`, () => {
  let db: TestDatabase
  let crm: CrmServer
  let vendor: VendorSimulator
  let admin: TestUser
  let marketer: TestUser
  let viewer: TestUser
  let puneSegment: number
  let customerIds: number[] = []
  const savedEnv = { ...process.env }

  const http = (path: string, init: RequestInit = {}) => fetch(`${crm.url}${path}`, init)
  const post = (path: string, token?: string, body?: unknown) =>
    http(path, { body: body === undefined ? undefined : JSON.stringify(body), headers: jsonHeaders(token), method: 'POST' })
  const progress = async (id: number): Promise<Progress> => (await (await http(`/api/campaigns/${id}/progress`, { headers: jsonHeaders(admin.token) })).json()) as Progress
  const logsOf = (id: number) =>
    runSql<LogRow>({
      payload: crm.payload,
      query: sql`SELECT customer_id, message, recipient, reference, status, vendor_message_id FROM communication_logs WHERE campaign_id = ${id} ORDER BY id`,
    })
  const createCampaign = async (data: Record<string, unknown>): Promise<number> => {
    const doc = await crm.payload.create({ collection: 'campaigns', data: { message: 'Hi {{firstName | "there"}} from {{city | "your city"}}!', name: 'c', ...data } as never, overrideAccess: true })
    return Number(doc.id)
  }
  const settle = async (id: number, status = 'completed') => {
    await waitFor(`campaign ${id} ${status}`, async () => (await progress(id)).status === status, 60_000)
    await vendor.whenIdle()
    // Receipts roll up after a short debounce.
    await waitFor(`campaign ${id} stats converge`, async () => {
      const logs = await logsOf(id)
      const p = await progress(id)
      return p.stats.delivered === logs.filter((log) => log.status === 'delivered').length && p.stats.failed === logs.filter((log) => log.status === 'failed').length
    }, 20_000)
  }
  /**
   * Hand-picked audiences for the tests that expect an exact count: customers no other test sends to
   * (not in Pune, not opted out, outside 100–140), so the simulator's default 1 % unsubscribe rate in
   * an earlier test cannot opt one of them out. Each call hands out customers not handed out before.
   */
  let untouchedNext = 0
  const untouched = (n: number): number[] => {
    const pool = customerIds.filter((_, i) => i >= 160 && i % 3 !== 0 && i % 20 !== 0)
    const picked = pool.slice(untouchedNext, untouchedNext + n)
    untouchedNext += n
    if (picked.length < n) throw new Error('the untouched customer pool is used up: raise CUSTOMERS')
    return picked
  }
  const signed = (body: unknown, secret = SECRET): RequestInit => {
    const raw = JSON.stringify(body)
    return { body: raw, headers: { 'content-type': 'application/json', 'x-signature': signReceiptBody({ body: raw, secret }) }, method: 'POST' }
  }

  beforeAll(async () => {
    Object.assign(process.env, { CRM_SEND_BATCH_SIZE: '25', CRM_SEND_LEASE_MS: '5000', CRM_SEND_RETRY_BASE_MS: '20', CRM_SEND_RETRY_MAX_MS: '200' })
    db = await createTestDatabase('campaigns_pipeline')
    const database = parseDatabaseUrl({ dataDir: os.tmpdir(), url: db.url })
    const config = buildCrmConfig({
      env: { database, publicUrl: 'http://127.0.0.1', secret: randomBytes(16).toString('hex') },
      extra: { logger: { options: { level: process.env.TEST_LOG_LEVEL || 'fatal' } } },
    })
    crm = await createCrmServer({ config, database, host: '127.0.0.1', port: 0, withAdmin: false, workerName: 'campaigns-test-worker' })
    vendor = await createVendorSimulator({ callbackUrl: `${crm.url}/api/communication-logs/receipts`, seed: 7, webhookSecret: SECRET })
    setCampaignVendor(crm.payload, { url: vendor.url, webhookSecret: SECRET })
    admin = await createUserWithRole(crm.payload, 'admin')
    marketer = await createUserWithRole(crm.payload, 'marketer')
    viewer = await createUserWithRole(crm.payload, 'viewer')
    const cities = ['Pune', 'Mumbai', 'Delhi']
    const rows = Array.from({ length: CUSTOMERS }, (_, i) => ({
      attributes: { tier: i % 2 ? 'gold' : 'silver' },
      city: cities[i % 3],
      email: `c${i}@send.test`,
      marketingOptOut: i % 20 === 0,
      name: i % 7 === 0 ? `Zoë-${i} Ångström` : i % 11 === 0 ? '' : `Asha${i} Rao`,
    }))
    await upsertCustomers({ payload: crm.payload, rows })
    const ids = await runSql<{ id: number }>({ payload: crm.payload, query: sql`SELECT id FROM customers ORDER BY id` })
    customerIds = ids.map((row) => Number(row.id))
    const segment = await crm.payload.create({
      collection: 'segments',
      data: { name: 'Pune', rules: { combinator: 'and', rules: [{ field: 'city', operator: '=', value: 'Pune' }] } } as never,
      overrideAccess: true,
    })
    puneSegment = Number(segment.id)
  })

  afterEach(async () => {
    vendor.configure(DEFAULT_VENDOR_BEHAVIOUR)
    await vendor.whenIdle()
  })

  afterAll(async () => {
    await vendor?.close()
    await crm?.close()
    if (crm) await closePayload(crm.payload)
    await db?.cleanup()
    process.env = savedEnv
  })

  it('should send a segment campaign end to end through faults, with exactly one message per recipient and true stats', async () => {
    vendor.configure({
      answerDelayMs: [0, 30],
      duplicateRate: 0.3,
      errorAfterSendRate: 0.1,
      lateRate: 0.2,
      lateDelayMs: 300,
      outOfOrderRate: 0.3,
      rateLimitRate: 0.15,
      receiptDelayMs: [0, 60],
      retryAfterSeconds: 0,
      serverErrorRate: 0.1,
    })
    const id = await createCampaign({ segment: puneSegment })
    const res = await post(`/api/campaigns/${id}/send`, marketer.token)
    expect(res.status).toBe(202)
    expect(((await res.json()) as Progress).status).toBe('sending')
    await settle(id)

    const pune = customerIds.filter((_, i) => i % 3 === 0)
    const eligible = pune.filter((_, i) => (i * 3) % 20 !== 0)
    const logs = await logsOf(id)
    expect(logs.map((log) => log.customer_id).sort((a, b) => a - b)).toEqual(eligible)
    // Exactly once: every reference reached the vendor and was really sent once (retries de-duplicated).
    for (const log of logs) expect(vendor.attemptsOf(log.reference).sends).toBe(1)
    expect(vendor.stats().requests.rateLimited + vendor.stats().requests.serverErrors).toBeGreaterThan(0)
    expect(vendor.stats().requests.errorsAfterSend).toBeGreaterThan(0)
    expect(logs.every((log) => log.status !== 'pending')).toBe(true)

    const p = await progress(id)
    expect(p.status).toBe('completed')
    expect(p.stats.audience).toBe(eligible.length)
    expect(p.stats.skipped).toBe(pune.length - eligible.length)
    expect(p.stats.sent + p.stats.failed + p.stats.pending).toBe(p.stats.audience)
    expect(p.stats.sent).toBe(logs.filter((log) => log.status === 'sent' || log.status === 'delivered').length)
    expect(p.stats.failed).toBeGreaterThan(0)
    expect(p.stats.delivered).toBeGreaterThan(0)
    // Personalised per recipient, unicode intact, fallback for a missing name.
    const zoe = logs.find((log) => log.recipient === 'c63@send.test')
    expect(zoe?.message).toBe('Hi Zoë-63 from Pune!')
    const nameless = logs.find((log) => log.recipient === 'c33@send.test')
    expect(nameless?.message).toBe('Hi there from Pune!')
  })

  it('should count opted-out hand-picked customers as skipped and opt out those who unsubscribe', async () => {
    vendor.configure({ failureRate: 0, unsubscribeRate: 0.5 })
    const unsubscribedBefore = vendor.stats().outcomes.unsubscribed
    const picked = customerIds.slice(100, 140)
    const id = await createCampaign({ customers: picked })
    expect((await post(`/api/campaigns/${id}/send`, admin.token)).status).toBe(202)
    await settle(id)
    const p = await progress(id)
    const optedOut = picked.filter((cid) => (customerIds.indexOf(cid)) % 20 === 0).length
    expect(p.stats.skipped).toBe(optedOut)
    expect(p.stats.audience).toBe(picked.length - optedOut)
    const unsubscribed = vendor.stats().outcomes.unsubscribed - unsubscribedBefore
    expect(unsubscribed).toBeGreaterThan(0)
    const optedNow = await runSql<{ n: number }>({
      payload: crm.payload,
      query: sql`SELECT COUNT(*) AS n FROM customers WHERE marketing_opt_out = ${currentTestDb() === 'sqlite' ? 1 : true} AND id IN (SELECT customer_id FROM communication_logs WHERE campaign_id = ${id})`,
    })
    expect(Number(optedNow[0]?.n)).toBe(unsubscribed)
  })

  it('should allow and refuse every transition over HTTP with 409 and a reason', async () => {
    const id = await createCampaign({ segment: puneSegment })
    const act = async (action: string) => {
      const res = await post(`/api/campaigns/${id}/${action}`, marketer.token)
      return { body: (await res.json()) as { errors?: { message: string }[]; status?: string }, status: res.status }
    }
    // draft: pause and resume refused.
    expect((await act('pause')).status).toBe(409)
    expect((await act('resume')).status).toBe(409)
    vendor.configure({ answerDelayMs: [300, 300] })
    Object.assign(process.env, { CRM_SEND_BATCH_SIZE: '2', CRM_SEND_CONCURRENCY: '1', CRM_SEND_DISPATCHERS: '1' })
    expect((await act('send')).status).toBe(202)
    const again = await act('send')
    expect(again.status).toBe(409)
    expect(again.body.errors?.[0]?.message).toMatch(/already sending/)
    expect((await act('resume')).status).toBe(409)
    expect((await act('pause')).body.status).toBe('paused')
    expect((await act('pause')).status).toBe(409)
    const resend = await act('send')
    expect(resend.body.errors?.[0]?.message).toMatch(/resume/)
    // Paused mid-send: the pipeline stops within a batch, something is still pending.
    await sleep(800)
    const paused = await progress(id)
    expect(paused.status).toBe('paused')
    expect(paused.stats.pending).toBeGreaterThan(0)
    const sentWhilePaused = vendor.stats().messages.attempts
    await sleep(800)
    expect(vendor.stats().messages.attempts).toBe(sentWhilePaused)
    expect((await act('resume')).body.status).toBe('sending')
    await sleep(400)
    expect((await act('cancel')).body.status).toBe('cancelled')
    Object.assign(process.env, { CRM_SEND_BATCH_SIZE: '25', CRM_SEND_CONCURRENCY: '4', CRM_SEND_DISPATCHERS: '2' })
    await sleep(800)
    const cancelled = await progress(id)
    expect(cancelled.status).toBe('cancelled')
    expect(cancelled.stats.pending).toBeGreaterThan(0)
    expect(cancelled.stats.sent + cancelled.stats.failed + cancelled.stats.pending).toBe(cancelled.stats.audience)
    for (const action of ['send', 'pause', 'resume', 'cancel']) {
      const refused = await act(action)
      expect(refused.status).toBe(409)
      expect(refused.body.errors?.[0]?.message).toMatch(/cancelled/)
    }
    // Not found, and a campaign without an audience.
    expect((await post('/api/campaigns/999999/send', marketer.token)).status).toBe(404)
    const empty = await createCampaign({})
    const noAudience = await post(`/api/campaigns/${empty}/send`, marketer.token)
    expect(noAudience.status).toBe(409)
    expect(((await noAudience.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/no audience/)
    // Two audiences are refused on save, naming the field.
    const both = await post('/api/campaigns', marketer.token, { customers: [customerIds[0]], message: 'x', name: 'both', segment: puneSegment })
    expect(both.status).toBe(400)
    expect(JSON.stringify(await both.json())).toMatch(/customers.*exactly one audience|exactly one audience.*customers/)
  })

  it('should schedule a send for scheduledAt and start it then', async () => {
    const at = new Date(Date.now() + 2500)
    const id = await createCampaign({ customers: untouched(5), scheduledAt: at.toISOString() })
    const res = await post(`/api/campaigns/${id}/send`, marketer.token)
    expect(res.status).toBe(202)
    expect(((await res.json()) as Progress).status).toBe('scheduled')
    await sleep(500)
    expect((await progress(id)).status).toBe('scheduled')
    expect(await logsOf(id)).toHaveLength(0)
    await settle(id)
    expect((await logsOf(id)).length).toBe(5)
    // Completed is final.
    for (const action of ['send', 'pause', 'resume', 'cancel']) {
      const refused = await post(`/api/campaigns/${id}/${action}`, marketer.token)
      expect(refused.status).toBe(409)
      expect(JSON.stringify(await refused.json())).toMatch(/completed/)
    }
    // Scheduled: pause, resume and send are refused; cancel is allowed and nothing is ever sent.
    const later = await createCampaign({ customers: untouched(2), scheduledAt: new Date(Date.now() + 3_600_000).toISOString() })
    expect(((await (await post(`/api/campaigns/${later}/send`, marketer.token)).json()) as Progress).status).toBe('scheduled')
    for (const action of ['pause', 'resume', 'send']) expect((await post(`/api/campaigns/${later}/${action}`, marketer.token)).status).toBe(409)
    expect(((await (await post(`/api/campaigns/${later}/cancel`, marketer.token)).json()) as Progress).status).toBe('cancelled')
    expect(await logsOf(later)).toHaveLength(0)
  })

  it('should pause the campaign with its reason when the vendor keeps failing', async () => {
    process.env.CRM_SEND_RETRIES = '2'
    vendor.configure({ retryAfterSeconds: 0, serverErrorRate: 1 })
    const id = await createCampaign({ customers: customerIds.slice(1, 120) })
    expect((await post(`/api/campaigns/${id}/send`, marketer.token)).status).toBe(202)
    await waitFor('paused by the threshold', async () => (await progress(id)).status === 'paused', 30_000)
    const p = await progress(id)
    expect(p.statusReason).toMatch(/could not be reached/)
    expect(p.stats.pending).toBe(p.stats.audience)
    delete process.env.CRM_SEND_RETRIES
  })

  it('should pause a sending campaign with its reason when the failed share of its outcomes is over CRM_SEND_FAILURE_SHARE, and judge a resumed one afresh', async () => {
    Object.assign(process.env, { CRM_SEND_BATCH_SIZE: '5', CRM_SEND_CONCURRENCY: '1', CRM_SEND_DISPATCHERS: '1', CRM_SEND_FAILURE_MIN_OUTCOMES: '20', CRM_SEND_FAILURE_SHARE: '0.3' })
    try {
      // Accepted at once, then reported failed over HTTP (signed receipts) for 90 % of the messages.
      vendor.configure({ answerDelayMs: [60, 60], failureRate: 0.9, receiptDelayMs: [0, 10], unsubscribeRate: 0 })
      const id = await createCampaign({ customers: customerIds.slice(1, 120) })
      expect((await post(`/api/campaigns/${id}/send`, marketer.token)).status).toBe(202)
      await waitFor('paused by the failure share', async () => (await progress(id)).status === 'paused', 30_000)
      const p = await progress(id)
      expect(p.statusReason).toMatch(/^\d+ of \d+ messages failed \(\d+(\.\d)? %\), more than the 30 % allowed \(CRM_SEND_FAILURE_SHARE\)/)
      expect(p.stats.pending).toBeGreaterThan(0)
      expect(p.stats.failed).toBeGreaterThanOrEqual(Math.ceil(0.3 * 20))
      // The reason is on the campaign itself too, for REST clients and the admin.
      const doc = (await (await http(`/api/campaigns/${id}`, { headers: jsonHeaders(viewer.token) })).json()) as { status: string; statusReason: string }
      expect(doc).toMatchObject({ status: 'paused', statusReason: p.statusReason })
      // Stopped within a batch: nothing more goes out while paused.
      await vendor.whenIdle()
      const attempts = vendor.stats().messages.attempts
      await sleep(600)
      expect(vendor.stats().messages.attempts).toBe(attempts)
      // Resumed with the vendor healthy again: the failures before the pause do not pause it again.
      vendor.configure({ failureRate: 0 })
      expect(((await (await post(`/api/campaigns/${id}/resume`, marketer.token)).json()) as Progress).status).toBe('sending')
      await settle(id)
      const done = await progress(id)
      expect(done.statusReason).toBeNull()
      expect(done.stats.pending).toBe(0)
      expect(done.stats.sent + done.stats.failed).toBe(done.stats.audience)
    } finally {
      for (const key of ['CRM_SEND_FAILURE_MIN_OUTCOMES', 'CRM_SEND_FAILURE_SHARE']) delete process.env[key]
      Object.assign(process.env, { CRM_SEND_BATCH_SIZE: '25', CRM_SEND_CONCURRENCY: '4', CRM_SEND_DISPATCHERS: '2' })
    }
  })

  it('should not pause under the failure share, nor before enough outcomes are in', async () => {
    Object.assign(process.env, { CRM_SEND_BATCH_SIZE: '5', CRM_SEND_FAILURE_MIN_OUTCOMES: '20', CRM_SEND_FAILURE_SHARE: '0.5' })
    try {
      vendor.configure({ failureRate: 0.25, receiptDelayMs: [0, 10], unsubscribeRate: 0 })
      const under = await createCampaign({ customers: customerIds.slice(1, 120) })
      expect((await post(`/api/campaigns/${under}/send`, marketer.token)).status).toBe(202)
      await settle(under)
      const p = await progress(under)
      expect(p.stats.failed).toBeGreaterThan(0)
      expect(p.stats.failed / (p.stats.sent + p.stats.failed)).toBeLessThan(0.5)
      expect(p.statusReason).toBeNull()
      // 90 % failing, but the minimum number of outcomes is never reached.
      process.env.CRM_SEND_FAILURE_MIN_OUTCOMES = '1000'
      vendor.configure({ failureRate: 0.9 })
      const few = await createCampaign({ customers: customerIds.slice(1, 120) })
      expect((await post(`/api/campaigns/${few}/send`, marketer.token)).status).toBe(202)
      await settle(few)
      const q = await progress(few)
      expect(q.stats.failed / q.stats.audience).toBeGreaterThan(0.5)
      expect(q.status).toBe('completed')
    } finally {
      for (const key of ['CRM_SEND_FAILURE_MIN_OUTCOMES', 'CRM_SEND_FAILURE_SHARE']) delete process.env[key]
      process.env.CRM_SEND_BATCH_SIZE = '25'
    }
  })

  it('should let API-key clients act by their role: a marketer key sends, a viewer key reads progress only, a wrong key is anonymous', async () => {
    const key = async (role: 'marketer' | 'viewer') => {
      const apiKey = `pipeline-${role}-${randomBytes(12).toString('hex')}`
      await crm.payload.create({ collection: 'users', data: { apiKey, email: `key-${role}@pipeline.test`, enableAPIKey: true, password: 'key-user-123456', roles: [role] } as never, overrideAccess: true })
      return { authorization: `users API-Key ${apiKey}`, 'content-type': 'application/json' }
    }
    const marketerKey = await key('marketer')
    const viewerKey = await key('viewer')
    const id = await createCampaign({ customers: untouched(3) })
    expect((await http(`/api/campaigns/${id}/send`, { headers: viewerKey, method: 'POST' })).status).toBe(403)
    expect((await http(`/api/campaigns/${id}/send`, { headers: { authorization: 'users API-Key not-a-key' }, method: 'POST' })).status).toBe(401)
    expect((await http(`/api/campaigns/${id}/send`, { headers: marketerKey, method: 'POST' })).status).toBe(202)
    await settle(id)
    const read = await http(`/api/campaigns/${id}/progress`, { headers: viewerKey })
    expect(read.status).toBe(200)
    expect(((await read.json()) as Progress).stats.audience).toBe(3)
    expect((await http(`/api/campaigns/${id}/pause`, { headers: viewerKey, method: 'POST' })).status).toBe(403)
  })

  it('should check receipt signatures and apply receipts forward only, idempotently, whatever their order', async () => {
    const id = await createCampaign({ customers: untouched(3) })
    // Snapshot without sending: a vendor that answers 503 (Retry-After 10 s) sends nothing, so only our receipts arrive.
    vendor.configure({ retryAfterSeconds: 10, serverErrorRate: 1 })
    expect((await post(`/api/campaigns/${id}/send`, marketer.token)).status).toBe(202)
    await waitFor('snapshot', async () => (await logsOf(id)).length === 3)
    const [a, b, c] = (await logsOf(id)).map((log) => log.reference)
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString()
    const batch = { receipts: [{ at: at(1), messageId: 'm-a', reference: a!, status: 'delivered' }] }
    // Bad and missing signatures.
    const raw = JSON.stringify(batch)
    expect((await http('/api/communication-logs/receipts', { body: raw, headers: { 'content-type': 'application/json' }, method: 'POST' })).status).toBe(401)
    expect((await http('/api/communication-logs/receipts', signed(batch, 'wrong-secret'))).status).toBe(401)
    const tampered = signed(batch)
    expect((await http('/api/communication-logs/receipts', { ...tampered, body: raw.replace('delivered', 'failed') })).status).toBe(401)
    // Malformed but signed: 400 naming the problem.
    const bad = await http('/api/communication-logs/receipts', signed({ receipts: [{ at: 'yesterday', messageId: 'x', reference: a, status: 'sent' }] }))
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toMatch(/receipts\[0\]\.at/)
    // Early: delivered before our send was recorded; then a late `sent` and a duplicate change nothing.
    const ok = await http('/api/communication-logs/receipts', signed({ receipts: [...batch.receipts, { at: at(2), messageId: 'm-x', reference: 'nobody', status: 'sent' }] }))
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ matched: 1, received: 2, unknownReferences: ['nobody'] })
    // A repeat is matched (not unknown) but rewrites nothing, not even updated_at.
    const stamp = async () => {
      const value = (await runSql<{ u: unknown }>({ payload: crm.payload, query: sql`SELECT updated_at AS u FROM communication_logs WHERE reference = ${a!}` }))[0]?.u
      return value instanceof Date ? value.toISOString() : String(value)
    }
    const before = await stamp()
    await sleep(20)
    const repeat = await http('/api/communication-logs/receipts', signed({ receipts: [{ at: at(0), messageId: 'm-a', reference: a!, status: 'sent' }, ...batch.receipts] }))
    expect(await repeat.json()).toEqual({ matched: 2, received: 2, unknownReferences: [] })
    expect(await stamp()).toBe(before)
    // Out of order within one batch: failed first, then its sent.
    await http('/api/communication-logs/receipts', signed({ receipts: [{ at: at(5), error: 'bounced', messageId: 'm-b', reference: b!, status: 'failed' }, { at: at(4), messageId: 'm-b', reference: b!, status: 'sent' }] }))
    // A delivered log does not become failed, a failed one not delivered.
    await http('/api/communication-logs/receipts', signed({ receipts: [{ at: at(6), messageId: 'm-a', reference: a!, status: 'failed' }, { at: at(6), messageId: 'm-b', reference: b!, status: 'delivered' }] }))
    await http('/api/communication-logs/receipts', signed({ receipts: [{ at: at(7), messageId: 'm-c', reference: c!, status: 'sent' }] }))
    const byRef = new Map((await logsOf(id)).map((log) => [log.reference, log]))
    expect(byRef.get(a!)?.status).toBe('delivered')
    expect(byRef.get(b!)?.status).toBe('failed')
    expect(byRef.get(c!)?.status).toBe('sent')
    expect(byRef.get(a!)?.vendor_message_id).toBe('m-a')
    await post(`/api/campaigns/${id}/cancel`, marketer.token)
  })

  it('should answer receipts on the server route exactly as Payload\'s REST endpoint does (signature, 400, 413, answer)', async () => {
    // The server serves the webhook ahead of Payload's router; Payload's endpoint stays for hosts
    // that mount its REST handler themselves. Both must give the same status and body.
    const id = await createCampaign({ customers: untouched(1) })
    vendor.configure({ retryAfterSeconds: 10, serverErrorRate: 1 })
    expect((await post(`/api/campaigns/${id}/send`, marketer.token)).status).toBe(202)
    await waitFor('snapshot', async () => (await logsOf(id)).length === 1)
    const [ref] = (await logsOf(id)).map((log) => log.reference)
    const receipt = { at: '2026-01-01T00:00:00.000+05:30', messageId: 'm-p', reference: ref!, status: 'sent' }
    const huge = JSON.stringify({ receipts: [receipt], pad: 'x'.repeat(4 * 1024 * 1024) })
    const cases: [string, RequestInit][] = [
      ['unsigned', { body: JSON.stringify({ receipts: [receipt] }), headers: { 'content-type': 'application/json' }, method: 'POST' }],
      ['wrong secret', signed({ receipts: [receipt] }, 'wrong-secret')],
      ['malformed JSON', { ...signed({}), body: '{"receipts":[', headers: { 'x-signature': signReceiptBody({ body: '{"receipts":[', secret: SECRET }) } }],
      ['not an object', signed([receipt])],
      ['empty batch', signed({ receipts: [] })],
      ['1,001 receipts', signed({ receipts: Array.from({ length: 1001 }, () => receipt) })],
      ['bad fields', signed({ receipts: [{ ...receipt, at: '2026-02-30T00:00:00Z' }, { ...receipt, status: 'opened' }, { ...receipt, messageId: '' }, { ...receipt, error: 7 }] })],
      ['date-time without offset', signed({ receipts: [{ ...receipt, at: '2026-01-01T00:00:00' }] })],
      ['too large', { body: huge, headers: { 'content-type': 'application/json', 'x-signature': signReceiptBody({ body: huge, secret: SECRET }) }, method: 'POST' }],
      ['applied, with an unknown reference and an extra field', signed({ receipts: [{ ...receipt, extra: 1 }, { ...receipt, reference: 'nobody-p' }] })],
    ]
    for (const [name, init] of cases) {
      const viaServer = await http('/api/communication-logs/receipts', init)
      const viaPayload = await handleEndpoints({ config: crm.payload.config, request: new Request(`${crm.url}/api/communication-logs/receipts`, init) })
      const answer = { body: await viaServer.json(), status: viaServer.status }
      expect({ name, ...answer }).toEqual({ name, body: await viaPayload.json(), status: viaPayload.status })
      expect({ name, status: answer.status }).toEqual({ name, status: name.startsWith('applied') ? 200 : name === 'too large' ? 413 : /signed|secret/.test(name) ? 401 : 400 })
      // Served by the server's own route (Express's JSON answer), not handed on to Payload's router.
      if (name !== 'too large') expect(viaServer.headers.get('content-type')).toBe('application/json; charset=utf-8')
    }
    expect((await logsOf(id))[0]?.status).toBe('sent')
    await post(`/api/campaigns/${id}/cancel`, marketer.token)
  })

  it('should let only marketers and admins act, viewers read progress, and nobody anonymous', async () => {
    const id = await createCampaign({ customers: customerIds.slice(1, 3) })
    expect((await post(`/api/campaigns/${id}/send`)).status).toBe(401)
    expect((await post(`/api/campaigns/${id}/send`, viewer.token)).status).toBe(403)
    expect((await post(`/api/campaigns/${id}/cancel`, viewer.token)).status).toBe(403)
    expect((await post(`/api/campaigns/${id}/test-send`, viewer.token, { customerId: customerIds[1] })).status).toBe(403)
    expect((await http(`/api/campaigns/${id}/progress`)).status).toBe(401)
    expect((await http(`/api/campaigns/${id}/progress`, { headers: jsonHeaders(viewer.token) })).status).toBe(200)
    expect((await post(`/api/campaigns/${id}/cancel`, admin.token)).status).toBe(200)
  })

  it('should test-send the message rendered for one customer to the signed-in user only, without a log', async () => {
    const id = await createCampaign({ customers: customerIds.slice(1, 3), message: 'Hello {{name}} ({{attributes.tier}})' })
    const res = await post(`/api/campaigns/${id}/test-send`, marketer.token, { customerId: customerIds[7] })
    expect(res.status).toBe(202)
    const body = (await res.json()) as { reference: string; text: string; to: string }
    expect(body.to).toBe(marketer.email)
    expect(body.text).toBe('Hello Zoë-7 Ångström (gold)')
    expect(vendor.attemptsOf(body.reference).sends).toBe(1)
    expect(await logsOf(id)).toHaveLength(0)
    const missing = await post(`/api/campaigns/${id}/test-send`, marketer.token, { customerId: 99999999 })
    expect(missing.status).toBe(404)
    expect((await post(`/api/campaigns/${id}/test-send`, marketer.token, { customer: 1 })).status).toBe(400)
  })
})
