import { createHmac, timingSafeEqual } from 'node:crypto'

/** What the start of a sign-in leaves for its callback: the values the callback must see again. */
export type GoogleFlow = {
  nonce: string
  state: string
  /** PKCE code verifier (its S256 challenge went to the provider). */
  verifier: string
}

/** How long a started sign-in may take before its callback is refused. */
export const FLOW_MAX_AGE_SECONDS = 10 * 60

const keyOf = (secret: string): Buffer => createHmac('sha256', secret).update('mini-crm google sign-in flow cookie v1').digest()

const mac = (secret: string, body: string): Buffer => createHmac('sha256', keyOf(secret)).update(body).digest()

/** `<base64url JSON>.<base64url HMAC-SHA256>`: readable, not forgeable without the server secret. */
export const sealFlow = (flow: GoogleFlow, secret: string, now = Date.now()): string => {
  const body = Buffer.from(JSON.stringify({ ...flow, exp: Math.floor(now / 1000) + FLOW_MAX_AGE_SECONDS })).toString('base64url')
  return `${body}.${mac(secret, body).toString('base64url')}`
}

export type OpenedFlow = { flow: Partial<GoogleFlow>; ok: true } | { ok: false; reason: string }

/** Checks the signature and the expiry; returns the fields as stored (the caller checks each is present). */
export const openFlow = (sealed: string | undefined, secret: string, now = Date.now()): OpenedFlow => {
  if (!sealed) return { ok: false, reason: 'The sign-in cookie is missing: it expired, or cookies are blocked. Start again.' }
  const [body, signature, extra] = sealed.split('.')
  if (!body || !signature || extra !== undefined) return { ok: false, reason: 'The sign-in cookie is malformed. Start again.' }
  const expected = mac(secret, body)
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'The sign-in cookie has a bad signature. Start again.' }
  }
  let parsed: Record<string, unknown>
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>
  } catch {
    return { ok: false, reason: 'The sign-in cookie is malformed. Start again.' }
  }
  if (typeof parsed.exp !== 'number' || parsed.exp * 1000 <= now) return { ok: false, reason: 'The sign-in took too long and expired. Start again.' }
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined)
  return { flow: { nonce: text(parsed.nonce), state: text(parsed.state), verifier: text(parsed.verifier) }, ok: true }
}
