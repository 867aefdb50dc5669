import type { Endpoint, Where } from 'payload'

import { z } from 'zod'

import { exportCsv } from '../../operations/ingest/exportCsv.js'
import { defineEndpoint } from '../defineEndpoint.js'

const isWhere = (value: unknown): value is Where => typeof value === 'object' && value !== null && !Array.isArray(value)

const query = z.object({
  where: z.custom<Where>(isWhere, { message: 'Give where as in REST, e.g. ?where[city][equals]=Pune' }).optional(),
})

/** `GET /export` on customers or orders: a streaming CSV of the matching rows; marketers and admins. */
export const exportCsvEndpoint = ({ kind, tag }: { kind: 'customers' | 'orders'; tag: string }): Endpoint =>
  defineEndpoint({
    auth: ['admin', 'marketer'],
    description:
      'Streams every matching row as CSV under the headers the importer reads, so export → import changes nothing. Cells starting ' +
      "with = + - @ are prefixed with ' (formula injection); the importer removes that prefix." +
      (kind === 'customers' ? ' `spend` is the imported baseline; derived fields (id, derived total spend, order count, last order at) are skipped by the importer.' : ''),
    handler: async ({ query: { where }, req }) => {
      const body = await exportCsv({ kind, payload: req.payload, where })
      return new Response(body, {
        headers: {
          'cache-control': 'no-store',
          'content-disposition': `attachment; filename="${kind}.csv"`,
          'content-type': 'text/csv; charset=utf-8',
        },
      })
    },
    method: 'get',
    path: '/export',
    query,
    responses: {
      200: { contentType: 'text/csv', description: 'The CSV file, streamed' },
      400: { description: 'A where clause naming a field that cannot be queried' },
    },
    summary: `Export ${kind} as CSV`,
    tags: [tag],
  })
