import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

import type { Receipt } from '../domain/campaigns/receiptBatchSchema.js'
import type { VendorSimulator, VendorSimulatorOptions } from './createVendorSimulator.js'

import { parseReceiptBatch } from '../domain/campaigns/receiptBatchSchema.js'
import { verifyReceiptSignature } from '../domain/campaigns/receiptSignature.js'
import { createVendorSimulator } from './createVendorSimulator.js'

const SECRET = 'receipt-secret'

type Call = { arrivedAt: number; body: string; headers: IncomingHttpHeaders; receipts: Receipt[] }
type Reply = { headers?: Record<string, string>; status: number }

/** A receipt endpoint on 127.0.0.1 that records every call (raw body included) and answers as told. */
const startReceiver = async ({ reply = () => ({ status: 200 }), onCall }: { onCall?: (call: Call) => void; reply?: (callNumber: number) => Reply } = {}) => {
  const calls: Call[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const call = { arrivedAt: Date.now(), body, headers: req.headers, receipts: (JSON.parse(body) as { receipts: Receipt[] }).receipts }
      calls.push(call)
      onCall?.(call)
      const { headers, status } = reply(calls.length)
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    /** Receipts in arrival order, acknowledged calls only. */
    received: () => calls.filter((_, i) => reply(i + 1).status < 300).flatMap((call) => call.receipts),
    url: `http://127.0.0.1:${port}/api/communication-logs/receipts`,
  }
}

const messages = (count: number, prefix = 'c1') =>
  Array.from({ length: count }, (_, i) => ({ reference: `${prefix}:${i}`, text: `Hello ${i}`, to: `customer${i}@example.com` }))

const send = async (vendor: VendorSimulator, batch: ReturnType<typeof messages>) => {
  const response = await fetch(`${vendor.url}/messages`, { body: JSON.stringify({ messages: batch }), headers: { 'content-type': 'application/json' }, method: 'POST' })
  expect(response.status).toBe(202)
  return (await response.json()) as { messages: { messageId: string; reference: string }[] }
}

/** The last status reported per reference, `unsubscribed` winning (it comes after `delivered`). */
const finalStatuses = (receipts: Receipt[]) => {
  const rank = { delivered: 1, failed: 1, sent: 0, unsubscribed: 2 }
  const final = new Map<string, Receipt['status']>()
  for (const { reference, status } of receipts) {
    const previous = final.get(reference)
    if (previous === undefined || rank[status] >= rank[previous]) final.set(reference, status)
  }
  return final
}

describe('vendor simulator: receipt callbacks', () => {
  const open: { close: () => Promise<void> }[] = []
  const start = async (options: Omit<VendorSimulatorOptions, 'webhookSecret'>) => {
    const vendor = await createVendorSimulator({ webhookSecret: SECRET, ...options, behaviour: { receiptDelayMs: [0, 5], ...options.behaviour } })
    open.push(vendor)
    return vendor
  }
  const receiver = async (options?: Parameters<typeof startReceiver>[0]) => {
    const started = await startReceiver(options)
    open.push(started)
    return started
  }

  afterEach(async () => {
    await Promise.all(open.splice(0).map((item) => item.close()))
  })

  it('should report about 90 % success and 10 % failure over 2,000 messages, the same for the same seed', async () => {
    const run = async () => {
      const sink = await receiver()
      const vendor = await start({ behaviour: { callbackBatchSize: 500 }, callbackUrl: sink.url, seed: 42 })
      for (let i = 0; i < 2000; i += 500) await send(vendor, messages(2000).slice(i, i + 500))
      await vendor.whenIdle()
      return { final: finalStatuses(sink.received()), stats: vendor.stats() }
    }
    const first = await run()
    const counts = { delivered: 0, failed: 0, sent: 0, unsubscribed: 0 }
    for (const status of first.final.values()) counts[status]++
    expect(first.final.size).toBe(2000)
    expect(counts).toEqual(first.stats.outcomes)
    expect(counts.failed / 2000).toBeGreaterThan(0.08)
    expect(counts.failed / 2000).toBeLessThan(0.12)
    expect(counts.unsubscribed / 2000).toBeGreaterThan(0.003)
    expect(counts.unsubscribed / 2000).toBeLessThan(0.02)
    expect((counts.delivered + counts.unsubscribed) / (2000 - counts.failed)).toBeGreaterThan(0.86)
    expect(counts.sent / (2000 - counts.failed)).toBeGreaterThan(0.06) // some stay `sent`
    expect(first.stats.receipts).toMatchObject({ delivered: first.stats.receipts.queued, dropped: 0, pending: 0 })
    const second = await run()
    // The seed decides each message's outcome; arrival order depends on timers, so compare by reference.
    const byReference = (final: Map<string, Receipt['status']>) => [...final.entries()].sort(([a], [b]) => a.localeCompare(b))
    expect(byReference(second.final)).toEqual(byReference(first.final))
  })

  it('should sign every callback so that the receiver can verify the raw body', async () => {
    const sink = await receiver()
    const vendor = await start({ callbackUrl: sink.url, seed: 1 })
    await send(vendor, messages(50))
    await vendor.whenIdle()
    expect(sink.calls.length).toBeGreaterThan(0)
    for (const call of sink.calls) {
      expect(call.headers['content-type']).toBe('application/json')
      expect(call.headers['x-signature']).toMatch(/^sha256=[0-9a-f]{64}$/)
      expect(verifyReceiptSignature({ body: call.body, secret: SECRET, signature: call.headers['x-signature'] })).toBe(true)
      expect(verifyReceiptSignature({ body: call.body, secret: 'another-secret', signature: call.headers['x-signature'] })).toBe(false)
      expect(parseReceiptBatch(JSON.parse(call.body)).isValid).toBe(true)
    }
    const receipts = sink.received()
    const { messageIds } = vendor.attemptsOf('c1:0')
    expect(receipts.filter((r) => r.reference === 'c1:0').every((r) => r.messageId === messageIds[0])).toBe(true)
    expect(receipts.filter((r) => r.status === 'failed').every((r) => typeof r.error === 'string' && r.error.length > 0)).toBe(true)
  })

  it('should retry a failing receiver with the same signed body until it answers 2xx', async () => {
    const sink = await receiver({ reply: (n) => ({ status: n <= 2 ? 500 : 200 }) })
    const vendor = await start({ behaviour: { callbackBatchSize: 1000, callbackRetryBaseMs: 20, unsubscribeRate: 0 }, callbackUrl: sink.url, seed: 3 })
    await send(vendor, messages(1))
    await vendor.whenIdle()
    const sameBody = sink.calls.filter((call) => call.body === sink.calls[0]!.body)
    expect(sameBody.length).toBe(3) // two failures, then the same batch, byte for byte, is accepted
    expect(new Set(sameBody.map((call) => call.headers['x-signature'])).size).toBe(1)
    expect(sameBody[1]!.arrivedAt - sameBody[0]!.arrivedAt).toBeGreaterThanOrEqual(19) // waited the first backoff (20 ms)
    expect(sameBody[2]!.arrivedAt - sameBody[1]!.arrivedAt).toBeGreaterThanOrEqual(39) // then twice as long
    expect(vendor.stats().receipts).toMatchObject({ callbackFailures: 2, dropped: 0, pending: 0 })
    expect(vendor.stats().receipts.delivered).toBe(vendor.stats().receipts.queued)
  })

  it("should wait for the receiver's Retry-After before trying again", async () => {
    const sink = await receiver({ reply: (n) => (n === 1 ? { headers: { 'retry-after': '1' }, status: 429 } : { status: 200 }) })
    const vendor = await start({ behaviour: { callbackBatchSize: 1000, callbackRetryBaseMs: 10 }, callbackUrl: sink.url, seed: 3 })
    await send(vendor, messages(1))
    await vendor.whenIdle()
    expect(sink.calls[1]!.body).toBe(sink.calls[0]!.body)
    expect(sink.calls[1]!.arrivedAt - sink.calls[0]!.arrivedAt).toBeGreaterThanOrEqual(990)
  })

  it('should drop a batch after the last try and count it', async () => {
    const sink = await receiver({ reply: () => ({ status: 503 }) })
    const vendor = await start({ behaviour: { callbackBatchSize: 1000, callbackMaxAttempts: 3, callbackRetryBaseMs: 5 }, callbackUrl: sink.url, seed: 3 })
    await send(vendor, messages(5))
    await vendor.whenIdle()
    const { receipts } = vendor.stats()
    expect(receipts.dropped).toBe(receipts.queued)
    expect(receipts.delivered).toBe(0)
    expect(receipts.callbacks).toBe(receipts.callbackFailures)
    expect(sink.calls.length).toBe(receipts.callbacks)
    expect(new Set(sink.calls.map((call) => call.body)).size * 3).toBe(sink.calls.length) // each batch tried exactly 3 times
  })

  it('should retry when the receiver is not there at all', async () => {
    const vendor = await start({ behaviour: { callbackMaxAttempts: 2, callbackRetryBaseMs: 5 }, callbackUrl: 'http://127.0.0.1:9/receipts', seed: 3 })
    await send(vendor, messages(2))
    await vendor.whenIdle()
    expect(vendor.stats().receipts).toMatchObject({ delivered: 0, pending: 0 })
    expect(vendor.stats().receipts.callbackFailures).toBe(vendor.stats().receipts.callbacks)
    expect(vendor.stats().receipts.callbacks).toBeGreaterThanOrEqual(2)
  })

  it('should send every receipt twice in duplicate mode', async () => {
    const sink = await receiver()
    const vendor = await start({ behaviour: { duplicateRate: 1 }, callbackUrl: sink.url, seed: 5 })
    await send(vendor, messages(20))
    await vendor.whenIdle()
    const counts = new Map<string, number>()
    for (const r of sink.received()) counts.set(`${r.messageId}/${r.status}`, (counts.get(`${r.messageId}/${r.status}`) ?? 0) + 1)
    expect(counts.size).toBeGreaterThan(20)
    expect([...counts.values()].every((count) => count === 2)).toBe(true)
    expect(vendor.stats().receipts.duplicated * 2).toBe(vendor.stats().receipts.queued)
  })

  it('should deliver `sent` after the final receipt in late mode, keeping its earlier time', async () => {
    const sink = await receiver()
    const vendor = await start({ behaviour: { failureRate: 0.5, lateDelayMs: 50, lateRate: 1, unsubscribeRate: 0 }, callbackUrl: sink.url, seed: 9 })
    await send(vendor, messages(20))
    await vendor.whenIdle()
    const receipts = sink.received()
    let checked = 0
    for (const { messageId } of receipts.filter((r) => r.status === 'sent')) {
      const index = (status: string) => receipts.findIndex((r) => r.messageId === messageId && r.status === status)
      const final = Math.max(index('delivered'), index('failed'))
      if (final < 0) continue // kept `sent`: nothing to be late for
      expect(index('sent')).toBeGreaterThan(final)
      expect(Date.parse(receipts[index('sent')]!.at)).toBeLessThan(Date.parse(receipts[final]!.at))
      checked++
    }
    expect(checked).toBeGreaterThan(10)
    expect(vendor.stats().receipts.late).toBe(checked)
  })

  it('should deliver final receipts before `sent` in out-of-order mode', async () => {
    const sink = await receiver()
    const vendor = await start({ behaviour: { callbackBatchSize: 1000, outOfOrderRate: 1, unsubscribeRate: 0 }, callbackUrl: sink.url, seed: 11 })
    await send(vendor, messages(30))
    await vendor.whenIdle()
    const receipts = sink.received()
    let reversed = 0
    for (const final of receipts.filter((r) => r.status === 'delivered' || r.status === 'failed')) {
      const sent = receipts.findIndex((r) => r.messageId === final.messageId && r.status === 'sent')
      expect(receipts.indexOf(final)).toBeLessThan(sent)
      expect(Date.parse(receipts[sent]!.at)).toBeLessThan(Date.parse(final.at))
      reversed++
    }
    expect(reversed).toBeGreaterThan(20)
  })

  it('should be able to report receipts before it answers the send', async () => {
    const events: string[] = []
    const sink = await receiver({ onCall: () => events.push('receipt') })
    const vendor = await start({ behaviour: { answerDelayMs: [400, 400], receiptDelayMs: [0, 0] }, callbackUrl: sink.url, seed: 2 })
    await send(vendor, messages(3))
    events.push('answer')
    await vendor.whenIdle()
    expect(events[0]).toBe('receipt')
    expect(events).toContain('answer')
  })

  it('should send no receipt for a de-duplicated attempt', async () => {
    const sink = await receiver()
    const vendor = await start({ callbackUrl: sink.url, seed: 4 })
    await send(vendor, messages(5))
    await send(vendor, messages(5))
    await vendor.whenIdle()
    expect(new Set(sink.received().map((r) => r.messageId)).size).toBe(5)
    expect(vendor.stats().messages).toMatchObject({ attempts: 10, duplicates: 5, sends: 5 })
  })
})
