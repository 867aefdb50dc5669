import { createHmac, timingSafeEqual } from 'node:crypto'

/** The header that carries a receipt batch's signature. */
export const SIGNATURE_HEADER = 'x-signature'

const SIGNATURE_RE = /^sha256=([0-9a-f]{64})$/i

const digestOf = (body: string | Uint8Array, secret: string): Buffer => createHmac('sha256', secret).update(body).digest()

/**
 * The `X-Signature` value for a raw request body: `sha256=<hex HMAC-SHA256 of the body>`. Sign the
 * exact bytes sent (a string is taken as UTF-8).
 */
export const signReceiptBody = ({ body, secret }: { body: string | Uint8Array; secret: string }): string =>
  `sha256=${digestOf(body, secret).toString('hex')}`

/**
 * `true` when `signature` (the `X-Signature` header as received) is the HMAC of the raw `body` with
 * the secret, or with any of the secrets during a rotation. Compares in constant time; a missing,
 * repeated, malformed or empty-secret header is simply `false`. Verify the raw bytes, before any
 * JSON parsing.
 */
export const verifyReceiptSignature = ({
  body,
  secret,
  signature,
}: {
  body: string | Uint8Array
  secret: readonly string[] | string
  signature: readonly string[] | null | string | undefined
}): boolean => {
  if (typeof signature !== 'string') return false
  const match = SIGNATURE_RE.exec(signature.trim())
  if (!match) return false
  const given = Buffer.from(match[1]!, 'hex')
  let isValid = false
  for (const candidate of typeof secret === 'string' ? [secret] : secret) {
    // No early exit: the time taken does not tell which secret matched.
    if (candidate && timingSafeEqual(given, digestOf(body, candidate))) isValid = true
  }
  return isValid
}

/**
 * The receipt secret to use when `VENDOR_WEBHOOK_SECRET` is unset: derived from the Payload secret,
 * so every process sharing it (server, bundled simulator, `npm run vendor` in the same checkout)
 * agrees without configuration, and the Payload secret itself never leaves the process.
 */
export const deriveWebhookSecret = ({ secret }: { secret: string }): string => createHmac('sha256', secret).update('mini-crm:vendor-webhook').digest('hex')
