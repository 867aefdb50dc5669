/**
 * Who may enter through Google sign-in: pure rules, no Payload. The identity provider has already
 * proven the claims (signature, issuer, audience, expiry); this decides whether the person is let in.
 */

export type GoogleIdentityClaims = {
  email?: unknown
  email_verified?: unknown
  /** Google Workspace domain of the account (absent for consumer accounts). */
  hd?: unknown
  sub?: unknown
}

export type AdmissionPolicy = {
  /** Lower-case domains; a person matches when both the `hd` claim and the email's domain are one of them. */
  allowedDomains: readonly string[]
  /** Lower-case addresses. */
  allowedEmails: readonly string[]
}

export type Admission =
  /** Allowed to sign in, and to be provisioned when no user has this email yet. */
  | { email: string; kind: 'allowed' }
  /** Not on any allow list: may sign in only as a user who already exists. */
  | { email: string; kind: 'existingOnly' }
  | { kind: 'rejected'; reason: string }

export const normalizeEmail = (email: string): string => email.trim().toLowerCase()

/** Splits a comma (or whitespace) separated list into trimmed lower-case entries, dropping empties and a leading `@`. */
export const parseList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(/[\s,]+/)
    .map((item) => item.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean)

const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1)

/**
 * Decides from verified ID-token claims. An unverified or missing email is always rejected. With an
 * allow list configured, a person on it is `allowed`; anyone else is `existingOnly` (an admin may have
 * created their user by hand). With no list at all, everyone is `existingOnly`.
 */
export const decideAdmission = (claims: GoogleIdentityClaims, policy: AdmissionPolicy): Admission => {
  if (typeof claims.email !== 'string' || !claims.email.includes('@')) {
    return { kind: 'rejected', reason: 'Your Google account did not share an email address.' }
  }
  const email = normalizeEmail(claims.email)
  // Google sends a boolean; some providers send the string "true".
  if (claims.email_verified !== true && claims.email_verified !== 'true') {
    return { kind: 'rejected', reason: `The email address ${email} is not verified by Google.` }
  }
  if (policy.allowedEmails.includes(email)) return { email, kind: 'allowed' }
  if (policy.allowedDomains.length > 0) {
    const hd = typeof claims.hd === 'string' ? claims.hd.toLowerCase() : undefined
    const domain = domainOf(email)
    if (hd && policy.allowedDomains.includes(hd) && policy.allowedDomains.includes(domain)) return { email, kind: 'allowed' }
  }
  return { email, kind: 'existingOnly' }
}

/** The sentence shown to someone who is neither on an allow list nor an existing user. */
export const notAllowedReason = (email: string, policy: AdmissionPolicy): string =>
  policy.allowedDomains.length === 0 && policy.allowedEmails.length === 0
    ? `${email} has no account here. Ask an administrator to create one; Google sign-in only admits existing users.`
    : `${email} is not allowed to sign in here${policy.allowedDomains.length > 0 ? ` (allowed domains: ${policy.allowedDomains.join(', ')})` : ''}. Ask an administrator for access.`
