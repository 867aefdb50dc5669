import type { CollectionBeforeOperationHook } from 'payload'

import { yieldToEventLoop } from './yieldToEventLoop.js'

type ReadArgs = { currentDepth?: unknown; id?: unknown; limit?: unknown; pagination?: unknown }

/** `limit` as Payload would use it: REST hands numbers, GraphQL integers; anything else counts as "no limit given". */
const toLimit = (value: unknown): number | undefined => {
  if (value === undefined || value === null || value === '') return undefined
  const n = typeof value === 'number' ? value : Number(value)
  return Number.isFinite(n) ? Math.trunc(n) : 0
}

/** The page size a request may have: a missing limit keeps Payload's default; 0, negative, or above the cap become the cap. */
export const clampLimit = ({ limit, maxPageSize }: { limit: unknown; maxPageSize: number }): number | undefined => {
  const n = toLimit(limit)
  if (n === undefined) return undefined
  return n <= 0 || n > maxPageSize ? maxPageSize : n
}

/**
 * A collection `beforeOperation` hook for client reads (REST and GraphQL `find`, `findDistinct`, and
 * the admin list): at most `maxPageSize` documents per page, whatever `limit` or `pagination` asks.
 * `pagination: false` and `limit: 0` become a first page of `maxPageSize`, so the answer keeps its
 * true `totalDocs` and `hasNextPage`. Each such read also waits for its turn on the event loop
 * (`yieldToEventLoop`), so one request of many reads cannot starve the others.
 *
 * Left alone: our own Local API calls (`overrideAccess: true`, Payload's default there) and
 * relationship population (`currentDepth` set), which is bounded by the page that asked for it.
 */
export const createCapListReadsHook =
  ({ maxPageSize }: { maxPageSize: number }): CollectionBeforeOperationHook =>
  async ({ args, operation, overrideAccess }) => {
    if (overrideAccess || (operation !== 'read' && operation !== 'readDistinct')) return args
    const readArgs = args as ReadArgs
    if (typeof readArgs.currentDepth === 'number') return args
    await yieldToEventLoop()
    // findByID shares the 'read' hook operation; it has an id and no page.
    if (readArgs.id !== undefined && readArgs.id !== null) return args
    const given = toLimit(readArgs.limit)
    const isUnpaginated = readArgs.pagination === false || readArgs.pagination === 'false'
    if (operation === 'readDistinct') return { ...args, limit: clampLimit({ limit: given ?? 0, maxPageSize }) }
    const limit = isUnpaginated && given === undefined ? maxPageSize : clampLimit({ limit: readArgs.limit, maxPageSize })
    return { ...args, limit, pagination: true }
  }
