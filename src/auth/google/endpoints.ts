import type { Endpoint, PayloadRequest } from 'payload'

import { generateCookie, parseCookies } from 'payload/shared'

import type { SanitizedGoogleOptions } from './options.js'

import { defineEndpoint } from '../../endpoints/defineEndpoint.js'
import { googleClient, oidc } from './client.js'
import { finishGoogleSignIn } from './finishGoogleSignIn.js'
import { FLOW_MAX_AGE_SECONDS, sealFlow } from './flowCookie.js'
import { continuePage, rejectionPage } from './pages.js'
import { explainProviderError, Rejection } from './rejection.js'

export const GOOGLE_START_PATH = '/oauth/google'
export const GOOGLE_CALLBACK_PATH = '/oauth/google/callback'

type Urls = { admin: string; callback: string; cookiePath: string; login: string; start: string }

/** Public URLs of the flow: from `serverURL` (PUBLIC_URL), else from the request's own origin. */
const urlsOf = (req: PayloadRequest, slug: string): Urls => {
  const { routes, serverURL } = req.payload.config
  const origin = serverURL || new URL(req.url ?? 'http://localhost').origin
  const base = `${routes.api}/${slug}${GOOGLE_START_PATH}`
  return {
    admin: routes.admin || '/',
    callback: `${origin}${base}/callback`,
    cookiePath: base,
    login: `${routes.admin}/login`,
    start: `${origin}${base}`,
  }
}

const isSecure = (req: PayloadRequest): boolean => (req.payload.config.serverURL || req.url || '').startsWith('https:')

const flowCookieName = (req: PayloadRequest): string => `${req.payload.config.cookiePrefix}-google-flow`

/** The flow cookie: HttpOnly, Lax (sent on the provider's top-level redirect back), scoped to the flow's paths. */
const flowCookie = (req: PayloadRequest, urls: Urls, value: string, maxAge: number): string => {
  const cookie = generateCookie({
    name: flowCookieName(req),
    httpOnly: true,
    path: urls.cookiePath,
    returnCookieAsObject: false,
    sameSite: 'Lax',
    secure: isSecure(req),
    value,
  }) as string
  // Payload's generateCookie writes Max-Age only when positive; an expired cookie needs Max-Age=0.
  return `${cookie}; Max-Age=${maxAge}`
}

const clearFlowCookie = (req: PayloadRequest, urls: Urls): string => flowCookie(req, urls, '', 0)

/** `GET /api/<users>/oauth/google` and its callback, for the auth collection `slug`. */
export const createGoogleEndpoints = ({ google, slug }: { google: SanitizedGoogleOptions; slug: string }): Endpoint[] => {
  const start = defineEndpoint({
    auth: 'public',
    description:
      'Starts Google sign-in (OpenID Connect code flow with PKCE): sets a short-lived signed HttpOnly cookie holding state, nonce and the PKCE verifier, and redirects to Google.',
    handler: async ({ req }) => {
      const urls = urlsOf(req, slug)
      let config: oidc.Configuration
      try {
        config = await googleClient(google)
      } catch (err) {
        const rejection = explainProviderError(err)
        req.payload.logger.warn({ err, msg: 'Google sign-in: provider discovery failed' })
        return rejectionPage({ loginUrl: urls.login, reason: rejection.message || 'Google sign-in failed.', status: rejection.status === 500 ? 502 : rejection.status })
      }
      const flow = { nonce: oidc.randomNonce(), state: oidc.randomState(), verifier: oidc.randomPKCECodeVerifier() }
      const params: Record<string, string> = {
        code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        nonce: flow.nonce,
        redirect_uri: urls.callback,
        response_type: 'code',
        scope: 'openid email profile',
        state: flow.state,
      }
      // A single allowed domain narrows Google's account chooser to it (a hint only: the callback checks).
      if (google.allowedDomains.length === 1 && google.allowedEmails.length === 0) params.hd = google.allowedDomains[0]!
      const location = oidc.buildAuthorizationUrl(config, params)
      const headers = new Headers({ 'Cache-Control': 'no-store', Location: location.href })
      headers.append('Set-Cookie', flowCookie(req, urls, sealFlow(flow, req.payload.secret), FLOW_MAX_AGE_SECONDS))
      return new Response(null, { headers, status: 302 })
    },
    method: 'get',
    operationId: 'startGoogleSignIn',
    path: GOOGLE_START_PATH,
    responses: {
      302: { description: 'Redirect to Google' },
      502: { description: 'The identity provider did not answer (HTML page)' },
    },
    summary: 'Sign in with Google',
    tags: ['Auth'],
  })

  const callback = defineEndpoint({
    auth: 'public',
    description:
      'Google redirects here. Checks state (against the flow cookie), exchanges the code with the PKCE verifier, validates the ID token (signature against the JWKS, iss, aud, exp, nonce, email_verified), admits or provisions the user and answers a same-site page that sets the Payload session cookie and moves on to the admin. Refusals are HTML pages with the reason.',
    handler: async ({ req }) => {
      const urls = urlsOf(req, slug)
      const clear = clearFlowCookie(req, urls)
      try {
        const session = await finishGoogleSignIn({ callbackUrl: urls.callback, flowCookie: parseCookies(req.headers).get(flowCookieName(req)), google, req, slug })
        return continuePage({ cookies: [clear, session.cookie], next: urls.admin })
      } catch (err) {
        const rejection = explainProviderError(err)
        if (rejection.status >= 500 || !(err instanceof Rejection)) req.payload.logger.warn({ err, msg: 'Google sign-in callback refused' })
        return rejectionPage({
          clearCookies: [clear],
          loginUrl: urls.login,
          reason: rejection.message || 'Something went wrong while signing you in. The error has been logged.',
          status: rejection.status,
        })
      }
    },
    method: 'get',
    operationId: 'finishGoogleSignIn',
    path: GOOGLE_CALLBACK_PATH,
    responses: {
      200: { description: 'Signed in: sets the session cookie, then moves on to the admin (HTML page)' },
      400: { description: 'Bad or forged callback: state mismatch, missing/expired flow cookie, code refused (HTML page)' },
      401: { description: 'The ID token failed validation (HTML page)' },
      403: { description: 'The Google account is not allowed in, or its email is unverified (HTML page)' },
      502: { description: 'The identity provider did not answer (HTML page)' },
    },
    summary: 'Google sign-in callback',
    tags: ['Auth'],
  })

  return [start, callback]
}
