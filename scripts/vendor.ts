/**
 * `npm run vendor`: the vendor simulator as its own process (see docs/campaigns.md).
 *
 *   npm run vendor -- [--port 4010] [--host 127.0.0.1] [--callback-url URL] [--seed N] [--no-dedup]
 *                     [--failure-rate 0.1] [--behaviour '{"rateLimitRate":0.05,"lateRate":0.1}']
 *
 * The port defaults to VENDOR_URL's, else 4010; receipts go to `<PUBLIC_URL or http://localhost:PORT>/api/communication-logs/receipts`,
 * signed with VENDOR_WEBHOOK_SECRET (or the secret derived from PAYLOAD_SECRET / the stored ./data secret,
 * as the CRM server does). Point the CRM at it with VENDOR_URL=http://127.0.0.1:4010.
 */
import { parseArgs } from 'node:util'

import { readVendorEnv } from '../src/env.js'
import { applyHeapPolicy } from '../src/server/heapPolicy.js'
import { createVendorSimulator } from '../src/vendor/createVendorSimulator.js'
import { vendorBehaviourPatchSchema } from '../src/vendor/vendorOptions.js'

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`)
  process.exit(2)
}

const { values } = parseArgs({
  options: {
    behaviour: { type: 'string' },
    'callback-url': { type: 'string' },
    'failure-rate': { type: 'string' },
    host: { default: '127.0.0.1', type: 'string' },
    'no-dedup': { default: false, type: 'boolean' },
    port: { type: 'string' },
    seed: { type: 'string' },
  },
})

try {
  applyHeapPolicy()
} catch (err) {
  fail((err as Error).message)
}
const env = readVendorEnv()
const webhookSecret = env.webhookSecret ?? fail('Set VENDOR_WEBHOOK_SECRET (the same value as the CRM server), or PAYLOAD_SECRET, to sign receipts.')
const port = Number(values.port ?? (env.vendorUrl ? new URL(env.vendorUrl).port || 80 : 4010))
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a TCP port number (got "${values.port}")`)
const seed = values.seed === undefined ? undefined : Number(values.seed)
if (seed !== undefined && !Number.isInteger(seed)) fail(`--seed must be an integer (got "${values.seed}")`)

let extra: unknown = {}
try {
  extra = values.behaviour ? JSON.parse(values.behaviour) : {}
} catch {
  fail('--behaviour must be a JSON object, e.g. \'{"rateLimitRate":0.05}\'')
}
const behaviour = vendorBehaviourPatchSchema.safeParse({
  ...(extra as object),
  ...(values['no-dedup'] ? { dedup: false } : {}),
  ...(values['failure-rate'] === undefined ? {} : { failureRate: Number(values['failure-rate']) }),
})
if (!behaviour.success) fail(`Invalid behaviour: ${behaviour.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`)

const callbackUrl = values['callback-url'] ?? `${env.crmUrl}/api/communication-logs/receipts`
const simulator = await createVendorSimulator({
  behaviour: behaviour.data,
  callbackUrl,
  host: values.host,
  log: (message) => process.stderr.write(`${message}\n`),
  port,
  seed,
  webhookSecret,
}).catch((err: NodeJS.ErrnoException) => fail(err.code === 'EADDRINUSE' ? `Port ${port} is already in use: pass --port` : `Cannot start: ${err.message}`))

process.stdout.write(`Vendor simulator on ${simulator.url} (POST /messages; GET /stats, /attempts, /config); receipts to ${callbackUrl}\n`)
const stop = () => void simulator.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
