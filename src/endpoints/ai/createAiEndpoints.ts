import type { Endpoint, PayloadRequest, TypedUser } from 'payload'

import { z } from 'zod'

import type { AiService } from '../../ai/types.js'
import type { RuleClock } from '../../domain/segments/types.js'

import { AiError } from '../../ai/aiError.js'
import { DEFAULT_SUGGESTION_LENGTH } from '../../domain/ai/messageSuggestions.js'
import { createRateWindow } from '../../domain/ai/rateWindow.js'
import { segmentRulesFromText } from '../../operations/ai/segmentRulesFromText.js'
import { suggestMessages } from '../../operations/ai/suggestMessages.js'
import { summariseCampaign } from '../../operations/ai/summariseCampaign.js'
import { defineEndpoint } from '../defineEndpoint.js'
import { errorResponse } from '../errorResponse.js'
import { errorAnswer, ruleTreeDoc } from '../segments/segmentSchemas.js'

const AI_ROLES = ['admin', 'marketer'] as const
const TAGS = ['AI']
const ID = z.union([z.number().int().positive(), z.string().regex(/^[0-9]+$|^[0-9a-f]{24}$/, 'must be an id')])

const sourceDoc = z.enum(['gemini', 'offline']).describe('"gemini", or "offline" when GEMINI_API_KEY is unset (the rule-based fallback answered)')

const ERROR_RESPONSES = {
  400: { description: 'Invalid request body', schema: errorAnswer },
  401: { description: 'Not signed in', schema: errorAnswer },
  403: { description: 'Viewers may not use the AI features', schema: errorAnswer },
  422: { description: 'Blocked by Gemini safety filters, or (offline) a description the parser cannot read', schema: errorAnswer },
  429: { description: 'Too many AI requests from this user; see Retry-After', schema: errorAnswer },
  502: { description: 'The model answered with something unusable (malformed JSON, invalid rules or templates)', schema: errorAnswer },
  503: { description: 'Gemini timed out, is rate-limiting (Retry-After) or unavailable', schema: errorAnswer },
}

/**
 * `/api/ai/*`: message variants, plain-English audiences and campaign summaries, for marketers
 * and admins. Each user may make `rateLimitPerMinute` AI requests per minute (in this process).
 */
export const createAiEndpoints = ({ currency, rateLimitPerMinute, service, timeZone }: { currency: string; rateLimitPerMinute: number; service: AiService; timeZone: string }): Endpoint[] => {
  const window = createRateWindow({ limit: rateLimitPerMinute, windowMs: 60_000 })
  const clock = (): RuleClock => ({ now: new Date(), timeZone })

  /** Rate limit, run, and map AI errors to their status with the reason (and Retry-After). */
  const guarded = async (req: PayloadRequest, user: TypedUser, run: () => Promise<unknown>): Promise<Response> => {
    const taken = window.take(`${user.collection}:${String(user.id)}`)
    if (!taken.ok) {
      return errorResponse(429, [{ message: `Too many AI requests: at most ${rateLimitPerMinute} a minute. Try again in ${taken.retryAfterSeconds} s.` }], { 'Retry-After': String(taken.retryAfterSeconds) })
    }
    try {
      return Response.json(await run())
    } catch (err) {
      if (!(err instanceof AiError)) throw err
      if (err.status >= 500) req.payload.logger.warn({ msg: `AI request failed: ${err.message}` })
      return errorResponse(err.status, [{ message: err.message }], err.retryAfterSeconds ? { 'Retry-After': String(err.retryAfterSeconds) } : undefined)
    }
  }

  return [
    defineEndpoint({
      auth: AI_ROLES,
      body: z.strictObject({
        campaignName: z.string().trim().max(200).optional(),
        intent: z.string().trim().min(3, 'Say what the campaign is for (at least 3 characters)').max(1000),
        maxLength: z.number().int().min(60).max(1000).default(DEFAULT_SUGGESTION_LENGTH).describe('Longest variant, in characters'),
        segmentId: ID.optional().describe('A saved segment: described to the model by its rules and aggregates only'),
        tone: z.string().trim().max(40).optional().describe('e.g. friendly, formal, playful, urgent'),
      }),
      description:
        'Two or three distinct message variants that pass the template validator and use only {{firstName}}, {{name}} and {{city}}. With `segmentId` the audience is described to the model by its rules and aggregates (size, averages), never by customer rows.',
      handler: ({ body, req, user }) => guarded(req, user, () => suggestMessages({ clock: clock(), currency, input: body, req, service })),
      method: 'post',
      operationId: 'suggestMessages',
      path: '/ai/message-suggestions',
      responses: {
        200: {
          description: 'Variants',
          schema: z.object({ audience: z.object({ count: z.number() }).optional(), source: sourceDoc, suggestions: z.array(z.object({ text: z.string() })).min(2).max(3) }),
        },
        404: { description: 'No such segment', schema: errorAnswer },
        ...ERROR_RESPONSES,
      },
      summary: 'Suggest campaign messages',
      tags: TAGS,
    }),
    defineEndpoint({
      auth: AI_ROLES,
      body: z.strictObject({ text: z.string().trim().min(3, 'Describe the audience (at least 3 characters)').max(1000) }),
      description:
        'Turns a plain-English audience ("spent over 5k but haven\'t ordered in 3 months") into a rule tree, validated by the segment schema (an invalid model answer is retried once, then a 502). Nothing is saved.',
      handler: ({ body, req, user }) => guarded(req, user, () => segmentRulesFromText({ service, text: body.text })),
      method: 'post',
      operationId: 'segmentRulesFromText',
      path: '/ai/segment-rules',
      responses: { 200: { description: 'The rule tree and its DSL', schema: z.object({ dsl: z.string(), rules: ruleTreeDoc, source: sourceDoc }) }, ...ERROR_RESPONSES },
      summary: 'Describe an audience in plain English',
      tags: TAGS,
    }),
    defineEndpoint({
      auth: AI_ROLES,
      description: 'A short summary of a finished (completed, cancelled or failed) campaign: delivery rate, failures by reason, comparison with the previous campaigns.',
      handler: ({ params, req, user }) => guarded(req, user, () => summariseCampaign({ id: params.id, req, service })),
      method: 'post',
      operationId: 'summariseCampaign',
      params: z.object({ id: z.string().regex(/^[0-9]+$|^[0-9a-f]{24}$/, 'must be a campaign id') }),
      path: '/ai/campaign-summary/:id',
      responses: {
        200: {
          description: 'The summary and the figures it was written from',
          schema: z.object({ facts: z.record(z.string(), z.unknown()), source: sourceDoc, summary: z.string() }),
        },
        404: { description: 'No such campaign', schema: errorAnswer },
        409: { description: 'The campaign is not finished', schema: errorAnswer },
        ...ERROR_RESPONSES,
      },
      summary: 'Summarise a finished campaign',
      tags: TAGS,
    }),
  ]
}
