import type { CollectionBeforeOperationHook } from 'payload'

import { APIError, NotFound } from 'payload'

import { yieldToEventLoop } from './yieldToEventLoop.js'

type ClientArgs = { currentDepth?: unknown; id?: unknown; limit?: unknown; page?: unknown; pagination?: unknown }

const isBlank = (value: unknown): boolean => value === undefined || value === null || value === ''

/** `limit` as a whole number; a value that is not a number at all is the client's mistake (400). */
const toLimit = (value: unknown): number | undefined => {
  if (isBlank(value)) return undefined
  const n = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(n)) throw new APIError(`limit must be a whole number (got "${String(value)}")`, 400, null, true)
  return Math.trunc(n)
}

/** The page size a request may have: a missing limit keeps Payload's default; 0, negative, or above the cap become the cap. */
export const clampLimit = ({ limit, maxPageSize }: { limit: unknown; maxPageSize: number }): number | undefined => {
  const n = toLimit(limit)
  if (n === undefined) return undefined
  return n <= 0 || n > maxPageSize ? maxPageSize : n
}

const checkPage = (page: unknown): void => {
  if (isBlank(page)) return
  const n = typeof page === 'number' ? page : Number(page)
  if (!Number.isSafeInteger(n) || n < 1) throw new APIError(`page must be a whole number from 1 (got "${String(page)}")`, 400, null, true)
}

/**
 * A collection `beforeOperation` hook for client requests (REST, GraphQL, the admin) on the CRM
 * collections:
 * - at most `maxPageSize` documents per list page (`find`, `findDistinct`), whatever `limit` or
 *   `pagination` asks: `pagination: false` and `limit: 0` become a first page of `maxPageSize`, so the
 *   answer keeps its true `totalDocs` and `hasNextPage`;
 * - every read waits for its turn on the event loop (`yieldToEventLoop`), so one request of many reads
 *   cannot starve the others;
 * - a malformed `limit` or `page` is a 400, an id that cannot exist (`/api/customers/abc` with numeric
 *   ids) a 404, instead of a database error.
 *
 * Left alone: our own Local API calls (`overrideAccess: true`, Payload's default there) and
 * relationship population (`currentDepth` set), which is bounded by the page that asked for it.
 */
export const createCapListReadsHook =
  ({ maxPageSize }: { maxPageSize: number }): CollectionBeforeOperationHook =>
  async ({ args, collection, operation, overrideAccess, req }) => {
    if (overrideAccess) return args
    const clientArgs = args as ClientArgs
    if (!isBlank(clientArgs.id) && (operation === 'read' || operation === 'delete' || operation === 'update')) {
      const idType = req.payload.collections[collection.slug]?.customIDType ?? req.payload.db.defaultIDType
      if (idType === 'number' && !/^\d+$/.test(String(clientArgs.id))) throw new NotFound(req.t)
    }
    if ((operation !== 'read' && operation !== 'readDistinct') || typeof clientArgs.currentDepth === 'number') return args
    await yieldToEventLoop()
    // findByID shares the 'read' hook operation; it has an id and no page.
    if (!isBlank(clientArgs.id)) return args
    checkPage(clientArgs.page)
    const given = toLimit(clientArgs.limit)
    if (operation === 'readDistinct') return { ...args, limit: clampLimit({ limit: given ?? 0, maxPageSize }) }
    const isUnpaginated = clientArgs.pagination === false || clientArgs.pagination === 'false'
    const limit = isUnpaginated && given === undefined ? maxPageSize : clampLimit({ limit: given, maxPageSize })
    return { ...args, limit, pagination: true }
  }
