import type { CollectionBeforeChangeHook } from 'payload'

import { SLUGS } from '../../slugs.js'

/**
 * The first user ever created (via /api/users/first-register or the admin's "create first user"
 * screen) becomes an admin, whatever roles the request asked for. It is also marked `firstUser`,
 * a column with a unique index: when two registrations race past the count below, the database
 * lets only one of them in (SQLite runs without transactions, so a read-then-write alone would not).
 */
export const assignFirstUserAdmin: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation !== 'create') return data
  const existing = await req.payload.count({ collection: SLUGS.users, overrideAccess: true, req })
  if (existing.totalDocs === 0) return { ...data, firstUser: true, roles: ['admin'] }
  // Never copy the marker from a client: only the hook above sets it (its field access denies writes).
  return { ...data, firstUser: null }
}
