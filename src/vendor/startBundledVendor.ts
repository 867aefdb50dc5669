import type { VendorEnv } from '../env.js'
import type { VendorSimulator } from './createVendorSimulator.js'

import { deriveWebhookSecret } from '../domain/campaigns/receiptSignature.js'
import { createVendorSimulator } from './createVendorSimulator.js'

/** The vendor the CRM talks to: its URL, the receipt secret, and the bundled simulator if one was started. */
export type VendorLink = {
  /** Stops the bundled simulator (nothing to do for an external vendor). */
  close: () => Promise<void>
  /** The simulator started in this process, when VENDOR_URL is unset. */
  simulator?: VendorSimulator
  /** Base URL; messages go to `<url>/messages`. */
  url: string
  /** The secret receipts are signed with (the receipts endpoint verifies with it). */
  webhookSecret: string
}

/**
 * `npm start`'s vendor: VENDOR_URL when set, else the bundled simulator on a free loopback port,
 * calling receipts back to this server on loopback (`http://127.0.0.1:<crmPort>/api/communication-logs/receipts`).
 * The secret is VENDOR_WEBHOOK_SECRET, else one derived from the Payload secret.
 */
export const startBundledVendor = async ({
  crmPort,
  log,
  payloadSecret,
  vendorEnv,
}: {
  crmPort: number
  log?: (message: string) => void
  payloadSecret: string
  vendorEnv: VendorEnv
}): Promise<VendorLink> => {
  const webhookSecret = vendorEnv.webhookSecret ?? deriveWebhookSecret({ secret: payloadSecret })
  if (vendorEnv.vendorUrl) return { close: async () => undefined, url: vendorEnv.vendorUrl, webhookSecret }
  const simulator = await createVendorSimulator({
    callbackUrl: `http://127.0.0.1:${crmPort}/api/communication-logs/receipts`,
    log,
    webhookSecret,
  })
  log?.(`Vendor simulator (bundled, VENDOR_URL unset) on ${simulator.url}`)
  return { close: simulator.close, simulator, url: simulator.url, webhookSecret }
}
