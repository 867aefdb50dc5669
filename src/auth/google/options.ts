import type { Role } from '../../access/roles.js'

import { DEFAULT_ROLE, ROLES } from '../../access/roles.js'
import { isLoopbackHost } from '../../config/loopbackOrigins.js'
import { normalizeEmail } from '../../domain/auth/googleAdmission.js'

export const GOOGLE_ISSUER = 'https://accounts.google.com'

/** Google sign-in settings (`crmPlugin({ google })`; the app reads them from `GOOGLE_*`). */
export type GoogleSignInOptions = {
  /** Domains whose Workspace accounts may sign in and be provisioned (`GOOGLE_ALLOWED_DOMAINS`). */
  allowedDomains?: string[]
  /** Addresses that may sign in and be provisioned (`GOOGLE_ALLOWED_EMAILS`). */
  allowedEmails?: string[]
  clientId: string
  clientSecret: string
  /**
   * OpenID issuer (`GOOGLE_ISSUER`). Plain `http` only for a loopback host (a local fake provider in tests).
   * @default 'https://accounts.google.com'
   */
  issuer?: string
  /**
   * Role of a user provisioned by their first Google sign-in (`GOOGLE_ROLE`); the very first user is admin.
   * @default 'viewer'
   */
  role?: Role
}

export type SanitizedGoogleOptions = {
  allowedDomains: string[]
  allowedEmails: string[]
  clientId: string
  clientSecret: string
  issuer: string
  role: Role
}

const fail = (message: string): never => {
  throw new Error(`crmPlugin: google.${message}`)
}

/** Checks the issuer URL: https, or http on a loopback host only. Returns it without a trailing slash. */
export const checkIssuer = (issuer: string): string => {
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    return fail(`issuer (GOOGLE_ISSUER) must be a URL (got "${issuer}")`)
  }
  if (url.protocol === 'https:') return issuer.replace(/\/$/, '')
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return issuer.replace(/\/$/, '')
  return fail(`issuer (GOOGLE_ISSUER) must use https; plain http is accepted only for localhost, 127.0.0.1 and [::1] (got "${issuer}")`)
}

/** Fills in defaults and rejects a half-configured Google sign-in with a message naming the setting. */
export const sanitizeGoogleOptions = (options: GoogleSignInOptions | undefined): null | SanitizedGoogleOptions => {
  if (!options) return null
  const clientId = options.clientId?.trim()
  const clientSecret = options.clientSecret?.trim()
  if (!clientId) fail('clientId (GOOGLE_CLIENT_ID) is required')
  if (!clientSecret) fail('clientSecret (GOOGLE_CLIENT_SECRET) is required when GOOGLE_CLIENT_ID is set')
  const role = options.role ?? DEFAULT_ROLE
  if (!(ROLES as readonly string[]).includes(role)) fail(`role (GOOGLE_ROLE) must be one of ${ROLES.join(', ')} (got "${role}")`)
  const allowedEmails = (options.allowedEmails ?? []).map(normalizeEmail).filter(Boolean)
  for (const email of allowedEmails) if (!/^[^@\s]+@[^@\s]+$/.test(email)) fail(`allowedEmails (GOOGLE_ALLOWED_EMAILS): "${email}" is not an email address`)
  const allowedDomains = (options.allowedDomains ?? []).map((domain) => domain.trim().toLowerCase().replace(/^@/, '')).filter(Boolean)
  for (const domain of allowedDomains) if (!/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(domain)) fail(`allowedDomains (GOOGLE_ALLOWED_DOMAINS): "${domain}" is not a domain`)
  return {
    allowedDomains,
    allowedEmails,
    clientId: clientId!,
    clientSecret: clientSecret!,
    issuer: checkIssuer(options.issuer?.trim() || GOOGLE_ISSUER),
    role,
  }
}
