import type { ErrorRequestHandler, Express } from 'express'

import express from 'express'

import type { Random } from '../domain/seed/random.js'
import type { ReceiptDispatcher } from './receiptDispatcher.js'
import type { VendorBehaviour } from './vendorOptions.js'
import type { VendorState } from './vendorState.js'

import { vendorMessageBatchSchema } from './messageBatchSchema.js'
import { describeIssues, mergeVendorBehaviour, vendorBehaviourPatchSchema } from './vendorOptions.js'

const fail = (message: string) => ({ errors: [{ message }] })

const NOT_JSON = 'Send a JSON body with Content-Type: application/json'

/**
 * The simulator's HTTP surface:
 * - `POST /messages` `{"messages":[{reference,to,text}]}` → 202 `{"messages":[{reference,messageId,status,duplicate?}]}`,
 *   or an injected 429/503 (with `Retry-After`) or 500-after-sending; 400 bad body, 413 batch too large;
 * - `GET /stats` counters; `GET /attempts?reference=` one reference's attempts and sends; `GET /attempts`
 *   the references sent more than once; `GET|PATCH /config` the behaviour; `POST /reset`; `GET /health`.
 */
export const createVendorApp = ({
  behaviour,
  dispatcher,
  random,
  setBehaviour,
  state,
}: {
  behaviour: () => VendorBehaviour
  dispatcher: ReceiptDispatcher
  random: Random
  setBehaviour: (next: VendorBehaviour) => void
  state: VendorState
}): Express => {
  const app = express()
  app.disable('x-powered-by')
  app.use(express.json({ limit: '20mb' }))

  app.post('/messages', async (req, res) => {
    state.stats.requests.total++
    const parsed = vendorMessageBatchSchema.safeParse(req.body)
    if (!parsed.success) {
      state.stats.requests.invalid++
      res.status(400).json(req.body === undefined ? fail(NOT_JSON) : { errors: describeIssues(parsed.error) })
      return
    }
    const { messages } = parsed.data
    const b = behaviour()
    if (messages.length > b.maxBatchSize) {
      state.stats.requests.invalid++
      res.status(413).json(fail(`A batch holds at most ${b.maxBatchSize} messages (got ${messages.length})`))
      return
    }
    const injection = state.drawInjection()
    if (injection === 'rateLimit' || injection === 'serverError') {
      state.stats.requests[injection === 'rateLimit' ? 'rateLimited' : 'serverErrors']++
      res.set('Retry-After', String(b.retryAfterSeconds))
      res.status(injection === 'rateLimit' ? 429 : 503).json(fail(injection === 'rateLimit' ? 'Too many requests (simulated)' : 'Service unavailable (simulated)'))
      return
    }
    const { receipts, results } = state.accept({ messages, now: Date.now() })
    dispatcher.schedule(receipts)
    const [min, max] = b.answerDelayMs
    const delay = min + Math.floor(random.next() * (max - min + 1))
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
    if (injection === 'errorAfterSend') {
      state.stats.requests.errorsAfterSend++
      res.status(500).json(fail('Internal error after sending (simulated): retry with the same references'))
      return
    }
    state.stats.requests.accepted++
    res.status(202).json({ messages: results })
  })

  app.get('/stats', (_req, res) => {
    res.json(state.stats)
  })

  app.get('/attempts', (req, res) => {
    const { reference } = req.query
    if (reference === undefined) {
      res.json({ multiSent: state.multiSent(100), references: state.stats.messages.references })
      return
    }
    if (typeof reference !== 'string' || reference === '') {
      res.status(400).json(fail('reference must be one non-empty text'))
      return
    }
    res.json(state.attemptsOf(reference))
  })

  app.get('/config', (_req, res) => {
    res.json(behaviour())
  })

  app.patch('/config', (req, res) => {
    const parsed = vendorBehaviourPatchSchema.safeParse(req.body)
    if (!parsed.success) {
      res.status(400).json(req.body === undefined ? fail(NOT_JSON) : { errors: describeIssues(parsed.error) })
      return
    }
    const merged = mergeVendorBehaviour({ base: behaviour(), patch: parsed.data })
    if ('errors' in merged) {
      res.status(400).json({ errors: merged.errors.map((message) => ({ message })) })
      return
    }
    setBehaviour(merged.behaviour)
    res.json(merged.behaviour)
  })

  app.post('/reset', (_req, res) => {
    dispatcher.clear()
    state.reset()
    res.json(state.stats)
  })

  app.get('/health', (_req, res) => {
    res.json({ ok: true })
  })

  app.use((req, res) => {
    res.status(404).json(fail(`No route ${req.method} ${req.path}`))
  })

  const onError: ErrorRequestHandler = (err: { status?: number; type?: string }, req, res, _next) => {
    if (req.method === 'POST' && req.path === '/messages') {
      state.stats.requests.total++
      state.stats.requests.invalid++
    }
    if (err.type === 'entity.parse.failed') res.status(400).json(fail('The body is not valid JSON'))
    else if (err.type === 'entity.too.large') res.status(413).json(fail('The body is too large'))
    else if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) res.status(err.status).json(fail('Bad request'))
    else res.status(500).json(fail('Internal error'))
  }
  app.use(onError)
  return app
}
