import type { Endpoint, Where } from 'payload'

import { z } from 'zod'

import { exportCsv } from '../../operations/ingest/exportCsv.js'
import { segmentAudienceFilter } from '../../segments/segmentAudienceFilter.js'
import { defineEndpoint } from '../defineEndpoint.js'
import { errorResponse } from '../errorResponse.js'

const isWhere = (value: unknown): value is Where => typeof value === 'object' && value !== null && !Array.isArray(value)

const query = z.object({
  where: z.custom<Where>(isWhere, { message: 'Give where as in REST, e.g. ?where[city][equals]=Pune' }).optional(),
})

const customersQuery = query.extend({
  dsl: z.string().max(20_000).optional().describe('Only the members of this segment DSL, e.g. `spend > 10k AND city = "Pune"`'),
  rules: z.string().max(200_000).optional().describe('Only the members of this rule tree (JSON, as in POST /api/segments/preview)'),
  segment: z.string().regex(/^[0-9]+$|^[0-9a-f]{24}$/, 'must be a segment id').optional().describe("Only the saved segment's members (its rules, evaluated now)"),
})

type ExportQuery = z.infer<typeof customersQuery>

/** `GET /export` on customers or orders: a streaming CSV of the matching rows; marketers and admins. */
export const exportCsvEndpoint = ({ kind, tag }: { kind: 'customers' | 'orders'; tag: string }): Endpoint =>
  defineEndpoint({
    auth: ['admin', 'marketer'],
    description:
      'Streams every matching row as CSV under the headers the importer reads, so export → import changes nothing. Cells starting ' +
      "with = + - @ are prefixed with ' (formula injection); the importer removes that prefix." +
      (kind === 'customers'
        ? ' `spend` is the imported baseline; derived fields (id, derived total spend, order count, last order at) are skipped by the importer.' +
          ' `segment=<id>` (or `rules=<JSON>` / `dsl=<text>`) exports only that segment\'s members, combined with `where` if both are given.'
        : ''),
    handler: async ({ query: given, req }) => {
      const { dsl, rules, segment, where } = given as ExportQuery
      const members = kind === 'customers' ? await segmentAudienceFilter({ dsl, req, rules, segment }) : undefined
      if (members && !members.ok) return errorResponse(members.status, members.errors)
      const combined = members?.where ? (where ? { and: [where, members.where] } : members.where) : where
      const body = await exportCsv({ kind, memberIdsAfter: members?.memberIdsAfter, payload: req.payload, where: combined })
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
    query: kind === 'customers' ? customersQuery : query,
    responses:
      kind === 'customers'
        ? {
            200: { contentType: 'text/csv', description: 'The CSV file, streamed' },
            400: { description: 'A where clause naming a field that cannot be queried, or invalid segment rules/DSL' },
            404: { description: 'No such segment' },
          }
        : {
            200: { contentType: 'text/csv', description: 'The CSV file, streamed' },
            400: { description: 'A where clause naming a field that cannot be queried' },
          },
    summary: `Export ${kind} as CSV`,
    tags: [tag],
  })
