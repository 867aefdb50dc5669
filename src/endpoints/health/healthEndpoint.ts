import { z } from 'zod'

import { hasRole } from '../../access/roles.js'
import { databaseKind } from '../../db/databaseKind.js'
import { publicQueueHealth, readQueueHealth } from '../../jobs/queueHealthRegistry.js'
import { defineEndpoint } from '../defineEndpoint.js'

const dbSchema = z.enum(['sqlite', 'postgres', 'mongodb']).describe('Which database adapter is in use')

const queueSchema = z
  .record(z.string(), z.unknown())
  .describe('Job queue state: { status, due, running, failed, locked, stale, workers }; admins also see workerNames')

const healthySchema = z.object({ db: dbSchema, ok: z.literal(true), queue: queueSchema })

const unhealthySchema = z.object({ db: dbSchema, error: z.string(), ok: z.literal(false), queue: queueSchema.optional() })

const NO_STORE = { 'Cache-Control': 'no-store' }

/**
 * `GET /api/health` — public, no customer data: `{ ok, db, queue }`. A database that does not answer a
 * trivial query, or a job runtime that is not usable (store unreachable, no live worker), makes it 503
 * so load balancers stop routing here. Only admins see worker names (they carry host names and pids).
 */
export const healthEndpoint = defineEndpoint({
  auth: 'public',
  description: 'Readiness probe for load balancers and scripts. Holds no customer data.',
  handler: async ({ req, user }) => {
    const { payload } = req
    const db = databaseKind(payload)
    try {
      await payload.count({ collection: 'payload-migrations', overrideAccess: true })
    } catch (err) {
      payload.logger.error({ err, msg: 'Health check: database did not answer' })
      return Response.json({ db, error: 'database unavailable', ok: false }, { headers: NO_STORE, status: 503 })
    }
    const { isUsable, queue } = await readQueueHealth(payload)
    const shown = hasRole(user, 'admin') ? queue : publicQueueHealth(queue)
    if (!isUsable) return Response.json({ db, error: 'job runtime unavailable', ok: false, queue: shown }, { headers: NO_STORE, status: 503 })
    return Response.json({ db, ok: true, queue: shown }, { headers: NO_STORE })
  },
  method: 'get',
  operationId: 'getHealth',
  path: '/health',
  responses: {
    200: { description: 'Ready', schema: healthySchema },
    503: { description: 'The database or the job runtime is not usable', schema: unhealthySchema },
  },
  summary: 'Service health',
  tags: ['System'],
})
