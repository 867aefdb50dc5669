import type { Endpoint } from 'payload'

import { z } from 'zod'

import type { ImportDoc } from '../../operations/ingest/asyncImport.js'

import { SLUGS } from '../../constants.js'
import { rejectedRowsCsv } from '../../operations/ingest/asyncImport.js'
import { defineEndpoint } from '../defineEndpoint.js'
import { errorResponse } from '../errorResponse.js'

const params = z.object({ id: z.string().regex(/^[0-9]+$|^[0-9a-f]{24}$/, 'must be an import id') })

/** `GET /api/imports/<id>/rejected`: the rejected rows of an async import as CSV, with a `reason` column. */
export const rejectedRowsEndpoint: Endpoint = defineEndpoint({
  auth: ['admin', 'marketer'],
  description:
    "The import's rejected rows as CSV: the file's own header plus `reason`, each row that has a stored error (the first 1,000) " +
    'with its reasons joined by "; ". Made from the staged upload and the stored errors.',
  handler: async ({ params: { id }, req }) => {
    const doc = (await req.payload.findByID({ collection: SLUGS.imports as 'imports', depth: 0, disableErrors: true, id, overrideAccess: true })) as ImportDoc | null
    if (!doc) return errorResponse(404, [{ message: `No import ${id}.` }])
    if (doc.status !== 'done' && doc.status !== 'failed') return errorResponse(409, [{ message: `Import ${id} is ${doc.status}: its rejected rows are known when it is done.` }])
    const body = await rejectedRowsCsv({ doc, payload: req.payload })
    const base = (doc.fileName ?? 'import').replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_')
    return new Response(body, {
      headers: {
        'cache-control': 'no-store',
        'content-disposition': `attachment; filename="${base}-rejected.csv"`,
        'content-type': 'text/csv; charset=utf-8',
      },
    })
  },
  method: 'get',
  params,
  path: '/:id/rejected',
  responses: {
    200: { contentType: 'text/csv', description: 'The rejected rows with a reason column' },
    404: { description: 'No such import' },
    409: { description: 'The import is still queued or processing' },
  },
  summary: 'Download the rejected rows of an import',
  tags: ['Imports'],
})
