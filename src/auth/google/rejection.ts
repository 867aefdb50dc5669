import { oidc } from './client.js'

/** A sign-in refused for a reason the person can read. */
export class Rejection extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** Error-like, whatever realm it came from (fetch errors are created by Node's own undici). */
const isError = (value: unknown): value is Error =>
  typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).name === 'string'

/** Maps what openid-client throws to a reason and status; never its stack. */
export const explainProviderError = (err: unknown): Rejection => {
  if (err instanceof Rejection) return err
  if (err instanceof oidc.ResponseBodyError) {
    const detail = err.error_description ? `: ${err.error_description}` : ''
    return new Rejection(400, `Google refused the sign-in (${err.error}${detail}). The code may have been used already or expired: start again.`)
  }
  if (err instanceof oidc.AuthorizationResponseError) {
    const detail = err.error_description ? `: ${err.error_description}` : ''
    return new Rejection(400, `Google did not sign you in (${err.error}${detail}).`)
  }
  // openid-client wraps the failure (ClientError) around its cause; read the whole chain.
  const chain: Error[] = []
  for (let cause: unknown = err; isError(cause) && chain.length < 5; cause = cause.cause) chain.push(cause)
  const network = chain.some(
    (cause) => cause.name === 'TimeoutError' || cause.name === 'AbortError' || (cause.name === 'TypeError' && /fetch failed/i.test(cause.message)),
  )
  if (network) return new Rejection(502, 'Google sign-in is unavailable right now (the identity provider did not answer). Try again in a minute.')
  // Validation failures of the response or the ID token (issuer, audience, expiry, nonce, signature).
  const code = (chain[0] as { code?: unknown } | undefined)?.code
  if (typeof code === 'string' && code.startsWith('OAUTH_')) {
    const detail = chain[chain.length - 1]!.message
    return new Rejection(401, `The answer from Google failed validation: ${detail}. Start again.`)
  }
  return new Rejection(500, '')
}
