import { z } from 'zod'

import { databaseKind } from '../../db/databaseKind.js'
import { readQueueHealth } from '../../jobs/queueHealthRegistry.js'
import { defineEndpoint } from '../defineEndpoint.js'

const dbSchema = z.enum(['sqlite', 'postgres', 'mongodb']).describe('Which database adapter is in use')

const healthySchema = z.object({
  db: dbSchema,
  ok: z.literal(true),
  queue: z.record(z.string(), z.unknown()).describe('Job queue state, e.g. { status: "running", … }'),
})

const unhealthySchema = z.object({ db: dbSchema, error: z.string(), ok: z.literal(false) })

/**
 * `GET /api/health` — public, no customer data: `{ ok, db, queue }`. A database that does not answer a
 * trivial query makes it 503 so load balancers stop routing here.
 */
export const healthEndpoint = defineEndpoint({
  auth: 'public',
  description: 'Readiness probe for load balancers and scripts. Holds no customer data.',
  handler: async ({ req }) => {
    const { payload } = req
    const db = databaseKind(payload)
    try {
      await payload.count({ collection: 'payload-migrations', overrideAccess: true })
    } catch (err) {
      payload.logger.error({ err, msg: 'Health check: database did not answer' })
      return Response.json({ db, error: 'database unavailable', ok: false }, { headers: { 'Cache-Control': 'no-store' }, status: 503 })
    }
    return Response.json({ db, ok: true, queue: await readQueueHealth(payload) }, { headers: { 'Cache-Control': 'no-store' } })
  },
  method: 'get',
  operationId: 'getHealth',
  path: '/health',
  responses: {
    200: { description: 'Ready', schema: healthySchema },
    503: { description: 'The database did not answer', schema: unhealthySchema },
  },
  summary: 'Service health',
  tags: ['System'],
})
