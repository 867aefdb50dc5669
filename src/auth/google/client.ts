import * as oidc from 'openid-client'

import type { SanitizedGoogleOptions } from './options.js'

import { isLoopbackHost } from '../../config/loopbackOrigins.js'

/** Seconds before a request to the provider (discovery, token, keys) is given up. */
const PROVIDER_TIMEOUT_SECONDS = 10

const cache = new Map<string, Promise<oidc.Configuration>>()

/**
 * The provider's configuration from its discovery document, cached per issuer and client (a failed
 * discovery is not cached: the next sign-in tries again). ID-token signatures are always checked
 * against the provider's JWKS (`enableNonRepudiationChecks`; openid-client skips that by default for
 * tokens fetched over TLS). Plain http is allowed only for a loopback issuer (`checkIssuer`).
 */
export const googleClient = (options: SanitizedGoogleOptions): Promise<oidc.Configuration> => {
  const key = `${options.issuer}\n${options.clientId}`
  const cached = cache.get(key)
  if (cached) return cached
  const issuer = new URL(options.issuer)
  const insecure = issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname)
  const pending = oidc
    .discovery(issuer, options.clientId, undefined, oidc.ClientSecretPost(options.clientSecret), {
      execute: insecure ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] : [oidc.enableNonRepudiationChecks],
      timeout: PROVIDER_TIMEOUT_SECONDS,
    })
    .catch((err: unknown) => {
      cache.delete(key)
      throw err
    })
  cache.set(key, pending)
  return pending
}

export { oidc }
