import type { CollectionBeforeChangeHook } from 'payload'

/**
 * The first user ever created in the auth collection (via `/api/<slug>/first-register` or the
 * admin's "create first user" screen) becomes a CRM admin, whatever roles the request asked for.
 */
export const assignFirstUserAdmin: CollectionBeforeChangeHook = async ({ collection, data, operation, req }) => {
  if (operation !== 'create') return data
  const existing = await req.payload.count({ collection: collection.slug, overrideAccess: true, req })
  if (existing.totalDocs === 0) return { ...data, roles: ['admin'] }
  return data
}
