import type { Express } from 'express'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

import { randomBytes, randomInt } from 'node:crypto'

import type { VendorBehaviour, VendorBehaviourPatch } from './vendorOptions.js'
import type { ReferenceAttempts, VendorStats } from './vendorStats.js'

import { createRandom } from '../domain/seed/random.js'
import { createVendorApp } from './createVendorApp.js'
import { createReceiptDispatcher } from './receiptDispatcher.js'
import { DEFAULT_VENDOR_BEHAVIOUR, describeIssues, mergeVendorBehaviour, vendorBehaviourPatchSchema } from './vendorOptions.js'
import { createVendorState } from './vendorState.js'

/** Options of `createVendorSimulator`. */
export type VendorSimulatorOptions = {
  /** Behaviour overrides (rates, delays, dedup…); see `VendorBehaviour`. Defaults: `DEFAULT_VENDOR_BEHAVIOUR`. */
  behaviour?: VendorBehaviourPatch
  /** Where receipts are posted, e.g. `http://127.0.0.1:3000/api/communication-logs/receipts`; unset = nowhere (counted as dropped). */
  callbackUrl?: string
  /** @default '127.0.0.1' */
  host?: string
  /** Called with a line for each notable event (dropped receipts). */
  log?: (message: string) => void
  /** @default 0 (any free port) */
  port?: number
  /** Seed of the random source (outcomes, delays, injected faults): the same seed and requests give the same outcomes. @default random */
  seed?: number
  /** The receipt signing secret (`VENDOR_WEBHOOK_SECRET`; the CRM verifies with the same). */
  webhookSecret: string
}

/** A running simulator. */
export type VendorSimulator = {
  app: Express
  /** One reference's attempts (before de-duplication), sends and message ids. */
  attemptsOf: (reference: string) => ReferenceAttempts
  /** Stops listening, stops receipt callbacks (pending ones are forgotten). */
  close: () => Promise<void>
  /** Changes the behaviour now, like `PATCH /config`; throws on an invalid combination. */
  configure: (patch: VendorBehaviourPatch) => VendorBehaviour
  /** Forgets counters, de-duplication memory and pending receipts, like `POST /reset`. */
  reset: () => void
  server: Server
  /** The live counters (a snapshot copy). */
  stats: () => VendorStats
  /** Base URL, e.g. `http://127.0.0.1:41234` (messages go to `<url>/messages`). */
  url: string
  /** Resolves once every receipt so far has been delivered or dropped. */
  whenIdle: () => Promise<void>
}

const merge = (base: VendorBehaviour, patch: VendorBehaviourPatch): VendorBehaviour => {
  const parsed = vendorBehaviourPatchSchema.safeParse(patch)
  if (!parsed.success) throw new Error(`Invalid vendor simulator behaviour: ${describeIssues(parsed.error).map((issue) => issue.message).join('; ')}`)
  const merged = mergeVendorBehaviour({ base, patch: parsed.data })
  if ('errors' in merged) throw new Error(`Invalid vendor simulator behaviour: ${merged.errors.join('; ')}`)
  return merged.behaviour
}

/**
 * Starts the vendor simulator (an Express app) on `host:port`: it accepts message batches at once and
 * reports outcomes later to `callbackUrl` in signed receipt batches, with retries. See docs/campaigns.md.
 */
export const createVendorSimulator = async (options: VendorSimulatorOptions): Promise<VendorSimulator> => {
  if (!options.webhookSecret) throw new Error('The vendor simulator needs a webhookSecret to sign receipts')
  let behaviour = merge(DEFAULT_VENDOR_BEHAVIOUR, options.behaviour ?? {})
  const random = createRandom(options.seed ?? randomInt(2 ** 31))
  const state = createVendorState({ behaviour: () => behaviour, idPrefix: `msg_${randomBytes(4).toString('hex')}_`, random })
  const dispatcher = createReceiptDispatcher({
    behaviour: () => behaviour,
    callbackUrl: options.callbackUrl,
    log: options.log,
    secret: options.webhookSecret,
    stats: () => state.stats,
  })
  const app = createVendorApp({ behaviour: () => behaviour, dispatcher, random, setBehaviour: (next) => (behaviour = next), state })
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(listening)))
    listening.once('error', reject)
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    app,
    attemptsOf: (reference) => state.attemptsOf(reference),
    close: async () => {
      dispatcher.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    configure: (patch) => (behaviour = merge(behaviour, patch)),
    reset: () => {
      dispatcher.clear()
      state.reset()
    },
    server,
    stats: () => structuredClone(state.stats),
    url: `http://${host}:${address.port}`,
    whenIdle: () => dispatcher.whenIdle(),
  }
}
