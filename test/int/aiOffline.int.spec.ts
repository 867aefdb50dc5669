import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { SUGGESTION_PLACEHOLDERS } from '../../src/domain/ai/messageSuggestions.js'
import { parseTemplate } from '../../src/domain/templates/parseTemplate.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

/** Without GEMINI_API_KEY the same endpoints answer from the deterministic offline fallback. */
describe('AI endpoints offline (no GEMINI_API_KEY)', () => {
  let t: TestPayload
  let marketer: TestUser

  const post = (path: string, body: unknown) => t.request(path, { body: JSON.stringify(body), headers: jsonHeaders(marketer.token), method: 'POST' })

  beforeAll(async () => {
    t = await bootTestPayload('ai-offline', { plugin: { ai: { rateLimitPerMinute: 100 } } })
    await createUserWithRole(t.payload, 'admin')
    marketer = await createUserWithRole(t.payload, 'marketer')
    for (const [i, city] of ['Pune', 'Delhi', 'Mumbai'].entries()) {
      await t.payload.create({ collection: 'customers', data: { city, email: `c${i}@crm.test`, name: `Customer ${i}`, visits: i + 1 }, overrideAccess: true })
    }
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should read a plain-English audience into rules whose preview count is right', async () => {
    const res = await post('/api/ai/segment-rules', { text: 'from Pune or Delhi and visited fewer than 3 times' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { dsl: string; rules: unknown; source: string }
    expect(body).toEqual({
      dsl: 'city IN ("Pune", "Delhi") AND visits < 3',
      rules: { combinator: 'and', rules: [{ field: 'city', operator: 'in', value: ['Pune', 'Delhi'] }, { field: 'visits', operator: '<', value: 3 }] },
      source: 'offline',
    })
    const preview = await post('/api/segments/preview', { rules: body.rules })
    expect(((await preview.json()) as { count: number }).count).toBe(2)
  })

  it('should say what it understands when it cannot read the text (422)', async () => {
    const res = await post('/api/ai/segment-rules', { text: 'people who like cats' })
    expect(res.status).toBe(422)
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/Could not understand "like cats".*spent more than 5k/)
  })

  it('should suggest 2–3 distinct, valid variants using only safe placeholders', async () => {
    const segment = await t.payload.create({ collection: 'segments', data: { dsl: 'city = "Pune"', name: 'Pune' }, overrideAccess: true })
    const res = await post('/api/ai/message-suggestions', { intent: 'win back lapsed buyers with 15% off', segmentId: segment.id, tone: 'urgent' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { audience: { count: number }; source: string; suggestions: { text: string }[] }
    expect(body.source).toBe('offline')
    expect(body.audience.count).toBe(1)
    expect(body.suggestions.length).toBeGreaterThanOrEqual(2)
    expect(body.suggestions.length).toBeLessThanOrEqual(3)
    expect(new Set(body.suggestions.map((s) => s.text)).size).toBe(body.suggestions.length)
    for (const { text } of body.suggestions) {
      const parsed = parseTemplate({ source: text })
      expect(parsed.errors).toEqual([])
      for (const node of parsed.nodes) if (node.kind === 'placeholder' && 'field' in node.target) expect(SUGGESTION_PLACEHOLDERS).toContain(node.target.field)
      expect(text).toMatch(/15% off/)
    }
    // Deterministic.
    const again = await post('/api/ai/message-suggestions', { intent: 'win back lapsed buyers with 15% off', segmentId: segment.id, tone: 'urgent' })
    expect(((await again.json()) as { suggestions: unknown }).suggestions).toEqual(body.suggestions)
  })

  it('should respect maxLength', async () => {
    const res = await post('/api/ai/message-suggestions', { intent: 'new arrivals are in store', maxLength: 60 })
    expect(res.status).toBe(200)
    for (const { text } of ((await res.json()) as { suggestions: { text: string }[] }).suggestions) expect(text.length).toBeLessThanOrEqual(60)
  })

  it('should compose a campaign summary from the numbers', async () => {
    const campaign = await t.payload.create({
      collection: 'campaigns',
      data: { message: 'Hi {{firstName}}', name: 'Diwali', stats: { audience: 200, delivered: 150, failed: 20, pending: 0, sent: 180, skipped: 4 }, status: 'completed' },
      overrideAccess: true,
    })
    const res = await post(`/api/ai/campaign-summary/${campaign.id}`, {})
    expect(res.status).toBe(200)
    const body = (await res.json()) as { source: string; summary: string }
    expect(body.source).toBe('offline')
    expect(body.summary).toContain('reached 200 customers: 150 delivered (75.0%), 20 failed (10.0%), 4 skipped')
    expect(body.summary).toContain('no earlier finished campaigns')
  })
})
