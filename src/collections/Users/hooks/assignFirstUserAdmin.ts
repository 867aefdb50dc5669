import type { CollectionBeforeChangeHook } from 'payload'

/**
 * The first user ever created in the auth collection (via `/api/<slug>/first-register` or the
 * admin's "create first user" screen) becomes a CRM admin, whatever roles the request asked for.
 * It is also marked `firstUser`, a column with a unique index: when two registrations race past the
 * count below, the database lets only one of them in (SQLite runs without transactions, so a
 * read-then-write alone would not).
 */
export const assignFirstUserAdmin: CollectionBeforeChangeHook = async ({ collection, data, operation, req }) => {
  if (operation !== 'create') return data
  const existing = await req.payload.count({ collection: collection.slug, overrideAccess: true, req })
  if (existing.totalDocs === 0) return { ...data, firstUser: true, roles: ['admin'] }
  // Never copy the marker from a client: only the line above sets it (its field access denies writes).
  return { ...data, firstUser: null }
}
