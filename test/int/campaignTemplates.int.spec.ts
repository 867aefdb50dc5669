import type { TestPayload } from '../helpers/bootPayload.js'
import type { TestUser } from '../helpers/users.js'

import { bootTestPayload } from '../helpers/bootPayload.js'
import { createUserWithRole, jsonHeaders } from '../helpers/users.js'

type ErrorBody = { errors: { data?: { errors?: { message: string; path: string }[] }; message: string }[] }

describe('campaign message templates are checked when a campaign is saved', () => {
  let t: TestPayload
  let marketer: TestUser

  const post = (data: unknown) => t.request('/api/campaigns', { body: JSON.stringify(data), headers: jsonHeaders(marketer.token), method: 'POST' })

  beforeAll(async () => {
    t = await bootTestPayload('campaign-templates')
    marketer = await createUserWithRole(t.payload, 'marketer')
  })

  afterAll(async () => {
    await t?.cleanup()
  })

  it('should save a campaign whose template is valid', async () => {
    const res = await post({ message: 'Hi {{firstName | "there"}}, {{city}} misses you ({{attributes.favouriteStore}})', name: 'Win back' })
    expect(res.status).toBe(201)
  })

  it.each([
    ['an unknown field', 'Hi {{frstName}}', /Unknown field "frstName".*line 1, column 6/],
    ['unclosed braces', 'Hi\n{{firstName', /"\{\{" is not closed.*line 2, column 1/],
    ['a bad fallback', 'Hi {{firstName | there}}', /A fallback is a quoted text/],
  ])('should refuse %s with a 400 naming the message field and the position', async (_, message, reason) => {
    const res = await post({ message, name: 'Broken' })
    expect(res.status).toBe(400)
    const body = (await res.json()) as ErrorBody
    const fieldError = body.errors.flatMap((error) => error.data?.errors ?? []).find((error) => error.path === 'message')
    expect(fieldError?.message).toMatch(reason)
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/) // no stack trace
  })
})
