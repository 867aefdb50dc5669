import { z } from 'zod'

import { applyReceipts } from '../../bulk/index.js'
import { scheduleRollUp } from '../../campaigns/scheduleRollUp.js'
import { campaignVendorOf } from '../../campaigns/vendorLink.js'
import { parseReceiptBatch } from '../../domain/campaigns/receiptBatchSchema.js'
import { SIGNATURE_HEADER, verifyReceiptSignature } from '../../domain/campaigns/receiptSignature.js'
import { defineEndpoint } from '../defineEndpoint.js'
import { errorResponse } from '../errorResponse.js'

const errorAnswer = z.object({ errors: z.array(z.object({ message: z.string() })) })

/**
 * `POST /api/communication-logs/receipts`: the vendor's delivery receipts. Authenticated by the HMAC
 * of the raw body (`X-Signature: sha256=<hex>`, constant-time check), not by a user. Applied in one
 * set-based write per batch, matched by `reference`, forward only and idempotent; unknown references
 * are reported in the answer, not refused.
 */
export const receiptsEndpoint = defineEndpoint({
  auth: 'public',
  description:
    'For the message vendor. Body `{"receipts":[{"messageId","reference","status":"sent|failed|delivered|unsubscribed","at","error"?}]}` (1–1,000), ' +
    'signed `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the webhook secret (VENDOR_WEBHOOK_SECRET). A log only moves forward ' +
    '(pending → sent → delivered | failed); repeats and late receipts change nothing; `unsubscribed` also opts the customer out.',
  handler: async ({ req }) => {
    const raw = typeof req.arrayBuffer === 'function' ? new Uint8Array(await req.arrayBuffer()) : new Uint8Array()
    const { webhookSecret } = campaignVendorOf(req.payload)
    if (!verifyReceiptSignature({ body: raw, secret: webhookSecret, signature: req.headers.get(SIGNATURE_HEADER) })) {
      return errorResponse(401, [{ message: 'Missing or invalid X-Signature: expected sha256=<hex HMAC-SHA256 of the raw body> with the webhook secret.' }])
    }
    let json: unknown
    try {
      json = JSON.parse(new TextDecoder().decode(raw))
    } catch (err) {
      return errorResponse(400, [{ location: 'body', message: `Malformed JSON body: ${(err as Error).message}` }])
    }
    const parsed = parseReceiptBatch(json)
    if (!parsed.isValid) return errorResponse(400, parsed.errors.map((error) => ({ location: 'body' as const, message: error.message })))
    const result = await applyReceipts({ payload: req.payload, receipts: parsed.batch.receipts })
    for (const campaignId of result.campaignIds) scheduleRollUp({ campaignId, payload: req.payload })
    return Response.json({ matched: result.matched, received: parsed.batch.receipts.length, unknownReferences: result.unknownReferences })
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
