import type { Payload } from 'payload'

import { applyReceipts } from '../bulk/index.js'
import { parseReceiptBatchFast } from '../domain/campaigns/receiptBatchSchema.js'
import { verifyReceiptSignature } from '../domain/campaigns/receiptSignature.js'
import { scheduleRollUp, whileReceiptBatchInFlight } from './scheduleRollUp.js'
import { campaignVendorOf } from './vendorLink.js'

/** The receipts stream counts as quiet (stats recounted) this long after its latest batch, with none in flight. */
const RECOUNT_QUIET_MS = 25

/** What the receipts webhook answers: a status and its JSON body (the shared error envelope for 4xx). */
export type ReceiptWebhookAnswer = { body: unknown; status: number }

const fail = (status: number, message: string, location?: 'body'): ReceiptWebhookAnswer => ({
  body: { errors: [location ? { location, message } : { message }] },
  status,
})

/**
 * The whole receipts webhook for one raw body, whichever way it arrived (Payload's REST endpoint, or
 * the Express route that serves the same path ahead of Payload's router): signature on the raw
 * bytes (401), JSON (400), the receipts (400, each problem named by its path), then one set-based
 * write and a stats recount scheduled per campaign touched. The whole request counts as a receipts
 * batch in flight (the recount waits for the stream to go quiet).
 */
export const handleReceiptWebhook = (args: { payload: Payload; raw: Uint8Array; signature: null | string | string[] | undefined }): Promise<ReceiptWebhookAnswer> =>
  whileReceiptBatchInFlight(args.payload, () => answerReceipts(args))

const answerReceipts = async ({
  payload,
  raw,
  signature,
}: {
  payload: Payload
  raw: Uint8Array
  signature: null | string | string[] | undefined
}): Promise<ReceiptWebhookAnswer> => {
  const { webhookSecret } = campaignVendorOf(payload)
  if (!verifyReceiptSignature({ body: raw, secret: webhookSecret, signature: Array.isArray(signature) ? null : signature })) {
    return fail(401, 'Missing or invalid X-Signature: expected sha256=<hex HMAC-SHA256 of the raw body> with the webhook secret.')
  }
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(raw))
  } catch (err) {
    return fail(400, `Malformed JSON body: ${(err as Error).message}`, 'body')
  }
  const parsed = parseReceiptBatchFast(json)
  if (!parsed.isValid) return { body: { errors: parsed.errors.map((error) => ({ location: 'body', message: error.message })) }, status: 400 }
  const result = await applyReceipts({ payload, receipts: parsed.batch.receipts })
  for (const campaignId of result.campaignIds) scheduleRollUp({ campaignId, payload, quietMs: RECOUNT_QUIET_MS })
  return { body: { matched: result.matched, received: parsed.batch.receipts.length, unknownReferences: result.unknownReferences }, status: 200 }
}

/** Where the CRM server answers the webhook ahead of Payload's router (the endpoint's REST path). */
export const RECEIPT_WEBHOOK_PATH = '/api/communication-logs/receipts'

/** True when this Payload instance serves the receipts endpoint (the plugin is on and has the logs collection). */
export const servesReceiptWebhook = (payload: Payload): boolean => {
  const endpoints = payload.collections['communication-logs']?.config.endpoints
  return Array.isArray(endpoints) && endpoints.some((endpoint) => endpoint.path === '/receipts' && endpoint.method === 'post')
}
