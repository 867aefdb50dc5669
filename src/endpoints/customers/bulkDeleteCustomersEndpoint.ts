import type { Where } from 'payload'

import { z } from 'zod'

import { deleteCustomersWhere } from '../../operations/customers/deleteCustomersWhere.js'
import { defineEndpoint } from '../defineEndpoint.js'

const isWhere = (value: unknown): value is Where => typeof value === 'object' && value !== null && !Array.isArray(value)

const query = z.object({
  where: z.custom<Where>(isWhere, { message: "Give a 'where' query naming the customers to delete, e.g. ?where[city][equals]=Pune" }),
})

const answer = z.object({
  docs: z.array(z.object({ id: z.union([z.number(), z.string()]) })).describe('Deleted ids (at most the first 1,000).'),
  errors: z.array(z.object({ message: z.string() })),
  message: z.string(),
  totalDocs: z.number().int().describe('How many customers were deleted.'),
})

/**
 * `DELETE /api/customers?where=…` replaces Payload's per-document bulk delete (a collection
 * endpoint is matched before Payload's own routes): admins only, set-based.
 */
export const bulkDeleteCustomersEndpoint = defineEndpoint({
  auth: ['admin'],
  description:
    'Admins only (marketers delete one customer at a time by id). Set-based: erases matching customers in batches, with their orders; ' +
    'their pending communication logs leave any send (counted in stats.skipped) and their other logs are anonymised.',
  handler: async ({ query: { where }, req }) => {
    const { deleted, ids } = await deleteCustomersWhere({ req, where })
    return Response.json({
      docs: ids.map((id) => ({ id })),
      errors: [],
      message: `Deleted ${deleted} customer${deleted === 1 ? '' : 's'}.`,
      totalDocs: deleted,
    })
  },
  method: 'delete',
  path: '/',
  query,
  responses: { 200: { description: 'What was deleted', schema: answer } },
  summary: 'Delete customers matching a where clause',
  tags: ['Customers'],
})
