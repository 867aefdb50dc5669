import { z } from 'zod'

import { handleReceiptWebhook } from '../../campaigns/receiptWebhook.js'
import { SIGNATURE_HEADER } from '../../domain/campaigns/receiptSignature.js'
import { defineEndpoint } from '../defineEndpoint.js'

const errorAnswer = z.object({ errors: z.array(z.object({ message: z.string() })) })

/**
 * `POST /api/communication-logs/receipts`: the vendor's delivery receipts. Authenticated by the HMAC
 * of the raw body (`X-Signature: sha256=<hex>`, constant-time check), not by a user. Applied in one
 * set-based write per batch, matched by `reference`, forward only and idempotent; unknown references
 * are reported in the answer, not refused. The CRM server (`createCrmServer`) answers the same path
 * on its Express app before Payload's router, through the same `handleReceiptWebhook`; this endpoint
 * serves hosts that mount Payload's REST handler themselves, and documents the webhook in OpenAPI.
 */
export const receiptsEndpoint = defineEndpoint({
  auth: 'public',
  description:
    'For the message vendor. Body `{"receipts":[{"messageId","reference","status":"sent|failed|delivered|unsubscribed","at","error"?}]}` (1–1,000), ' +
    'signed `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the webhook secret (VENDOR_WEBHOOK_SECRET). A log only moves forward ' +
    '(pending → sent → delivered | failed); repeats and late receipts change nothing; `unsubscribed` also opts the customer out.',
  handler: async ({ req }) => {
    const raw = typeof req.arrayBuffer === 'function' ? new Uint8Array(await req.arrayBuffer()) : new Uint8Array()
    const answer = await handleReceiptWebhook({ payload: req.payload, raw, signature: req.headers.get(SIGNATURE_HEADER) })
    return Response.json(answer.body, { status: answer.status })
  },
  method: 'post',
  operationId: 'receiveDeliveryReceipts',
  path: '/receipts',
  responses: {
    200: {
      description: 'Applied. `unknownReferences` lists references no log carries (ignored).',
      schema: z.object({ matched: z.number().int(), received: z.number().int(), unknownReferences: z.array(z.string()) }),
    },
    400: { description: 'Malformed JSON or receipts (each problem named by its path)', schema: errorAnswer },
    401: { description: 'Missing or invalid signature', schema: errorAnswer },
  },
  summary: 'Receive delivery receipts (vendor webhook)',
  tags: ['Campaigns'],
})
