import type { Endpoint } from 'payload'

import { z } from 'zod'

import { campaignReport } from '../../operations/campaigns/campaignReport.js'
import { previewCampaign } from '../../operations/campaigns/previewCampaign.js'
import { defineEndpoint } from '../defineEndpoint.js'
import { errorResponse } from '../errorResponse.js'

const TAGS = ['Campaigns']
const READERS = ['admin', 'marketer', 'viewer'] as const

const id = z.union([z.number().int().positive(), z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be an id')]).transform(Number)
const errorAnswer = z.object({ errors: z.array(z.object({ message: z.string(), path: z.string().optional() })) })
const sample = z.object({ email: z.string().nullable(), id: z.number(), name: z.string().nullable() })
const counts = z.object({ audience: z.number(), delivered: z.number(), failed: z.number(), pending: z.number(), sent: z.number(), skipped: z.number() })

/** `POST /api/campaigns/preview` and `GET /api/campaigns/:id/report`: the campaign editor's reads (any signed-in user). */
export const createCampaignEditorEndpoints = (): Endpoint[] => [
  defineEndpoint({
    auth: READERS,
    body: z.strictObject({
      customerId: id.optional().describe('Render for this customer (default: the first sample).'),
      customers: z.array(id).max(10_000).optional().describe('Hand-picked customer ids (the unsaved form’s).'),
      message: z.string().max(20_000).describe('The message template.'),
      segment: id.nullable().optional().describe('The segment id (the unsaved form’s).'),
    }),
    description:
      'Checks a message template (errors with line, column and offset), renders it for a customer, and counts the audience a send would reach now ' +
      '(`audience.size`) and the opted-out customers it would skip (`audience.skipped`). Works on unsaved values; writes nothing.',
    handler: async ({ body, req }) => {
      const result = await previewCampaign({ input: body, req })
      if (!result.ok) return errorResponse(result.status, [{ location: 'body', message: result.message, path: result.path }])
      const { ok: _ok, ...answer } = result
      return Response.json(answer)
    },
    method: 'post',
    operationId: 'previewCampaign',
    path: '/preview',
    responses: {
      200: {
        description: 'The preview',
        schema: z.object({
          audience: z.object({ size: z.number(), skipped: z.number() }).nullable(),
          audienceProblem: z.string().nullable(),
          customer: sample.nullable(),
          errors: z.array(z.object({ column: z.number(), line: z.number(), message: z.string(), offset: z.number() })),
          samples: z.array(sample),
          text: z.string().nullable(),
        }),
      },
      404: { description: 'No such segment or customer', schema: errorAnswer },
    },
    summary: 'Preview a campaign message and its audience',
    tags: TAGS,
  }),
  defineEndpoint({
    auth: READERS,
    description:
      'Counts from the campaign’s communication logs, delivery and failure rates, failure reasons grouped (most frequent first) and messages sent, ' +
      'delivered and failed per time bucket (at most 24, from the first send to the last outcome). Writes nothing.',
    handler: async ({ params, req }) => {
      const report = await campaignReport({ id: params.id, req })
      if (!report) return errorResponse(404, [{ message: `No campaign with id ${params.id}` }])
      return Response.json(report)
    },
    method: 'get',
    operationId: 'campaignReport',
    params: z.object({ id: z.string().regex(/^[0-9]+$|^[0-9a-f]{24}$/, 'must be a campaign id') }),
    path: '/:id/report',
    responses: {
      200: {
        description: 'The report',
        schema: z.object({
          delivery: z.object({ bucketMs: z.number(), points: z.array(z.object({ at: z.string(), delivered: z.number(), failed: z.number(), sent: z.number() })) }),
          failureReasons: z.array(z.object({ count: z.number(), reason: z.string() })),
          id: z.union([z.number(), z.string()]),
          rates: z.object({ deliveryRate: z.number().nullable(), failureRate: z.number().nullable() }),
          stats: counts,
          status: z.string(),
          statusReason: z.string().nullable(),
        }),
      },
      404: { description: 'No such campaign', schema: errorAnswer },
    },
    summary: 'A campaign’s report',
    tags: TAGS,
  }),
]
