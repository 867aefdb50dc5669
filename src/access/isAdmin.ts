import type { Access, FieldAccess } from 'payload'

import { hasRole } from './roles.js'

/** Only admins (user management, destructive operations). */
export const isAdmin: Access = ({ req }) => hasRole(req.user, 'admin')

export const isAdminField: FieldAccess = ({ req }) => hasRole(req.user, 'admin')
