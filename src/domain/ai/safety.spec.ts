import { createRateWindow } from './rateWindow.js'
import { redactPii } from './redactPii.js'
import { redactRuleValues } from './redactRuleValues.js'
import { groupDepthOf, ruleTreeJsonSchema } from './ruleJsonSchema.js'

describe('redactPii', () => {
  it.each([
    ['Mailbox full for priya.s@example.com', 'Mailbox full for [email]'],
    ['Number +91 98765 43210 unreachable', 'Number [number] unreachable'],
    ['Invalid number', 'Invalid number'],
    ['HTTP 503 from vendor', 'HTTP 503 from vendor'],
  ])('should turn %j into %j', (input, expected) => {
    expect(redactPii(input)).toBe(expected)
  })
})

describe('redactRuleValues', () => {
  it('should hide values of email, name and phone rules at any depth, and keep the rest', () => {
    expect(
      redactRuleValues({
        combinator: 'and',
        rules: [
          { field: 'city', operator: '=', value: 'Pune' },
          { combinator: 'or', rules: [{ field: 'email', operator: 'in', value: ['a@b.c', 'd@e.f'] }, { field: 'phone', operator: 'notNull' }] },
          { field: 'name', operator: 'beginsWith', value: 'Zed' },
        ],
      }),
    ).toEqual({
      combinator: 'and',
      rules: [
        { field: 'city', operator: '=', value: 'Pune' },
        { combinator: 'or', rules: [{ field: 'email', operator: 'in', value: ['[redacted]', '[redacted]'] }, { field: 'phone', operator: 'notNull' }] },
        { field: 'name', operator: 'beginsWith', value: '[redacted]' },
      ],
    })
  })
})

describe('ruleTreeJsonSchema', () => {
  it.each([1, 2, 3, 4])('should unroll %d levels of groups without references', (depth) => {
    const schema = ruleTreeJsonSchema(depth)
    expect(groupDepthOf(schema)).toBe(depth)
    expect(JSON.stringify(schema)).not.toContain('$ref')
  })
})

describe('createRateWindow', () => {
  it('should allow `limit` requests per window per key and say when the next one may come', () => {
    const window = createRateWindow({ limit: 2, windowMs: 60_000 })
    expect(window.take('a', 0)).toEqual({ ok: true })
    expect(window.take('a', 10_000)).toEqual({ ok: true })
    expect(window.take('a', 20_000)).toEqual({ ok: false, retryAfterSeconds: 40 })
    expect(window.take('b', 20_000)).toEqual({ ok: true })
    expect(window.take('a', 60_000)).toEqual({ ok: true })
  })
})
