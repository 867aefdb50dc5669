import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { bootTestPayload } from '../helpers/bootPayload.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

type Preview = {
  audience: null | { size: number; skipped: number }
  audienceProblem: null | string
  customer: null | { email: null | string; id: number; name: null | string }
  errors: { column: number; line: number; message: string; offset: number }[]
  samples: { id: number; name: null | string }[]
  text: null | string
}
type Report = {
  delivery: { bucketMs: number; points: { at: string; delivered: number; failed: number; sent: number }[] }
  failureReasons: { count: number; reason: string }[]
  rates: { deliveryRate: null | number; failureRate: null | number }
  stats: Record<string, number>
  status: string
}

/**
 * The campaign editor's reads on a real database: POST /api/campaigns/preview (template errors,
 * rendering, live audience size and opted-out count for unsaved values) and
 * GET /api/campaigns/:id/report (counts, grouped failure reasons, delivery over time).
 */
describe('campaign editor endpoints', () => {
  let t: TestPayload
  let marketer: TestUser
  let viewer: TestUser
  let segmentId: number
  const ids: Record<string, number> = {}
  // Customers only this file uses (a "Nagpur"/"Surat" city nobody else seeds in this database).
  const SEED = [
    { city: 'Nagpur', email: 'asha@editor.test', marketingOptOut: false, name: 'Asha Rao' },
    { city: 'Nagpur', email: 'bilal@editor.test', marketingOptOut: true, name: 'Bilal Khan' },
    { city: 'Nagpur', email: 'chitra@editor.test', marketingOptOut: false, name: 'Chitra' },
    { city: 'Nagpur', email: 'dev@editor.test', marketingOptOut: true, name: 'Dev' },
    { city: 'Nagpur', email: 'esha@editor.test', marketingOptOut: false, name: 'Esha' },
    { city: 'Surat', email: 'farah@editor.test', marketingOptOut: false, name: 'Farah' },
  ]

  const preview = (body: unknown, user: TestUser = marketer) =>
    t.request('/api/campaigns/preview', { body: JSON.stringify(body), headers: jsonHeaders(user.token), method: 'POST' })

  beforeAll(async () => {
    t = await bootTestPayload('campaign-editor')
    marketer = await createUserWithRole(t.payload, 'marketer')
    viewer = await createUserWithRole(t.payload, 'viewer')
    for (const customer of SEED) ids[customer.name] = Number((await t.payload.create({ collection: 'customers', data: customer as never, overrideAccess: true })).id)
    const segment = await t.payload.create({
      collection: 'segments',
      data: { name: 'Nagpur', rules: { combinator: 'and', rules: [{ field: 'city', operator: '=', value: 'Nagpur' }] } } as never,
      overrideAccess: true,
    })
    segmentId = Number(segment.id)
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should count a segment’s audience and its opted-out members, and render for the first who would get it', async () => {
    const res = await preview({ message: 'Hi {{firstName | "there"}} from {{city}}', segment: segmentId })
    expect(res.status).toBe(200)
    const body = (await res.json()) as Preview
    expect(body.audience).toEqual({ size: 3, skipped: 2 })
    expect(body.audienceProblem).toBeNull()
    expect(body.samples.map((s) => s.name)).toEqual(['Asha Rao', 'Chitra', 'Esha'])
    expect(body.customer?.name).toBe('Asha Rao')
    expect(body.text).toBe('Hi Asha from Nagpur')
    expect(body.errors).toEqual([])
    // The editor's audience read sends no message: samples and counts all the same.
    const bare = (await (await preview({ message: '', segment: segmentId })).json()) as Preview
    expect(bare.samples.length).toBe(3)
    expect(bare.audience).toEqual({ size: 3, skipped: 2 })
  })

  it('should count unsaved hand-picked customers (an unknown id counts nowhere) and switch the sample customer', async () => {
    const picked = [ids['Bilal Khan']!, ids['Farah']!, 999_999]
    const body = (await (await preview({ customerId: ids['Farah'], customers: picked, message: '{{name}} / {{email}}' })).json()) as Preview
    expect(body.audience).toEqual({ size: 1, skipped: 1 })
    expect(body.text).toBe('Farah / farah@editor.test')
    // Any customer may be previewed, even one outside the audience.
    const other = (await (await preview({ customerId: ids['Dev'], customers: picked, message: 'Hi {{name}}' })).json()) as Preview
    expect(other.text).toBe('Hi Dev')
  })

  it('should report template errors with positions and render nothing', async () => {
    const body = (await (await preview({ message: 'Hello\n{{FirstName}} and {{city', segment: segmentId })).json()) as Preview
    expect(body.text).toBeNull()
    expect(body.errors.length).toBe(2)
    expect(body.errors[0]).toMatchObject({ column: 3, line: 2, offset: 8 }) // the field name's position
    expect(body.errors[0]!.message).toMatch(/firstName/)
    expect(body.errors[1]).toMatchObject({ line: 2 })
    expect(body.audience).toEqual({ size: 3, skipped: 2 }) // the audience is still counted
  })

  it('should say why there is no audience figure', async () => {
    const none = (await (await preview({ message: 'Hi' })).json()) as Preview
    expect(none.audience).toBeNull()
    expect(none.audienceProblem).toMatch(/choose a segment or pick customers/)
    const both = (await (await preview({ customers: [ids['Asha Rao']], message: 'Hi', segment: segmentId })).json()) as Preview
    expect(both.audience).toBeNull()
    expect(both.audienceProblem).toMatch(/not both/)
  })

  it('should answer bad input with a 4xx naming the problem, never a 500', async () => {
    const missing = await preview({ segment: segmentId })
    expect(missing.status).toBe(400)
    expect(JSON.stringify(await missing.json())).toMatch(/message/)
    const word = await preview({ message: 'x', segment: 'pune' })
    expect(word.status).toBe(400)
    expect(JSON.stringify(await word.json())).toMatch(/segment/)
    const noSegment = await preview({ message: 'x', segment: 987_654 })
    expect(noSegment.status).toBe(404)
    expect(JSON.stringify(await noSegment.json())).toMatch(/No segment with id 987654/)
    const noCustomer = await preview({ customerId: 987_654, message: 'x' })
    expect(noCustomer.status).toBe(404)
    const report = await t.request('/api/campaigns/987654/report', { headers: jsonHeaders(viewer.token) })
    expect(report.status).toBe(404)
  })

  it('should let a viewer preview and read a report but not send', async () => {
    expect((await preview({ message: 'Hi {{name}}', segment: segmentId }, viewer)).status).toBe(200)
    expect((await t.request('/api/campaigns/preview', { body: JSON.stringify({ message: 'x' }), headers: jsonHeaders(), method: 'POST' })).status).toBe(401)
  })

  it('should report counts, grouped failure reasons and delivery over time from the logs', async () => {
    const campaign = await t.payload.create({ collection: 'campaigns', data: { message: 'Hi {{name}}', name: 'Report', segment: segmentId } as never, overrideAccess: true })
    // Failures are placed at the log's last change (now): sends start 100 s before, so the span is ~100 s → 5 s buckets.
    const base = Math.floor(Date.now() / 1000) * 1000 - 100_000
    const at = (s: number) => new Date(base + s * 1000).toISOString()
    const logs = [
      { customer: 'Asha Rao', deliveredAt: at(5), sentAt: at(0), status: 'delivered' },
      { customer: 'Chitra', deliveredAt: at(70), sentAt: at(1), status: 'delivered' },
      { customer: 'Esha', sentAt: at(2), status: 'sent' },
      { customer: 'Farah', error: 'mailbox full', sentAt: at(3), status: 'failed' },
      { customer: 'Bilal Khan', error: 'mailbox full', sentAt: at(3), status: 'failed' },
      { customer: 'Dev', error: 'bounced', sentAt: at(4), status: 'failed' },
    ]
    for (const log of logs) {
      await t.payload.create({
        collection: 'communication-logs',
        data: { ...log, campaign: campaign.id, customer: ids[log.customer], recipient: 'x@editor.test', reference: `rep-${log.customer}` } as never,
        overrideAccess: true,
      })
    }
    await t.payload.update({ collection: 'campaigns', data: { snapshotAt: at(0), stats: { skipped: 1 }, status: 'completed' } as never, id: campaign.id, overrideAccess: true })

    const res = await t.request(`/api/campaigns/${campaign.id}/report`, { headers: jsonHeaders(viewer.token) })
    expect(res.status).toBe(200)
    const report = (await res.json()) as Report
    expect(report.status).toBe('completed')
    expect(report.stats).toEqual({ audience: 6, delivered: 2, failed: 3, pending: 0, sent: 3, skipped: 1 })
    expect(report.rates).toEqual({ deliveryRate: 66.7, failureRate: 50 })
    expect(report.failureReasons).toEqual([
      { count: 2, reason: 'mailbox full' },
      { count: 1, reason: 'bounced' },
    ])
    const { bucketMs, points } = report.delivery
    expect(points.length).toBeGreaterThan(1)
    expect(points.length).toBeLessThanOrEqual(24)
    expect(points.reduce((sum, p) => sum + p.sent, 0)).toBe(6) // every log with a sentAt
    expect(points.reduce((sum, p) => sum + p.delivered, 0)).toBe(2)
    expect(points.reduce((sum, p) => sum + p.failed, 0)).toBe(3)
    expect(points[0]!.at).toBe(at(0))
    expect(bucketMs).toBe(5000)
    expect(points[0]).toMatchObject({ delivered: 0, failed: 0, sent: 6 }) // sends at 0–4 s
    expect(points[1]).toMatchObject({ delivered: 1 }) // delivered at 5 s
    expect(points.at(-1)!.failed).toBe(3) // failed just now
    // The late delivery (70 s after the first send) lands in the bucket that holds it.
    const late = points.findIndex((p) => Date.parse(p.at) <= base + 70_000 && base + 70_000 < Date.parse(p.at) + bucketMs)
    expect(late).toBeGreaterThan(0)
    expect(points[late]!.delivered).toBeGreaterThanOrEqual(1)
  })

  it('should report a draft with no logs as empty', async () => {
    const campaign = await t.payload.create({ collection: 'campaigns', data: { message: 'Hi', name: 'Draft' } as never, overrideAccess: true })
    const report = (await (await t.request(`/api/campaigns/${campaign.id}/report`, { headers: jsonHeaders(marketer.token) })).json()) as Report
    expect(report).toMatchObject({ delivery: { bucketMs: 0, points: [] }, failureReasons: [], rates: { deliveryRate: null, failureRate: null }, status: 'draft' })
  })
})
