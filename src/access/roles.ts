/** Roles a CRM user can hold; the first registered user is made `admin`. */
export const ROLES = ['admin', 'marketer', 'viewer'] as const

export type Role = (typeof ROLES)[number]

export const DEFAULT_ROLE: Role = 'viewer'

type MaybeUser = { collection?: string; roles?: null | readonly string[] } | null | undefined

export const hasRole = (user: MaybeUser, ...roles: Role[]): boolean =>
  Boolean(user && Array.isArray(user.roles) && user.roles.some((role) => (roles as string[]).includes(role)))
