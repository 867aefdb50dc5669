import { createHmac } from 'node:crypto'

import fc from 'fast-check'

import { parseReceiptBatch, parseReceiptBatchFast } from './receiptBatchSchema.js'
import { signReceiptBody, verifyReceiptSignature } from './receiptSignature.js'

const body = '{"receipts":[{"messageId":"m1","reference":"c1:42","status":"delivered","at":"2026-01-10T12:00:00.000Z"}]}'

describe('signReceiptBody / verifyReceiptSignature', () => {
  it('should sign as sha256=<hex HMAC of the raw body>', () => {
    const expected = createHmac('sha256', 's3cret').update(body).digest('hex')
    expect(signReceiptBody({ body, secret: 's3cret' })).toBe(`sha256=${expected}`)
    expect(signReceiptBody({ body: Buffer.from(body), secret: 's3cret' })).toBe(`sha256=${expected}`)
  })

  it('should accept its own signature, in any hex case', () => {
    const signature = signReceiptBody({ body, secret: 's3cret' })
    expect(verifyReceiptSignature({ body, secret: 's3cret', signature })).toBe(true)
    expect(verifyReceiptSignature({ body: Buffer.from(body), secret: 's3cret', signature: signature.toUpperCase().replace('SHA256', 'sha256') })).toBe(true)
  })

  it('should accept any of several secrets (rotation)', () => {
    const signature = signReceiptBody({ body, secret: 'old' })
    expect(verifyReceiptSignature({ body, secret: ['new', 'old'], signature })).toBe(true)
    expect(verifyReceiptSignature({ body, secret: ['new'], signature })).toBe(false)
  })

  it.each([
    ['a changed body', body.replace('delivered', 'failed'), undefined],
    ['another secret', body, 'other'],
  ])('should refuse %s', (_, signedBody, secret) => {
    const signature = signReceiptBody({ body: signedBody, secret: secret ?? 's3cret' })
    expect(verifyReceiptSignature({ body, secret: 's3cret', signature })).toBe(false)
  })

  it.each([undefined, null, '', 'sha256=', 'sha1=abc', 'sha256=zz', `sha256=${'0'.repeat(63)}`, `sha256=${'0'.repeat(66)}`, ['a', 'b']])(
    'should refuse the malformed signature %p without throwing',
    (signature) => {
      expect(verifyReceiptSignature({ body, secret: 's3cret', signature })).toBe(false)
    },
  )

  it('should refuse everything when the secret is empty', () => {
    expect(verifyReceiptSignature({ body, secret: '', signature: signReceiptBody({ body, secret: '' }) })).toBe(false)
  })
})

describe('parseReceiptBatch', () => {
  it('should accept the contract shape', () => {
    const result = parseReceiptBatch(JSON.parse(body))
    expect(result).toEqual({ batch: JSON.parse(body), isValid: true })
    expect(parseReceiptBatch({ receipts: [{ at: '2026-01-10T17:30:00+05:30', error: 'mailbox full', messageId: 'm', reference: 'r', status: 'failed' }] }).isValid).toBe(true)
  })

  it.each([
    [null, /^body: /],
    [{}, /^receipts: /],
    [{ receipts: [] }, /at least one receipt/],
    [{ receipts: [{ at: 'yesterday', messageId: 'm', reference: 'r', status: 'sent' }] }, /^receipts\[0\]\.at: must be an ISO 8601/],
    [{ receipts: [{ at: '2026-01-10T12:00:00Z', messageId: 'm', reference: 'r', status: 'bounced' }] }, /^receipts\[0\]\.status: /],
    [{ receipts: [{ at: '2026-01-10T12:00:00Z', messageId: 'm', status: 'sent' }] }, /^receipts\[0\]\.reference: /],
  ])('should explain what is wrong with %j', (input, message) => {
    const result = parseReceiptBatch(input)
    expect(result.isValid).toBe(false)
    expect(!result.isValid && result.errors[0]?.message).toMatch(message)
  })

  it('should drop fields it does not know, so a vendor may add some', () => {
    const receipt = { at: '2026-01-10T12:00:00Z', channel: 'email', messageId: 'm', reference: 'r', status: 'sent' }
    expect(parseReceiptBatch({ receipts: [receipt] })).toEqual({ batch: { receipts: [{ at: receipt.at, messageId: 'm', reference: 'r', status: 'sent' }] }, isValid: true })
  })

  it('should refuse more than 1000 receipts', () => {
    const receipt = JSON.parse(body).receipts[0]
    const result = parseReceiptBatch({ receipts: Array.from({ length: 1001 }, () => receipt) })
    expect(!result.isValid && result.errors[0]?.message).toMatch(/at most 1000/)
  })
})

describe('parseReceiptBatchFast', () => {
  const text = (max: number) => fc.oneof(fc.constant(''), fc.string({ maxLength: 3 }), fc.string({ maxLength: max + 2, minLength: max - 1 }), fc.integer())
  const at = fc.oneof(
    fc.date({ max: new Date('9999-12-31'), min: new Date('0001-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom('2026-01-10T12:00:00Z', '2026-01-10T12:00:00+05:30', '2026-01-10T12:00:00', '2026-02-29T00:00:00Z', '2024-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-10T24:00:00Z', '2026-01-10 12:00:00Z', 'yesterday'),
    fc.integer(),
  )
  const receipt = fc.record(
    {
      at,
      error: fc.oneof(fc.string({ maxLength: 5 }), fc.constant('e'.repeat(1001)), fc.constant(null)),
      extra: fc.anything(),
      messageId: text(200),
      reference: text(200),
      status: fc.oneof(fc.constantFrom('sent', 'failed', 'delivered', 'unsubscribed', 'opened', 'Sent'), fc.integer()),
    },
    { requiredKeys: [] },
  )
  const body = fc.oneof(
    fc.record({ receipts: fc.array(receipt, { maxLength: 4 }) }),
    fc.record({ receipts: fc.array(fc.oneof(receipt, fc.anything()), { maxLength: 3 }) }),
    fc.anything(),
  )

  it('should accept, strip and refuse exactly as the zod schema does, with the same errors', () => {
    fc.assert(fc.property(body, (value) => expect(parseReceiptBatchFast(value)).toEqual(parseReceiptBatch(value))), { numRuns: 3000 })
  })

  it('should hold at the batch size bounds', () => {
    const one = { at: '2026-01-10T12:00:00.000Z', messageId: 'm', reference: 'r', status: 'sent' }
    for (const n of [0, 1, 1000, 1001]) {
      const value = { receipts: Array.from({ length: n }, () => one) }
      expect(parseReceiptBatchFast(value)).toEqual(parseReceiptBatch(value))
    }
    expect(parseReceiptBatchFast({ receipts: Array.from({ length: 1000 }, () => one) }).isValid).toBe(true)
  })
})
