import type { Payload } from 'payload'

import { deriveWebhookSecret } from '../domain/campaigns/receiptSignature.js'
import { readVendorEnv } from '../env.js'

/** Where this process sends messages and which secret receipts are signed with. */
export type CampaignVendor = { url: string; webhookSecret: string }

// Keyed by Payload instance so several instances (tests) never share a vendor.
const links = new WeakMap<Payload, CampaignVendor>()

/** Registers the vendor of a Payload instance (`npm start` does, with the bundled simulator). */
export const setCampaignVendor = (payload: Payload, vendor: CampaignVendor | null): void => {
  if (vendor) links.set(payload, vendor)
  else links.delete(payload)
}

/**
 * The vendor registered for this instance, else VENDOR_URL and VENDOR_WEBHOOK_SECRET (the secret
 * defaults to one derived from the Payload secret). `url` is undefined when neither is known.
 */
export const campaignVendorOf = (payload: Payload): { url?: string; webhookSecret: string } => {
  const registered = links.get(payload)
  if (registered) return registered
  const env = readVendorEnv()
  return { url: env.vendorUrl, webhookSecret: env.webhookSecretSet || deriveWebhookSecret({ secret: payload.secret }) }
}
