import type { Request } from 'express'
import type { Payload } from 'payload'

import type { DashboardUser } from '../jobs/dashboard.js'

import { toFetchHeaders } from './fetchBridge.js'

/**
 * The signed-in Payload user of an Express request (session cookie — subject to Payload's CSRF origin
 * list —, `JWT` or API-key header), reduced to what the jobs dashboard checks; null when anonymous.
 */
export const authenticateWithPayload =
  (payload: Payload) =>
  async (req: Request): Promise<DashboardUser | null> => {
    const { user } = await payload.auth({ headers: toFetchHeaders(req) })
    return user ? { roles: (user as { roles?: string[] }).roles ?? [] } : null
  }
