import type { CollectionBeforeChangeHook } from 'payload'

import { SLUGS } from '../../slugs.js'

/**
 * The first user ever created (via /api/users/first-register or the admin's "create first user"
 * screen) becomes an admin, whatever roles the request asked for.
 */
export const assignFirstUserAdmin: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation !== 'create') return data
  const existing = await req.payload.count({ collection: SLUGS.users, overrideAccess: true, req })
  if (existing.totalDocs === 0) return { ...data, roles: ['admin'] }
  return data
}
