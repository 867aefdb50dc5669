import type { Endpoint } from 'payload'

import { databaseKind } from '../../operations/databaseKind.js'
import { readQueueHealth } from '../../operations/queueHealthRegistry.js'

/**
 * `GET /api/health` — public, no customer data: `{ ok, db, queue }`. A database that does not answer a
 * trivial query makes it 503 so load balancers stop routing here.
 */
export const healthEndpoint: Endpoint = {
  handler: async (req) => {
    const { payload } = req
    const db = databaseKind(payload)
    try {
      await payload.count({ collection: 'users', overrideAccess: true })
    } catch (err) {
      payload.logger.error({ err, msg: 'Health check: database did not answer' })
      return Response.json({ db, error: 'database unavailable', ok: false }, { status: 503 })
    }
    return Response.json({ db, ok: true, queue: await readQueueHealth(payload) }, { headers: { 'Cache-Control': 'no-store' } })
  },
  method: 'get',
  path: '/health',
}
