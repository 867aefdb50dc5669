import type { Access } from 'payload'

import { hasRole } from './roles.js'

/** Admins see and edit every user; everyone else only their own account. */
export const isAdminOrSelf: Access = ({ req }) => {
  if (!req.user) return false
  if (hasRole(req.user, 'admin')) return true
  return { id: { equals: req.user.id } }
}
