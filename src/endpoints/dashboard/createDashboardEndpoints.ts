import type { Endpoint } from 'payload'

import { z } from 'zod'

import { jobQueueOf } from '../../campaigns/jobQueueRegistry.js'
import { SLUGS } from '../../collections/slugs.js'
import { DEMO_DEFAULTS, DEMO_LIMITS } from '../../domain/seed/demoCatalogue.js'
import { enqueueJob } from '../../jobs/defineJobs.js'
import { readDashboard } from '../../operations/dashboard/readDashboard.js'
import { readDemoDataStatus } from '../../operations/seed/demoDataStatus.js'
import { defineEndpoint } from '../defineEndpoint.js'
import { errorResponse } from '../errorResponse.js'

const errorAnswer = z.object({ errors: z.array(z.object({ message: z.string() })) })

const dashboardSchema = z.object({
  campaigns: z.array(
    z.object({
      audience: z.number(),
      createdAt: z.string(),
      delivered: z.number(),
      deliveryRate: z.number().nullable().describe('delivered ÷ sent (0–1); null before anything was sent'),
      failed: z.number(),
      id: z.union([z.number(), z.string()]),
      name: z.string(),
      sent: z.number(),
      status: z.string(),
    }),
  ).describe('The five newest campaigns.'),
  cities: z.array(z.object({ city: z.string(), customers: z.number() })).describe('Cities with the most customers.'),
  counts: z.object({ campaigns: z.number(), segments: z.number() }),
  currency: z.string().describe('STORE_CURRENCY: the currency of every amount.'),
  generatedAt: z.string(),
  months: z.array(z.object({ month: z.string().describe('YYYY-MM in STORE_TIMEZONE'), orders: z.number(), revenue: z.number() })).describe('The last 12 calendar months, oldest first.'),
  segments: z.array(z.object({ audienceCount: z.number().nullable(), countedAt: z.string().nullable(), id: z.union([z.number(), z.string()]), name: z.string() })).describe('The largest segments by their stored count.'),
  timeZone: z.string(),
  totals: z.object({ customers: z.number(), orders: z.number(), revenue: z.number().describe('Orders not cancelled or refunded.') }),
})

const statusSchema = z.object({
  customers: z.number().nullable(),
  error: z.string().nullable(),
  finishedAt: z.string().nullable(),
  orders: z.number().nullable(),
  percent: z.number(),
  phase: z.enum(['customers', 'orders', 'aggregates', 'segments', 'campaign']).nullable(),
  startedAt: z.string().nullable(),
  state: z.enum(['idle', 'queued', 'running', 'completed', 'failed']),
})

const demoBody = z.strictObject({
  customers: z.number().int().min(1).max(DEMO_LIMITS.customers).optional().describe(`Default ${DEMO_DEFAULTS.customers}.`),
  force: z.boolean().optional().describe('Load even though the CRM already has customers (the same seed updates its own rows).'),
  orders: z.number().int().min(0).max(DEMO_LIMITS.orders).optional().describe('Default three per customer.'),
  seed: z.number().int().min(0).optional().describe(`Default ${DEMO_DEFAULTS.seed}.`),
})

const NO_WORKER = 'No job worker runs in this server process, so the demo data cannot be loaded here; use `npm run seed`.'

/** `GET /api/dashboard`, `POST /api/demo-data`, `GET /api/demo-data/status`. */
export const createDashboardEndpoints = (): Endpoint[] => [
  defineEndpoint({
    auth: 'user',
    description: 'Totals, orders and revenue per month (STORE_TIMEZONE), top cities, the largest segments and the newest campaigns with delivery rates: what the admin dashboard shows.',
    handler: async ({ req, user }) => Response.json(await readDashboard({ payload: req.payload, req, user })),
    method: 'get',
    operationId: 'dashboard',
    path: '/dashboard',
    responses: { 200: { description: 'The dashboard figures', schema: dashboardSchema } },
    summary: 'Dashboard figures',
    tags: ['Dashboard'],
  }),
  defineEndpoint({
    auth: ['admin'],
    body: demoBody,
    description:
      'Starts the `crm.loadDemoData` job: generated customers and orders, a few segments and one finished campaign with receipts. ' +
      'Refused (409) while a load is queued or running, and when the CRM already has customers unless `force` is true. Follow it with GET /api/demo-data/status.',
    handler: async ({ body, req }) => {
      const agenda = jobQueueOf(req.payload)
      if (!agenda) return errorResponse(503, [{ message: NO_WORKER }])
      const status = await readDemoDataStatus(agenda)
      if (status.state === 'queued' || status.state === 'running') return errorResponse(409, [{ message: 'Demo data is already being loaded; wait for it to finish.' }])
      const { totalDocs } = await req.payload.count({ collection: SLUGS.customers, overrideAccess: true, req })
      if (totalDocs > 0 && !body.force) {
        return errorResponse(409, [{ message: `The CRM already has ${totalDocs.toLocaleString('en')} customers; send {"force": true} to add the demo data anyway.`, path: 'force' }])
      }
      const customers = body.customers ?? DEMO_DEFAULTS.customers
      const orders = body.orders ?? customers * 3
      if (orders > DEMO_LIMITS.orders) return errorResponse(400, [{ location: 'body', message: `orders: at most ${DEMO_LIMITS.orders} (three per customer by default)`, path: 'orders' }])
      await enqueueJob({ agenda, data: { customers, orders, seed: body.seed ?? DEMO_DEFAULTS.seed }, name: 'crm.loadDemoData' })
      return Response.json(await readDemoDataStatus(agenda), { status: 202 })
    },
    method: 'post',
    operationId: 'loadDemoData',
    path: '/demo-data',
    responses: {
      202: { description: 'Queued; the status as GET /api/demo-data/status gives it', schema: statusSchema },
      409: { description: 'A load is already running, or the CRM has customers and `force` was not given', schema: errorAnswer },
      503: { description: 'No job worker runs in this server process', schema: errorAnswer },
    },
    summary: 'Load demo data',
    tags: ['Dashboard'],
  }),
  defineEndpoint({
    auth: ['admin'],
    description: 'The newest demo-data load: idle (never started), queued, running (with percent and step), completed or failed (with the reason).',
    handler: async ({ req }) => {
      const agenda = jobQueueOf(req.payload)
      if (!agenda) return errorResponse(503, [{ message: NO_WORKER }])
      return Response.json(await readDemoDataStatus(agenda))
    },
    method: 'get',
    operationId: 'demoDataStatus',
    path: '/demo-data/status',
    responses: { 200: { description: 'Progress of the newest load', schema: statusSchema }, 503: { description: 'No job worker runs in this server process', schema: errorAnswer } },
    summary: 'Demo-data load progress',
    tags: ['Dashboard'],
  }),
]
