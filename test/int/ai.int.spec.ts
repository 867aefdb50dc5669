import type { TestPayload } from '../helpers/bootPayload.js'
import type { FakeGemini } from '../helpers/fakeGemini.js'
import type { TestUser } from '../helpers/users.js'

import { groupDepthOf } from '../../src/domain/ai/ruleJsonSchema.js'
import { OPERATORS } from '../../src/domain/segments/types.js'
import { validateTemplate } from '../../src/domain/templates/validateTemplate.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { geminiJson, geminiText, startFakeGemini } from '../helpers/fakeGemini.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

// Customers whose personal data must never reach the model.
const CANARIES = [
  { city: 'Xylopur', email: 'zephyrine.quillfeather@pii-canary.test', name: 'Zephyrine Quillfeather', phone: '+91 98765 43210', visits: 2 },
  { city: 'Xylopur', email: 'barnabus.oakhollow@pii-canary.test', name: 'Barnabus Oakhollow', phone: '+91 91234 56789', visits: 6 },
]
const PII_STRINGS = CANARIES.flatMap((c) => [c.email, c.name, ...c.name.split(' '), c.phone, c.phone.replace(/\D/g, ''), c.phone.replace(/\D/g, '').slice(2), 'pii-canary'])

const VALID_TREE = { combinator: 'and', rules: [{ field: 'spend', operator: '>', value: 5000 }, { field: 'inactiveDays', operator: '>=', value: 90 }] }
const error429 = { error: { code: 429, message: 'Resource exhausted', status: 'RESOURCE_EXHAUSTED' } }

describe('AI endpoints against a fake Gemini', () => {
  let t: TestPayload
  let fake: FakeGemini
  let marketer: TestUser
  let admin: TestUser
  let viewer: TestUser
  let segmentId: number | string
  let campaignId: number
  let draftCampaignId: number | string

  const post = (path: string, body: unknown, user?: TestUser) =>
    t.request(path, { body: JSON.stringify(body), headers: jsonHeaders(user?.token), method: 'POST' })
  const freshMarketer = () => createUserWithRole(t.payload, 'marketer')

  beforeAll(async () => {
    fake = await startFakeGemini()
    t = await bootTestPayload('ai', {
      plugin: { ai: { apiKey: 'fake-key', baseUrl: fake.url, maxAttempts: 3, maxRetryDelayMs: 3000, rateLimitPerMinute: 10, timeoutMs: 1500 } },
    })
    admin = await createUserWithRole(t.payload, 'admin')
    marketer = await createUserWithRole(t.payload, 'marketer')
    viewer = await createUserWithRole(t.payload, 'viewer')
    const customerIds: number[] = []
    for (const canary of CANARIES) customerIds.push((await t.payload.create({ collection: 'customers', data: canary, overrideAccess: true })).id)
    for (let i = 0; i < 3; i++) {
      customerIds.push((await t.payload.create({ collection: 'customers', data: { city: 'Elsewhere', email: `other${i}@crm.test`, name: `Other ${i}` }, overrideAccess: true })).id)
    }
    segmentId = (await t.payload.create({ collection: 'segments', data: { dsl: 'city = "Xylopur"', name: 'Canaries' }, overrideAccess: true })).id
    // An earlier finished campaign to compare with, then the one to summarise.
    await t.payload.create({
      collection: 'campaigns',
      data: { message: 'Hi {{firstName}}', name: 'Earlier', stats: { audience: 10, delivered: 9, failed: 1, pending: 0, sent: 9, skipped: 0 }, status: 'completed' },
      overrideAccess: true,
    })
    const campaign = await t.payload.create({
      collection: 'campaigns',
      data: { intent: 'win back lapsed buyers', message: 'Hi {{firstName}}', name: 'Monsoon win-back', stats: { audience: 5, delivered: 2, failed: 3, pending: 0, sent: 2, skipped: 1 }, status: 'completed' },
      overrideAccess: true,
    })
    campaignId = campaign.id
    const outcomes = [
      { error: `Mailbox full for ${CANARIES[0]!.email}`, status: 'failed' },
      { error: 'Mailbox full for someone@else.test', status: 'failed' },
      { error: 'Invalid number', status: 'failed' },
      { status: 'delivered' },
      { status: 'delivered' },
    ] as const
    for (const [index, outcome] of outcomes.entries()) {
      await t.payload.create({
        collection: 'communication-logs',
        data: { campaign: campaignId, customer: customerIds[index], message: 'Hi', recipient: `r${index}@crm.test`, ...outcome },
        overrideAccess: true,
      })
    }
    draftCampaignId = (await t.payload.create({ collection: 'campaigns', data: { message: 'Hi', name: 'Draft', status: 'draft' }, overrideAccess: true })).id
  })

  afterAll(async () => {
    await t?.cleanup()
    await fake?.close()
  })

  beforeEach(() => {
    fake.reset()
    fake.setFallback(() => ({ json: { error: { code: 500, message: 'nothing queued' } }, status: 500 }))
  })

  describe('who may call', () => {
    const calls = [
      ['/api/ai/message-suggestions', { intent: 'win back lapsed buyers' }],
      ['/api/ai/segment-rules', { text: 'spent more than 5k' }],
      ['/api/ai/campaign-summary/1', {}],
    ] as const

    it.each(calls)('should answer 401 to anonymous callers of %s', async (path, body) => {
      expect((await post(path, body)).status).toBe(401)
    })

    it.each(calls)('should answer 403 to viewers calling %s', async (path, body) => {
      expect((await post(path, body, viewer)).status).toBe(403)
      expect(fake.requests).toHaveLength(0)
    })

    it('should let admins in', async () => {
      fake.enqueue({ json: geminiJson(VALID_TREE) })
      expect((await post('/api/ai/segment-rules', { text: 'big spenders gone quiet' }, admin)).status).toBe(200)
    })

    it("should accept a marketer's API key", async () => {
      const user = await freshMarketer()
      const apiKey = `ai-key-${Math.random().toString(36).slice(2)}`
      await t.payload.update({ collection: 'users', data: { apiKey, enableAPIKey: true }, id: user.id, overrideAccess: true })
      fake.enqueue({ json: geminiJson(VALID_TREE) })
      const res = await t.request('/api/ai/segment-rules', {
        body: JSON.stringify({ text: 'big spenders gone quiet' }),
        headers: { authorization: `users API-Key ${apiKey}`, 'content-type': 'application/json' },
        method: 'POST',
      })
      expect(res.status).toBe(200)
    })

    it('should refuse a bad body with 400 naming the field', async () => {
      const res = await post('/api/ai/message-suggestions', { intent: '' }, marketer)
      expect(res.status).toBe(400)
      expect(JSON.stringify(await res.json())).toMatch(/intent/)
    })
  })

  describe('message suggestions', () => {
    it('should keep only variants that pass the template checks, and say the source', async () => {
      fake.enqueue({
        json: geminiJson({
          suggestions: ['Hi {{firstName | "there"}}, we miss you! Come back for 10% off.', 'Your email {{email}} is on our list', 'Hello from {{city}}: new arrivals are in!'],
        }),
      })
      const res = await post('/api/ai/message-suggestions', { intent: 'win back lapsed buyers', tone: 'friendly' }, marketer)
      expect(res.status).toBe(200)
      const body = (await res.json()) as { source: string; suggestions: { text: string }[] }
      expect(body.source).toBe('gemini')
      expect(body.suggestions.map((s) => s.text)).toEqual(['Hi {{firstName | "there"}}, we miss you! Come back for 10% off.', 'Hello from {{city}}: new arrivals are in!'])
      for (const { text } of body.suggestions) expect(validateTemplate({ source: text })).toEqual([])
      const sent = fake.requests[0]!.body as { generationConfig: { responseJsonSchema: unknown; responseMimeType: string } }
      expect(sent.generationConfig.responseMimeType).toBe('application/json')
      expect(fake.requests[0]!.headers['x-goog-api-key']).toBe('fake-key')
    })

    it('should ask again naming the problems when too few variants pass, then give up with 502', async () => {
      fake.enqueue({ json: geminiJson({ suggestions: ['Hi {{phone}}', 'Hi {{firstName}}'] }) }, { json: geminiJson({ suggestions: ['Hi {{firstName}}', 'Bye {{unknownField}}'] }) })
      const res = await post('/api/ai/message-suggestions', { intent: 'say hello' }, marketer)
      expect(res.status).toBe(502)
      expect(fake.requests).toHaveLength(2)
      expect(JSON.stringify(fake.requests[1]!.body)).toMatch(/previous answer had problems/)
      expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/template checks/)
    })

    it('should describe the audience by rules and aggregates, and send no customer data', async () => {
      fake.enqueue({ json: geminiJson({ suggestions: ['Hi {{firstName}}, Xylopur deals inside!', 'Hello {{name | "friend"}}, see what is new.', 'Dear customer, thanks!'] }) })
      const res = await post('/api/ai/message-suggestions', { campaignName: 'Xylopur week', intent: 'celebrate our Xylopur store', segmentId }, marketer)
      expect(res.status).toBe(200)
      const body = (await res.json()) as { audience: { count: number }; suggestions: unknown[] }
      expect(body.audience.count).toBe(2)
      expect(body.suggestions).toHaveLength(3)
      expect(fake.requests.length).toBeGreaterThan(0)
      const prompt = fake.requests.map((r) => r.raw).join('\n')
      expect(prompt).toContain('Audience size: 2 customers')
      expect(prompt).toContain('city = \\"Xylopur\\"')
      for (const request of fake.requests) {
        const raw = request.raw.toLowerCase()
        for (const pii of PII_STRINGS) expect({ found: raw.includes(pii.toLowerCase()), pii }).toEqual({ found: false, pii })
      }
    })

    it('should redact personal values a segment rule quotes', async () => {
      const quoted = await t.payload.create({ collection: 'segments', data: { dsl: `email = "${CANARIES[0]!.email}" OR name BEGINS WITH "Zephyrine"`, name: 'Quoted' }, overrideAccess: true })
      fake.enqueue({ json: geminiJson({ suggestions: ['Hi {{firstName}}!', 'Hello {{name}}!'] }) })
      expect((await post('/api/ai/message-suggestions', { intent: 'say hello', segmentId: quoted.id }, marketer)).status).toBe(200)
      const raw = fake.requests[0]!.raw.toLowerCase()
      expect(raw).toContain('[redacted]')
      for (const pii of PII_STRINGS) expect({ found: raw.includes(pii.toLowerCase()), pii }).toEqual({ found: false, pii })
    })

    it('should answer 404 for an unknown segment', async () => {
      expect((await post('/api/ai/message-suggestions', { intent: 'say hello', segmentId: 999999 }, marketer)).status).toBe(404)
      expect(fake.requests).toHaveLength(0)
    })
  })

  describe('plain-English audiences (structured output)', () => {
    it('should send a bounded-depth JSON schema and return validated rules with their DSL', async () => {
      fake.enqueue({ json: geminiJson(VALID_TREE) })
      const res = await post('/api/ai/segment-rules', { text: "people who spent over 5k but haven't ordered in 3 months" }, marketer)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ dsl: 'spend > 5000 AND inactiveDays >= 90', rules: VALID_TREE, source: 'gemini' })
      const config = (fake.requests[0]!.body as { generationConfig: { responseJsonSchema: Record<string, unknown>; responseMimeType: string } }).generationConfig
      expect(config.responseMimeType).toBe('application/json')
      const schema = config.responseJsonSchema
      expect(JSON.stringify(schema)).not.toMatch(/\$ref|\$defs|definitions/)
      expect(groupDepthOf(schema)).toBe(3)
      expect(schema).toMatchObject({ properties: { combinator: { enum: ['and', 'or'] } }, required: ['combinator', 'rules'], type: 'object' })
      const rule = ((schema.properties as { rules: { items: { anyOf: { properties: { operator: { enum: string[] } } }[] } } }).rules.items.anyOf[0]!)
      expect(rule.properties.operator.enum).toEqual([...OPERATORS])
      expect(JSON.stringify(fake.requests[0]!.body)).toContain("haven't ordered in 3 months")
    })

    it('should retry once with the validator complaints, then report a tree naming an unknown field with 502', async () => {
      const bad = { combinator: 'and', rules: [{ field: 'colour', operator: '=', value: 'red' }] }
      fake.enqueue({ json: geminiJson(bad) }, { json: geminiJson(bad) })
      const res = await post('/api/ai/segment-rules', { text: 'customers who like red' }, marketer)
      expect(res.status).toBe(502)
      expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/Unknown field "colour"/)
      expect(fake.requests).toHaveLength(2)
      expect(JSON.stringify(fake.requests[1]!.body)).toMatch(/previous rule tree was invalid.*Unknown field/)
      // Nothing was saved.
      expect((await t.payload.count({ collection: 'segments', where: { name: { like: 'red' } } })).totalDocs).toBe(0)
    })

    it('should accept a corrected tree on the retry', async () => {
      fake.enqueue({ json: geminiJson({ combinator: 'and', rules: [{ field: 'spend', operator: '>', value: 'lots' }] }) }, { json: geminiJson(VALID_TREE) })
      const res = await post('/api/ai/segment-rules', { text: 'big spenders gone quiet' }, marketer)
      expect(res.status).toBe(200)
      expect(fake.requests).toHaveLength(2)
    })
  })

  describe('robustness', () => {
    it('should wait out a 429 (Retry-After) and succeed', async () => {
      const user = await freshMarketer()
      fake.enqueue({ headers: { 'retry-after': '1' }, json: error429, status: 429 }, { json: geminiJson(VALID_TREE) })
      const started = Date.now()
      const res = await post('/api/ai/segment-rules', { text: 'big spenders' }, user)
      expect(res.status).toBe(200)
      expect(fake.requests).toHaveLength(2)
      expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    })

    it('should give up at once with 503 and Retry-After when Gemini asks for a long wait', async () => {
      const user = await freshMarketer()
      fake.enqueue({ headers: { 'retry-after': '60' }, json: error429, status: 429 })
      const res = await post('/api/ai/segment-rules', { text: 'big spenders' }, user)
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('60')
      expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/rate-limiting.*60 s/)
      expect(fake.requests).toHaveLength(1)
    })

    it('should stop after the configured attempts on repeated 5xx', async () => {
      const user = await freshMarketer()
      fake.setFallback(() => ({ json: { error: { code: 503, message: 'overloaded' } }, status: 503 }))
      const res = await post('/api/ai/segment-rules', { text: 'big spenders' }, user)
      expect(res.status).toBe(503)
      expect(fake.requests).toHaveLength(3)
    })

    it('should report a blocked prompt (promptFeedback.blockReason) with 422', async () => {
      const user = await freshMarketer()
      fake.enqueue({ json: { promptFeedback: { blockReason: 'SAFETY' } } })
      const res = await post('/api/ai/segment-rules', { text: 'something nasty' }, user)
      expect(res.status).toBe(422)
      expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/safety filters blocked the request \(SAFETY\)/)
    })

    it('should report a withheld answer (finishReason SAFETY) with 422', async () => {
      const user = await freshMarketer()
      fake.enqueue({ json: geminiText('', 'SAFETY') })
      const res = await post('/api/ai/message-suggestions', { intent: 'something nasty' }, user)
      expect(res.status).toBe(422)
      expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/finishReason SAFETY/)
    })

    it('should time out with 503 when Gemini is too slow', async () => {
      const user = await freshMarketer()
      fake.enqueue({ delayMs: 10_000, json: geminiJson(VALID_TREE) })
      const started = Date.now()
      const res = await post('/api/ai/segment-rules', { text: 'big spenders' }, user)
      expect(res.status).toBe(503)
      expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/did not answer within 1.5 s/)
      // It stopped waiting long before the fake's 10 s answer.
      expect(Date.now() - started).toBeLessThan(8000)
    })

    it('should report garbage output with 502, never a 500', async () => {
      const user = await freshMarketer()
      fake.enqueue({ json: geminiText('Sure! Here is your JSON: {combinator: and') })
      const res = await post('/api/ai/segment-rules', { text: 'big spenders' }, user)
      expect(res.status).toBe(502)
      expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/malformed JSON/)
    })

    it('should rate-limit each user with 429 and Retry-After', async () => {
      const user = await freshMarketer()
      fake.setFallback(() => ({ json: geminiJson(VALID_TREE) }))
      for (let i = 0; i < 10; i++) expect((await post('/api/ai/segment-rules', { text: 'big spenders' }, user)).status).toBe(200)
      const res = await post('/api/ai/segment-rules', { text: 'big spenders' }, user)
      expect(res.status).toBe(429)
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
      // Another user is not affected.
      expect((await post('/api/ai/segment-rules', { text: 'big spenders' }, await freshMarketer())).status).toBe(200)
    })
  })

  describe('campaign summary', () => {
    it('should summarise from the stats, failures by reason (redacted) and earlier campaigns', async () => {
      const user = await freshMarketer()
      fake.enqueue({ json: geminiJson({ summary: 'Delivery was 40%, mostly mailbox-full failures.' }) })
      const res = await post(`/api/ai/campaign-summary/${campaignId}`, {}, user)
      expect(res.status).toBe(200)
      const body = (await res.json()) as { facts: { failureReasons: { count: number; reason: string }[]; previous: { campaigns: number } }; source: string; summary: string }
      expect(body).toMatchObject({ source: 'gemini', summary: 'Delivery was 40%, mostly mailbox-full failures.' })
      expect(body.facts.failureReasons).toEqual([
        { count: 2, reason: 'Mailbox full for [email]' },
        { count: 1, reason: 'Invalid number' },
      ])
      expect(body.facts.previous.campaigns).toBe(1)
      const prompt = fake.requests[0]!.raw
      expect(prompt).toContain('Delivery rate: 40.0%, failure rate: 60.0%')
      expect(prompt).toContain('delivery 90.0%')
      expect(prompt.toLowerCase()).not.toContain('pii-canary')
    })

    it('should refuse an unfinished campaign with 409 and an unknown one with 404', async () => {
      const user = await freshMarketer()
      const draft = await post(`/api/ai/campaign-summary/${draftCampaignId}`, {}, user)
      expect(draft.status).toBe(409)
      expect(((await draft.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/this one is draft/)
      expect((await post('/api/ai/campaign-summary/999999', {}, user)).status).toBe(404)
      expect(fake.requests).toHaveLength(0)
    })
  })

  it('should document the AI endpoints in the OpenAPI description', async () => {
    const doc = (await (await t.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/ai/message-suggestions', '/api/ai/segment-rules', '/api/ai/campaign-summary/{id}']))
  })
})
