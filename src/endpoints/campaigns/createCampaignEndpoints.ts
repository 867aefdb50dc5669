import type { Endpoint, PayloadRequest } from 'payload'

import { randomUUID } from 'node:crypto'
import { z } from 'zod'

import { readCustomersForTemplate, rollUpCampaignStats } from '../../bulk/index.js'
import { applyCampaignAction, loadCampaign } from '../../campaigns/campaignActions.js'
import { jobQueueOf } from '../../campaigns/jobQueueRegistry.js'
import { readSendSettings } from '../../campaigns/sendSettings.js'
import { campaignVendorOf } from '../../campaigns/vendorLink.js'
import { postMessages } from '../../campaigns/vendorClient.js'
import { crmOptionsOf } from '../../crmOptionsOf.js'
import { compileTemplate, renderTemplate } from '../../domain/templates/index.js'
import { defineEndpoint } from '../defineEndpoint.js'
import { errorResponse } from '../errorResponse.js'

const TAGS = ['Campaigns']
const WRITERS = ['admin', 'marketer'] as const
const READERS = ['admin', 'marketer', 'viewer'] as const

const idParams = z.object({ id: z.string().regex(/^[0-9]+$|^[0-9a-f]{24}$/, 'must be a campaign id') })

const statsSchema = z.object({
  audience: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  sent: z.number().int().describe('Accepted by the vendor, including those later delivered.'),
  skipped: z.number().int().describe('Opted-out (or erased) customers left out of the send.'),
})

const progressSchema = z.object({
  id: z.union([z.number(), z.string()]),
  percent: z.number().describe('Share of the audience no longer pending (0–100).'),
  scheduledAt: z.string().nullable(),
  stats: statsSchema,
  status: z.enum(['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled', 'failed']),
  statusReason: z.string().nullable().describe('Why the campaign was paused or failed.'),
})

const errorAnswer = z.object({ errors: z.array(z.object({ message: z.string() })) })

const numberOr0 = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : Number(value) || 0)

const progressOf = async (req: PayloadRequest, id: string) => {
  const campaign = await loadCampaign({ id, payload: req.payload, req })
  if (!campaign) return null
  // While the log moves, recount it (one indexed statement) so the answer is current.
  const live = campaign.snapshotAt && (campaign.status === 'sending' || campaign.status === 'paused') ? await rollUpCampaignStats({ campaignId: id, payload: req.payload }) : null
  const raw = live ?? campaign.stats ?? {}
  const stats = {
    audience: numberOr0(raw.audience),
    delivered: numberOr0(raw.delivered),
    failed: numberOr0(raw.failed),
    pending: numberOr0(raw.pending),
    sent: numberOr0(raw.sent),
    skipped: numberOr0(raw.skipped),
  }
  const percent = stats.audience === 0 ? (campaign.status === 'completed' ? 100 : 0) : Math.round(((stats.audience - stats.pending) / stats.audience) * 1000) / 10
  return { id: campaign.id, percent, scheduledAt: campaign.scheduledAt ?? null, stats, status: campaign.status, statusReason: campaign.statusReason ?? null }
}

const ACTION_DOCS = {
  cancel: 'Stops the campaign for good (draft, scheduled, sending or paused). Messages already handed to the vendor stay sent.',
  pause: 'Stops a sending campaign after the batches in flight; resume continues where it stopped.',
  resume: 'Continues a paused campaign; nobody already sent is sent again.',
  send:
    'Sends now (202, status sending) or, when scheduledAt is in the future, schedules it (status scheduled). The audience is fixed when the send starts. ' +
    'Needs exactly one audience (a segment or hand-picked customers).',
} as const

const actionEndpoint = (action: keyof typeof ACTION_DOCS): Endpoint =>
  defineEndpoint({
    auth: WRITERS,
    description: `${ACTION_DOCS[action]} Refused with 409 (and the reason) when the campaign's state does not allow it.`,
    handler: async ({ params, req }) => {
      const result = await applyCampaignAction({ action, agenda: jobQueueOf(req.payload), id: params.id, req })
      if (!result.ok) return errorResponse(result.status, [{ message: result.message }])
      const progress = await progressOf(req, params.id)
      return Response.json(progress, { status: action === 'send' ? 202 : 200 })
    },
    method: 'post',
    operationId: `${action}Campaign`,
    params: idParams,
    path: `/:id/${action}`,
    responses: {
      [action === 'send' ? 202 : 200]: { description: 'The campaign after the action', schema: progressSchema },
      404: { description: 'No such campaign', schema: errorAnswer },
      409: { description: 'The action is not allowed in the campaign’s state (the reason says what to do)', schema: errorAnswer },
      503: { description: 'send/resume only: no job worker runs in this server process', schema: errorAnswer },
    },
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} a campaign`,
    tags: TAGS,
  })

/** `/api/campaigns/:id/send|cancel|pause|resume|progress|test-send`. */
export const createCampaignEndpoints = (): Endpoint[] => [
  actionEndpoint('send'),
  actionEndpoint('cancel'),
  actionEndpoint('pause'),
  actionEndpoint('resume'),
  defineEndpoint({
    auth: READERS,
    description: 'The campaign’s status and stats, recounted from its communication logs while it sends: sent + failed + pending = audience.',
    handler: async ({ params, req }) => {
      const progress = await progressOf(req, params.id)
      if (!progress) return errorResponse(404, [{ message: `No campaign with id ${params.id}` }])
      return Response.json(progress)
    },
    method: 'get',
    operationId: 'campaignProgress',
    params: idParams,
    path: '/:id/progress',
    responses: { 200: { description: 'Status and stats', schema: progressSchema }, 404: { description: 'No such campaign', schema: errorAnswer } },
    summary: 'A campaign’s progress',
    tags: TAGS,
  }),
  defineEndpoint({
    auth: WRITERS,
    body: z.strictObject({ customerId: z.union([z.number().int().positive(), z.string().regex(/^[0-9]+$/, 'must be a customer id')]).describe('Whose data fills the placeholders.') }),
    description:
      'Renders the campaign’s message for one customer and sends it to the signed-in user’s own email only (never to the customer). ' +
      'Writes no communication log and changes no stats.',
    handler: async ({ body, params, req, user }) => {
      const campaign = await loadCampaign({ id: params.id, payload: req.payload, req })
      if (!campaign) return errorResponse(404, [{ message: `No campaign with id ${params.id}` }])
      const email = (user as { email?: unknown }).email
      if (typeof email !== 'string' || email === '') return errorResponse(400, [{ message: 'Your account has no email to send the test to.' }])
      const compiled = compileTemplate({ source: campaign.message ?? '', timeZone: crmOptionsOf(req.payload).storeTimezone })
      if (!compiled.isValid) return errorResponse(409, [{ message: `The campaign’s message is invalid: ${compiled.errors[0]?.message ?? ''}`, path: 'message' }])
      const customerId = Number(body.customerId)
      const customers = await readCustomersForTemplate({ columns: compiled.template.columns, ids: [customerId], payload: req.payload })
      const customer = customers.get(customerId)
      if (!customer) return errorResponse(404, [{ location: 'body', message: `No customer with id ${customerId}`, path: 'customerId' }])
      const text = renderTemplate({ customer, template: compiled.template })
      const vendor = campaignVendorOf(req.payload)
      if (!vendor.url) return errorResponse(503, [{ message: 'No vendor is configured (VENDOR_URL).' }])
      const reference = `test-${String(campaign.id)}-${randomUUID()}`
      const answer = await postMessages({ messages: [{ reference, text, to: email }], timeoutMs: readSendSettings().timeoutMs, url: vendor.url })
      if (answer.kind !== 'accepted') return errorResponse(502, [{ message: `The vendor did not accept the test message: ${answer.reason}` }])
      return Response.json({ messageId: answer.results[0]?.messageId ?? null, reference, text, to: email }, { status: 202 })
    },
    method: 'post',
    operationId: 'testSendCampaign',
    params: idParams,
    path: '/:id/test-send',
    responses: {
      202: { description: 'Sent to you', schema: z.object({ messageId: z.string().nullable(), reference: z.string(), text: z.string(), to: z.string() }) },
      404: { description: 'No such campaign or customer', schema: errorAnswer },
      502: { description: 'The vendor refused or could not be reached', schema: errorAnswer },
    },
    summary: 'Send a campaign’s message to yourself',
    tags: TAGS,
  }),
]
