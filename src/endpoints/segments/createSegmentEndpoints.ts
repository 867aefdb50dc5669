import type { Endpoint, PayloadRequest } from 'payload'

import { z } from 'zod'

import type { RuleClock } from '../../domain/segments/types.js'

import { formatDsl } from '../../domain/segments/dsl/format.js'
import { parseDsl } from '../../domain/segments/dsl/parse.js'
import { resolveSegmentInput } from '../../domain/segments/resolveSegmentInput.js'
import { validateRules } from '../../domain/segments/ruleSchema.js'
import { segmentSqlTarget } from '../../segments/audience.js'
import { previewSegment } from '../../segments/previewSegment.js'
import { segmentMembers } from '../../segments/segmentMembers.js'
import { distinctValues } from '../../segments/distinctValues.js'
import { audienceWhere, findByWhere } from '../../segments/whereAudience.js'
import { defineEndpoint } from '../defineEndpoint.js'
import { errorResponse } from '../errorResponse.js'
import { dslDoc, errorAnswer, paginatedCustomers, previewAnswer, ruleTreeDoc, segmentInputBody, valuesQuery } from './segmentSchemas.js'

const CRM_ROLES = ['admin', 'marketer', 'viewer'] as const
const TAGS = ['Segments']

const invalid = (issues: { message: string; path: string; position?: number }[]): Response =>
  Response.json({ errors: issues.map((issue) => ({ location: 'body', ...issue })) }, { status: 400 })

const isSql = (req: PayloadRequest): boolean => segmentSqlTarget(req.payload) !== null

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(10).describe('Page size (at most 1,000)'),
  page: z.coerce.number().int().min(1).default(1),
})

/**
 * The segment endpoints under `/api/segments`: preview, parse, format, a saved segment's members,
 * and an on-demand recount. `timeZone` is the store's (relative dates and day boundaries).
 */
export const createSegmentEndpoints = ({ timeZone }: { timeZone: string }): Endpoint[] => {
  const clock = (): RuleClock => ({ now: new Date(), timeZone })
  return [
    defineEndpoint({
      auth: CRM_ROLES,
      body: segmentInputBody,
      description: 'Counts the customers a rule tree (or DSL text) selects, in the database, and returns the first 10 by id.',
      handler: async ({ body, req }) => {
        const resolved = resolveSegmentInput(body)
        if (!resolved.ok) return invalid(resolved.issues)
        if (!isSql(req)) {
          // MongoDB: the Payload `where` compiler, for the rules it expresses exactly.
          const where = audienceWhere({ clock: clock(), rules: resolved.rules })
          if (!where.ok) return invalid([{ message: where.message, path: where.path }])
          const found = await findByWhere({ limit: 10, page: 1, req, where: where.where })
          return Response.json({ count: found.totalDocs, dsl: resolved.dsl, rules: resolved.rules, sample: found.docs })
        }
        const { count, sample } = await previewSegment({ clock: clock(), req, rules: resolved.rules })
        return Response.json({ count, dsl: resolved.dsl, rules: resolved.rules, sample })
      },
      method: 'post',
      operationId: 'previewSegment',
      path: '/preview',
      responses: { 200: { description: 'Audience size and sample', schema: previewAnswer }, 400: { description: 'Invalid rules or DSL', schema: errorAnswer } },
      summary: 'Preview a segment',
      tags: TAGS,
    }),
    defineEndpoint({
      auth: CRM_ROLES,
      body: z.strictObject({ dsl: dslDoc }),
      handler: ({ body }) => {
        const parsed = parseDsl(body.dsl)
        if (!parsed.ok) return invalid(parsed.errors.map(({ message, position }) => ({ message, path: 'dsl', position })))
        return Response.json({ dsl: formatDsl(parsed.rules), rules: parsed.rules })
      },
      method: 'post',
      operationId: 'parseSegmentDsl',
      path: '/parse',
      responses: { 200: { description: 'The rule tree (and the canonical DSL)', schema: z.object({ dsl: z.string(), rules: ruleTreeDoc }) }, 400: { description: 'Parse error with its position', schema: errorAnswer } },
      summary: 'Parse segment DSL into rules',
      tags: TAGS,
    }),
    defineEndpoint({
      auth: CRM_ROLES,
      body: z.strictObject({ rules: z.unknown().describe(ruleTreeDoc.description ?? '') }),
      handler: ({ body }) => {
        const validation = validateRules(body.rules)
        if (!validation.ok) return invalid(validation.issues)
        return Response.json({ dsl: formatDsl(validation.rules), rules: validation.rules })
      },
      method: 'post',
      operationId: 'formatSegmentRules',
      path: '/format',
      responses: { 200: { description: 'The canonical DSL (and rules)', schema: z.object({ dsl: z.string(), rules: ruleTreeDoc }) }, 400: { description: 'Invalid rules', schema: errorAnswer } },
      summary: 'Format segment rules as DSL',
      tags: TAGS,
    }),
    defineEndpoint({
      auth: CRM_ROLES,
      description:
        'Distinct values for the admin rule builder: `city`, `tags`, `attributes` (the keys) or `attributes.<key>` (its values), ' +
        'ignoring case like the rules do, sorted. Cities and tags walk their index (at most 5,000 distinct values); attributes ' +
        'are read from the 5,000 most recent customers that have any.',
      handler: async ({ query, req }) => {
        const values = await distinctValues({ limit: query.limit, q: query.q, req, source: query.field })
        if (values === null) return invalid([{ message: 'Value suggestions need SQLite or PostgreSQL', path: 'field' }])
        return Response.json({ values })
      },
      method: 'get',
      operationId: 'segmentFieldValues',
      path: '/values',
      query: valuesQuery,
      responses: { 200: { description: 'The distinct values', schema: z.object({ values: z.array(z.string()) }) }, 400: { description: 'Unknown field', schema: errorAnswer } },
      summary: 'Distinct values for the rule builder',
      tags: TAGS,
    }),
    defineEndpoint({
      auth: CRM_ROLES,
      handler: async ({ params, query, req }) => {
        const segment = await req.payload.findByID({ collection: 'segments', depth: 0, disableErrors: true, id: params.id, overrideAccess: false, req })
        if (!segment) return errorResponse(404, [{ message: `No segment with id ${params.id}` }])
        const validation = validateRules(segment.rules)
        if (!validation.ok) return errorResponse(409, [{ message: 'The saved segment has invalid rules; save it again with valid ones', path: 'rules' }])
        if (!isSql(req)) {
          const where = audienceWhere({ clock: clock(), rules: validation.rules })
          if (!where.ok) return errorResponse(400, [{ message: where.message, path: where.path }])
          return Response.json(await findByWhere({ limit: query.limit, page: query.page, req, where: where.where }))
        }
        return Response.json(await segmentMembers({ clock: clock(), limit: query.limit, page: query.page, req, rules: validation.rules }))
      },
      method: 'get',
      operationId: 'listSegmentCustomers',
      params: z.object({ id: z.string().regex(/^[0-9]+$|^[0-9a-f]{24}$/, 'must be a segment id') }),
      path: '/:id/customers',
      query: pageQuery,
      responses: { 200: { description: "The segment's customers, in Payload's paginated shape", schema: paginatedCustomers }, 404: { description: 'No such segment' } },
      summary: "A saved segment's members",
      tags: TAGS,
    }),
    defineEndpoint({
      auth: ['admin', 'marketer'],
      handler: async ({ params, req }) => {
        const existing = await req.payload.findByID({ collection: 'segments', depth: 0, disableErrors: true, id: params.id, overrideAccess: false, req })
        if (!existing) return errorResponse(404, [{ message: `No segment with id ${params.id}` }])
        // Saving re-derives and recounts (see deriveSegmentFields).
        const saved = await req.payload.update({ collection: 'segments', data: {}, depth: 0, id: params.id, overrideAccess: false, req })
        return Response.json({ audienceCount: saved.audienceCount, countedAt: saved.countedAt, id: saved.id })
      },
      method: 'post',
      operationId: 'recountSegment',
      params: z.object({ id: z.string().regex(/^[0-9]+$|^[0-9a-f]{24}$/, 'must be a segment id') }),
      path: '/:id/count',
      responses: { 200: { description: 'The fresh audience count', schema: z.object({ audienceCount: z.number().int().nullable().optional(), countedAt: z.string().nullable().optional(), id: z.union([z.number(), z.string()]) }) } },
      summary: 'Recount a saved segment now',
      tags: TAGS,
    }),
  ]
}
