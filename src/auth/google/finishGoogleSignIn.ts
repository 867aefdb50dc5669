import type { PayloadRequest } from 'payload'

import type { SanitizedGoogleOptions } from './options.js'

import { decideAdmission, notAllowedReason } from '../../domain/auth/googleAdmission.js'
import { googleClient, oidc } from './client.js'
import { openFlow } from './flowCookie.js'
import { issuePayloadSession } from './issueSession.js'
import { findOrProvisionUser } from './provisionUser.js'
import { Rejection } from './rejection.js'

/**
 * The callback's work: checks the flow cookie and the returned `state`, exchanges the code with the
 * PKCE verifier (openid-client checks the ID token: signature against the JWKS, iss, aud, exp, nonce),
 * applies the admission rules, finds or provisions the user and issues a Payload session. Throws a
 * `Rejection` (or openid-client's error, see `explainProviderError`) when the sign-in is refused.
 */
export const finishGoogleSignIn = async ({
  callbackUrl,
  flowCookie,
  google,
  req,
  slug,
}: {
  /** The registered redirect URI (`<PUBLIC_URL>/api/<users>/oauth/google/callback`). */
  callbackUrl: string
  flowCookie: string | undefined
  google: SanitizedGoogleOptions
  req: PayloadRequest
  slug: string
}): Promise<{ cookie: string }> => {
  const policy = { allowedDomains: google.allowedDomains, allowedEmails: google.allowedEmails }
  const opened = openFlow(flowCookie, req.payload.secret)
  if (!opened.ok) throw new Rejection(400, opened.reason)
  const { nonce, state, verifier } = opened.flow
  if (!state || !nonce) throw new Rejection(400, 'The sign-in cookie does not hold the expected state and nonce. Start again.')
  if (!verifier) throw new Rejection(400, 'The sign-in cookie holds no PKCE code verifier. Start again.')
  const search = new URL(req.url ?? callbackUrl, 'http://localhost').search
  const returned = new URLSearchParams(search).get('state')
  if (returned !== state) {
    throw new Rejection(400, returned ? 'The state returned by Google does not match this browser’s sign-in (possible forged request). Start again.' : 'Google returned no state. Start again.')
  }
  const config = await googleClient(google)
  const tokens = await oidc.authorizationCodeGrant(config, new URL(`${callbackUrl}${search}`), {
    expectedNonce: nonce,
    expectedState: state,
    idTokenExpected: true,
    pkceCodeVerifier: verifier,
  })
  const claims = tokens.claims()
  if (!claims) throw new Rejection(401, 'Google returned no ID token.')
  const admission = decideAdmission(claims, policy)
  if (admission.kind === 'rejected') throw new Rejection(403, admission.reason)
  const name = typeof claims.name === 'string' ? claims.name : undefined
  const user = await findOrProvisionUser({ admission, name, req, role: google.role, slug })
  if (user.id === null) throw new Rejection(403, notAllowedReason(admission.email, policy))
  if (user.created) req.payload.logger.info({ msg: `Google sign-in provisioned ${admission.email} (${google.role} unless first user)` })
  return issuePayloadSession({ collectionSlug: slug, req, userId: user.id })
}
