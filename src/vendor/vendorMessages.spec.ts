import type { VendorSimulator } from './createVendorSimulator.js'

import { createVendorSimulator } from './createVendorSimulator.js'

const message = (reference: string) => ({ reference, text: `Hi ${reference}`, to: `${reference}@example.com` })

describe('vendor simulator: POST /messages', () => {
  let vendor: VendorSimulator

  const post = async (body: unknown, init: RequestInit = {}) => {
    const response = await fetch(`${vendor.url}/messages`, {
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      method: 'POST',
      ...init,
    })
    return { body: (await response.json()) as any, headers: response.headers, status: response.status }
  }

  const patchConfig = async (patch: unknown) => {
    const response = await fetch(`${vendor.url}/config`, { body: JSON.stringify(patch), headers: { 'content-type': 'application/json' }, method: 'PATCH' })
    return { body: (await response.json()) as any, status: response.status }
  }

  beforeEach(async () => {
    // No callback receiver here: receipts are counted as dropped (see vendorReceipts.spec.ts for callbacks).
    vendor = await createVendorSimulator({ behaviour: { receiptDelayMs: [0, 0] }, seed: 7, webhookSecret: 'test-secret' })
  })

  afterEach(async () => {
    await vendor.close()
  })

  it('should accept a batch at once with one result per message, in order', async () => {
    const { body, status } = await post({ messages: [message('c1:1'), message('c1:2'), message('c1:3')] })
    expect(status).toBe(202)
    expect(body.messages.map((m: any) => m.reference)).toEqual(['c1:1', 'c1:2', 'c1:3'])
    for (const result of body.messages) {
      expect(result).toEqual({ messageId: expect.stringMatching(/^msg_[0-9a-f]{8}_[0-9a-z]+$/), reference: result.reference, status: 'accepted' })
    }
    expect(new Set(body.messages.map((m: any) => m.messageId)).size).toBe(3)
    expect(vendor.stats()).toMatchObject({ messages: { attempts: 3, duplicates: 0, references: 3, sends: 3 }, requests: { accepted: 1, total: 1 } })
  })

  it('should answer a repeated reference with the first result and send nothing again (dedup on)', async () => {
    const first = await post({ messages: [message('c1:1')] })
    const again = await post({ messages: [message('c1:1'), message('c1:2'), message('c1:1')] })
    const firstId = first.body.messages[0].messageId
    expect(again.body.messages[0]).toEqual({ duplicate: true, messageId: firstId, reference: 'c1:1', status: 'accepted' })
    expect(again.body.messages[2]).toEqual({ duplicate: true, messageId: firstId, reference: 'c1:1', status: 'accepted' })
    expect(again.body.messages[1].duplicate).toBeUndefined()
    expect(vendor.attemptsOf('c1:1')).toEqual({ attempts: 3, messageIds: [firstId], reference: 'c1:1', sends: 1 })
    const overHttp = await (await fetch(`${vendor.url}/attempts?reference=c1%3A1`)).json()
    expect(overHttp).toEqual({ attempts: 3, messageIds: [firstId], reference: 'c1:1', sends: 1 })
    expect(vendor.stats()).toMatchObject({ messages: { attempts: 4, duplicates: 2, references: 2, sends: 2 } })
    expect(await (await fetch(`${vendor.url}/attempts`)).json()).toEqual({ multiSent: [], references: 2 })
  })

  it('should send every attempt again with dedup off, counting each', async () => {
    expect((await patchConfig({ dedup: false })).status).toBe(200)
    const first = await post({ messages: [message('c1:1')] })
    const again = await post({ messages: [message('c1:1')] })
    expect(again.body.messages[0].duplicate).toBeUndefined()
    expect(again.body.messages[0].messageId).not.toBe(first.body.messages[0].messageId)
    expect(vendor.attemptsOf('c1:1')).toMatchObject({ attempts: 2, sends: 2 })
    const summary = await (await fetch(`${vendor.url}/attempts`)).json()
    expect(summary.multiSent).toEqual([{ attempts: 2, messageIds: [first.body.messages[0].messageId, again.body.messages[0].messageId], reference: 'c1:1', sends: 2 }])
    const { delivered, failed, sent, unsubscribed } = vendor.stats().outcomes
    expect(delivered + failed + sent + unsubscribed).toBe(2)
  })

  it('should say never seen for an unknown reference', async () => {
    expect(await (await fetch(`${vendor.url}/attempts?reference=nope`)).json()).toEqual({ attempts: 0, messageIds: [], reference: 'nope', sends: 0 })
  })

  it('should inject 429 with Retry-After, doing nothing', async () => {
    await patchConfig({ rateLimitRate: 1, retryAfterSeconds: 7 })
    const { body, headers, status } = await post({ messages: [message('c1:1')] })
    expect(status).toBe(429)
    expect(headers.get('retry-after')).toBe('7')
    expect(body).toEqual({ errors: [{ message: 'Too many requests (simulated)' }] })
    expect(vendor.attemptsOf('c1:1')).toMatchObject({ attempts: 0, sends: 0 })
    expect(vendor.stats().requests).toMatchObject({ accepted: 0, rateLimited: 1, total: 1 })
  })

  it('should inject 503 with Retry-After, doing nothing', async () => {
    await patchConfig({ retryAfterSeconds: 2, serverErrorRate: 1 })
    const { headers, status } = await post({ messages: [message('c1:1')] })
    expect(status).toBe(503)
    expect(headers.get('retry-after')).toBe('2')
    expect(vendor.attemptsOf('c1:1').sends).toBe(0)
    expect(vendor.stats().requests.serverErrors).toBe(1)
  })

  it('should inject a 500 after sending, so only a retry by reference is safe', async () => {
    await patchConfig({ errorAfterSendRate: 1 })
    const lost = await post({ messages: [message('c1:1')] })
    expect(lost.status).toBe(500)
    expect(lost.body.errors[0].message).toMatch(/retry with the same references/)
    expect(vendor.attemptsOf('c1:1')).toMatchObject({ attempts: 1, sends: 1 })
    await patchConfig({ errorAfterSendRate: 0 })
    const retried = await post({ messages: [message('c1:1')] })
    expect(retried.status).toBe(202)
    expect(retried.body.messages[0]).toMatchObject({ duplicate: true, messageId: vendor.attemptsOf('c1:1').messageIds[0] })
    expect(vendor.attemptsOf('c1:1')).toMatchObject({ attempts: 2, sends: 1 })
  })

  it('should mix injected faults at the configured rates with a fixed seed', async () => {
    await patchConfig({ rateLimitRate: 0.2, serverErrorRate: 0.1 })
    const statuses: number[] = []
    for (let i = 0; i < 200; i += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, j) => post({ messages: [message(`c1:${i + j}`)] })))
      statuses.push(...answers.map((answer) => answer.status))
    }
    const share = (code: number) => statuses.filter((s) => s === code).length / statuses.length
    expect(share(429)).toBeGreaterThan(0.12)
    expect(share(429)).toBeLessThan(0.28)
    expect(share(503)).toBeGreaterThan(0.04)
    expect(share(503)).toBeLessThan(0.16)
    expect(share(202)).toBeCloseTo(1 - share(429) - share(503), 10)
  })

  it.each([
    ['not JSON', '{"messages":', /not valid JSON/],
    ['no messages', {}, /^messages: /],
    ['an empty batch', { messages: [] }, /at least one message/],
    ['a message without reference', { messages: [{ text: 'x', to: 'a@b.c' }] }, /^messages\[0\]\.reference: /],
    ['a message with an empty recipient', { messages: [{ reference: 'r', text: 'x', to: '' }] }, /^messages\[0\]\.to: /],
    ['a message whose text is not text', { messages: [{ reference: 'r', text: 5, to: 'a@b.c' }] }, /^messages\[0\]\.text: /],
    ['an array', [message('r')], /^body: /],
  ])('should answer 400 with a reason for %s', async (_, body, reason) => {
    const { body: answer, status } = await post(body)
    expect(status).toBe(400)
    expect(answer.errors[0].message).toMatch(reason)
    expect(vendor.stats().requests).toMatchObject({ accepted: 0, invalid: 1 })
    expect(vendor.stats().messages.attempts).toBe(0)
  })

  it('should answer 400 when the body is not declared as JSON', async () => {
    const { body, status } = await post(JSON.stringify({ messages: [message('r')] }), { headers: { 'content-type': 'text/plain' } })
    expect(status).toBe(400)
    expect(body).toEqual({ errors: [{ message: 'Send a JSON body with Content-Type: application/json' }] })
  })

  it('should answer 413 for a batch over the limit', async () => {
    await patchConfig({ maxBatchSize: 2 })
    const { body, status } = await post({ messages: [message('a'), message('b'), message('c')] })
    expect(status).toBe(413)
    expect(body.errors[0].message).toBe('A batch holds at most 2 messages (got 3)')
  })

  it.each([
    [{ failureRate: 2 }, /^failureRate: /],
    [{ dedup: 'no' }, /^dedup: /],
    [{ teleport: true }, /teleport/],
    [{ failureRate: 0.6, unsubscribeRate: 0.5 }, /must not exceed 1/],
    [{ receiptDelayMs: [5, 1] }, /min ≤ max/],
  ])('should refuse the config %j with a 400', async (patch, reason) => {
    const { body, status } = await patchConfig(patch)
    expect(status).toBe(400)
    expect(body.errors[0].message).toMatch(reason)
    expect((await (await fetch(`${vendor.url}/config`)).json()).failureRate).toBe(0.1)
  })

  it('should refuse an invalid behaviour in process too', () => {
    expect(() => vendor.configure({ failureRate: -1 })).toThrow(/failureRate/)
  })

  it('should answer 400 for an empty reference query and 404 as JSON for unknown routes', async () => {
    const empty = await fetch(`${vendor.url}/attempts?reference=`)
    expect(empty.status).toBe(400)
    const missing = await fetch(`${vendor.url}/nowhere`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ errors: [{ message: 'No route GET /nowhere' }] })
  })

  it('should forget counters and de-duplication on reset', async () => {
    await post({ messages: [message('c1:1')] })
    const reset = await fetch(`${vendor.url}/reset`, { method: 'POST' })
    expect(reset.status).toBe(200)
    expect(vendor.stats().messages).toEqual({ attempts: 0, duplicates: 0, references: 0, sends: 0 })
    const again = await post({ messages: [message('c1:1')] })
    expect(again.body.messages[0].duplicate).toBeUndefined()
  })
})
