import type { Field } from 'payload'

import { isAdminField } from '../../../access/isAdmin.js'
import { DEFAULT_ROLE, ROLES } from '../../../access/roles.js'

/**
 * The CRM `roles` field, on our own `users` collection or added to a host's auth collection. Saved to
 * the JWT so access checks need no extra query; only CRM admins may set it.
 */
export const createRolesField = (): Field => ({
  name: 'roles',
  type: 'select',
  access: { create: isAdminField, update: isAdminField },
  defaultValue: [DEFAULT_ROLE],
  hasMany: true,
  options: ROLES.map((role) => ({ label: role[0]!.toUpperCase() + role.slice(1), value: role })),
  required: true,
  saveToJWT: true,
})
