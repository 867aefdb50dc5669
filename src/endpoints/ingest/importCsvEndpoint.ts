import type { Endpoint, Payload } from 'payload'

import { z } from 'zod'

import type { CsvImportResult } from '../../operations/ingest/runCsvImport.js'

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

type ImportCsvEndpointArgs = {
  description: string
  /** Runs the import of one kind of file. */
  importCsv: (args: { payload: Payload; source: AsyncIterable<Uint8Array> }) => Promise<CsvImportResult>
  summary: string
  tag: string
}

/** `POST /import` on a collection: a CSV as multipart field `file` or a raw text/csv body; marketers and admins. */
export const importCsvEndpoint = ({ description, importCsv, summary, tag }: ImportCsvEndpointArgs): Endpoint =>
  defineEndpoint({
    auth: ['admin', 'marketer'],
    bodyLimit: 'upload',
    description,
    handler: async ({ req }) => {
      const input = await csvSourceOf(req)
      if (!input.ok) return errorResponse(input.status, [{ message: input.message }])
      const result = await importCsv({ payload: req.payload, source: input.source })
      return result.ok ? Response.json(result.report) : errorResponse(400, [{ message: result.message }])
    },
    method: 'post',
    path: '/import',
    requestContent: {
      'multipart/form-data': { description: 'The CSV file in the field `file`.', schema: z.object({ file: z.string().describe('CSV file (binary)') }) },
      'text/csv': { description: 'The CSV file as the raw body (UTF-8, BOM optional).' },
    },
    responses: {
      200: { description: 'What the import did, row by row problems included', schema: answer },
      400: { description: 'Empty body, binary or non-UTF-8 file, or no key column' },
      413: { description: 'The file exceeds limits.bodyBytes.upload' },
    },
    summary,
    tags: [tag],
  })
