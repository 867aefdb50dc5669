import type { Endpoint, Payload } from 'payload'

import { z } from 'zod'

import type { ImportKind } from '../../domain/ingest/index.js'
import type { CsvImportResult } from '../../operations/ingest/runCsvImport.js'

import { jobQueueOf } from '../../campaigns/jobQueueRegistry.js'
import { recordSyncImport, startAsyncImport } from '../../operations/ingest/asyncImport.js'
import { csvSourceOf } from '../../operations/ingest/csvSourceOf.js'
import { defineEndpoint } from '../defineEndpoint.js'
import { errorResponse } from '../errorResponse.js'

const issue = z.object({ column: z.string().optional(), message: z.string(), row: z.number().int().describe('1-based data row (header excluded)') })

const answer = z.object({
  created: z.number().int(),
  errors: z.array(issue).describe('At most the first 1,000.'),
  failed: z.number().int(),
  rows: z.number().int().describe('Data rows read (empty lines are not counted).'),
  unchanged: z.number().int().describe('Of the `updated` rows, those whose record already held every value they gave (nothing changed).'),
  updated: z.number().int().describe('Rows that matched an existing record (including a record an earlier row of the same file created).'),
  warnings: z.array(issue).describe('At most the first 1,000; a repeated key names the row that replaced it.'),
})

const accepted = z.object({
  href: z.string().describe('Where to poll: GET /api/imports/<id>'),
  id: z.union([z.number(), z.string()]).describe('The import id (a row of `imports`)'),
  status: z.literal('queued'),
})

const query = z.object({
  async: z.enum(['true', 'false', '1', '0']).optional().describe('`true`: answer 202 at once and import in the background (same as `Prefer: respond-async`)'),
  fileName: z.string().max(255).optional().describe('The name to show in the history for a raw text/csv body'),
})

type ImportCsvEndpointArgs = {
  description: string
  /** Runs the import of one kind of file. */
  importCsv: (args: { payload: Payload; source: AsyncIterable<Uint8Array> }) => Promise<CsvImportResult>
  kind: ImportKind
  summary: string
  tag: string
}

const wantsAsync = (req: { headers: Headers }, asked?: string) =>
  asked === 'true' || asked === '1' || /(^|[,;\s])respond-async($|[,;\s])/i.test(req.headers.get('prefer') ?? '')

/**
 * `POST /import` on a collection: a CSV as multipart field `file` or a raw text/csv body; marketers
 * and admins. With `Prefer: respond-async` or `?async=true` the upload is staged in the database and
 * the answer is 202 with the import id; the `crm.importRun` job does the rest.
 */
export const importCsvEndpoint = ({ description, importCsv, kind, summary, tag }: ImportCsvEndpointArgs): Endpoint =>
  defineEndpoint({
    auth: ['admin', 'marketer'],
    bodyLimit: 'upload',
    description: `${description} With \`Prefer: respond-async\` (or \`?async=true\`): 202 with the import id at once; poll \`GET /api/imports/<id>\`.`,
    handler: async ({ query: given, req, user }) => {
      const isAsync = wantsAsync(req as unknown as { headers: Headers }, given.async)
      const agenda = isAsync ? jobQueueOf(req.payload) : undefined
      if (isAsync && !agenda) return errorResponse(503, [{ message: 'No job runtime runs in this process, so an import cannot be queued: import synchronously.' }])
      const input = await csvSourceOf(req)
      if (!input.ok) return errorResponse(input.status, [{ message: input.message }])
      if (agenda) {
        const started = await startAsyncImport({
          agenda,
          createdBy: typeof user.email === 'string' ? user.email : undefined,
          fileName: input.fileName ?? given.fileName,
          kind,
          payload: req.payload,
          source: input.source,
        })
        if (!started.ok) return errorResponse(started.status, [{ message: started.message }])
        const href = `${req.payload.config.routes.api}/imports/${started.importId}`
        return Response.json({ href, id: started.importId, status: 'queued' }, { headers: { location: href, 'preference-applied': 'respond-async' }, status: 202 })
      }
      const startedAt = new Date()
      const result = await importCsv({ payload: req.payload, source: input.source })
      await recordSyncImport({
        createdBy: typeof user.email === 'string' ? user.email : undefined,
        fileName: input.fileName ?? given.fileName,
        kind,
        payload: req.payload,
        result,
        startedAt,
      })
      return result.ok ? Response.json(result.report) : errorResponse(400, [{ message: result.message }])
    },
    method: 'post',
    path: '/import',
    query,
    requestContent: {
      'multipart/form-data': { description: 'The CSV file in the field `file`.', schema: z.object({ file: z.string().describe('CSV file (binary)') }) },
      'text/csv': { description: 'The CSV file as the raw body (UTF-8, BOM optional).' },
    },
    responses: {
      200: { description: 'What the import did, row by row problems included', schema: answer },
      202: { description: 'Asynchronous: the upload is stored and queued', schema: accepted },
      400: { description: 'Empty body, binary or non-UTF-8 file, or no key column' },
      413: { description: 'The file exceeds limits.bodyBytes.upload' },
      503: { description: 'Asynchronous import asked where no job runtime runs' },
    },
    summary,
    tags: [tag],
  })
