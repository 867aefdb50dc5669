import type { Endpoint } from 'payload'

import { z } from 'zod'

import type { ImportKind } from '../../domain/ingest/index.js'
import type { BatchDoc } from '../../operations/ingest/jsonIngest.js'

import { jobQueueOf } from '../../campaigns/jobQueueRegistry.js'
import { INGEST_MAX_RECORDS, SLUGS } from '../../constants.js'
import { acceptIngestBatch } from '../../operations/ingest/jsonIngest.js'
import { defineEndpoint } from '../defineEndpoint.js'
import { errorResponse } from '../errorResponse.js'

const rejection = z.object({ index: z.number().int().describe('0-based index in the request array'), message: z.string() })
const accepted = z.object({ accepted: z.number().int(), batchId: z.union([z.number(), z.string()]), rejected: z.array(rejection) })

const FIELDS: Record<ImportKind, string> = {
  customers:
    '`email` (required), `name`, `phone`, `city`, `tags` (array), `visits` (whole number), `totalSpend` (the spend carried over), ' +
    '`marketingOptOut` (boolean), `createdAt`, `lastVisitAt` (ISO 8601), `attributes` (object). Upsert by email.',
  orders:
    '`externalId`, `customerEmail`, `amount`, `orderedAt` (required), `currency` (the store currency), `status`, `attributes`. ' +
    'Upsert by externalId; an unknown email gets a bare customer.',
}

const ingestEndpoint = (kind: ImportKind): Endpoint =>
  defineEndpoint({
    auth: ['admin', 'marketer'],
    body: z.array(z.unknown()).describe(`At most ${INGEST_MAX_RECORDS.toLocaleString('en')} records`),
    bodyLimit: 'ingest',
    description:
      `A JSON array of ${kind} records, validated at once; accepted records are staged and persisted by a background consumer ` +
      `(\`crm.ingestBatch\`) through the bulk layer. Fields: ${FIELDS[kind]} Unknown fields reject the record.`,
    handler: async ({ body, req, user }) => {
      if (body.length > INGEST_MAX_RECORDS) {
        return errorResponse(413, [{ message: `A batch holds at most ${INGEST_MAX_RECORDS} records; this one has ${body.length}: split it.` }])
      }
      const agenda = jobQueueOf(req.payload)
      if (!agenda) return errorResponse(503, [{ message: 'No job runtime runs in this process, so the batch cannot be queued.' }])
      const result = await acceptIngestBatch({ agenda, createdBy: typeof user.email === 'string' ? user.email : undefined, kind, payload: req.payload, records: body })
      return Response.json(result, { status: 202 })
    },
    method: 'post',
    path: `/ingest/${kind}`,
    responses: {
      202: { description: 'Accepted for persistence; rejected records by index', schema: accepted },
      400: { description: 'The body is not a JSON array' },
      413: { description: `More than ${INGEST_MAX_RECORDS} records, or a body over limits.bodyBytes.ingest` },
    },
    summary: `Ingest ${kind} (JSON, asynchronous)`,
    tags: ['Ingest'],
  })

const batchStatus = z.object({
  accepted: z.number().int(),
  batchId: z.union([z.number(), z.string()]),
  errors: z.array(rejection).describe('Accepted records the database refused (the first 1,000)'),
  failed: z.number().int(),
  kind: z.enum(['customers', 'orders']),
  persisted: z.number().int(),
  reason: z.string().nullable(),
  rejected: z.number().int(),
  status: z.enum(['queued', 'processing', 'done', 'failed']),
})

const batchStatusEndpoint: Endpoint = defineEndpoint({
  auth: 'user',
  description: 'Where a JSON ingest batch stands: `queued`, `processing`, `done` or `failed`, and how many records are persisted.',
  handler: async ({ params: { id }, req }) => {
    const doc = (await req.payload.findByID({ collection: SLUGS.ingestBatches as 'ingest-batches', depth: 0, disableErrors: true, id, overrideAccess: true })) as BatchDoc | null
    if (!doc) return errorResponse(404, [{ message: `No ingest batch ${id}.` }])
    return Response.json({
      accepted: doc.accepted ?? 0,
      batchId: doc.id,
      errors: doc.errors ?? [],
      failed: doc.failed ?? 0,
      kind: doc.kind,
      persisted: doc.persisted ?? 0,
      reason: doc.reason ?? null,
      rejected: doc.rejected ?? 0,
      status: doc.status,
    })
  },
  method: 'get',
  params: z.object({ id: z.string().regex(/^[0-9]+$|^[0-9a-f]{24}$/, 'must be a batch id') }),
  path: '/ingest/batches/:id',
  responses: { 200: { description: 'The batch status', schema: batchStatus }, 404: { description: 'No such batch' } },
  summary: 'Status of a JSON ingest batch',
  tags: ['Ingest'],
})

/** The JSON ingest API (CONTRACT: Ingestion), as root endpoints. */
export const JSON_INGEST_ENDPOINTS: Endpoint[] = [ingestEndpoint('customers'), ingestEndpoint('orders'), batchStatusEndpoint]
