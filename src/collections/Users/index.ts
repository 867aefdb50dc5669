import type { CollectionConfig } from 'payload'

import { isAdmin, isAdminField } from '../../access/isAdmin.js'
import { isAdminOrSelf } from '../../access/isAdminOrSelf.js'
import { DEFAULT_ROLE, ROLES } from '../../access/roles.js'
import { SLUGS } from '../slugs.js'
import { assignFirstUserAdmin } from './hooks/assignFirstUserAdmin.js'
import { explainFirstUserConflict } from './hooks/explainFirstUserConflict.js'

/**
 * CRM users: local email/password, Payload API keys for headless clients, and roles.
 * The first user ever created becomes `admin`; admins manage everyone else.
 */
export const createUsersCollection = (): CollectionConfig => ({
  slug: SLUGS.users,
  access: {
    admin: ({ req }) => Boolean(req.user),
    create: isAdmin,
    delete: isAdmin,
    read: isAdminOrSelf,
    update: isAdminOrSelf,
  },
  admin: {
    defaultColumns: ['email', 'name', 'roles'],
    group: 'Settings',
    useAsTitle: 'email',
  },
  auth: {
    maxLoginAttempts: 10,
    tokenExpiration: 60 * 60 * 8,
    useAPIKey: true,
  },
  fields: [
    { name: 'name', type: 'text' },
    {
      name: 'roles',
      type: 'select',
      access: { create: isAdminField, update: isAdminField },
      defaultValue: [DEFAULT_ROLE],
      hasMany: true,
      options: ROLES.map((role) => ({ label: role[0]!.toUpperCase() + role.slice(1), value: role })),
      required: true,
      saveToJWT: true,
    },
    {
      // true on the first user only, null on everyone else: its unique index lets exactly one
      // concurrent first registration succeed (see assignFirstUserAdmin).
      name: 'firstUser',
      type: 'checkbox',
      access: { create: () => false, update: () => false },
      hidden: true,
      unique: true,
    },
  ],
  hooks: {
    afterError: [explainFirstUserConflict],
    beforeChange: [assignFirstUserAdmin],
  },
})
