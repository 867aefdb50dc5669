import type { CollectionConfig } from 'payload'

import { isAdmin } from '../../access/isAdmin.js'
import { isAdminOrSelf } from '../../access/isAdminOrSelf.js'
import { createFirstUserField } from './fields/firstUserField.js'
import { createRolesField } from './fields/rolesField.js'
import { assignFirstUserAdmin } from './hooks/assignFirstUserAdmin.js'
import { explainFirstUserConflict } from './hooks/explainFirstUserConflict.js'

/**
 * CRM users, added when the host config has no auth collection of its own: local email/password,
 * Payload API keys for headless clients, and roles. The first user ever created becomes `admin`;
 * admins manage everyone else.
 */
export const createUsersCollection = ({ secureCookies = false, slug }: { secureCookies?: boolean; slug: string }): CollectionConfig => ({
  slug,
  access: {
    admin: ({ req }) => Boolean(req.user),
    create: isAdmin,
    delete: isAdmin,
    read: isAdminOrSelf,
    // Payload's default lets any signed-in user unlock any account, undoing the login throttle.
    unlock: isAdmin,
    update: isAdminOrSelf,
  },
  admin: {
    defaultColumns: ['email', 'name', 'roles'],
    group: 'Settings',
    useAsTitle: 'email',
  },
  auth: {
    // Session cookie: HttpOnly and SameSite=Lax (Payload's defaults), Secure when PUBLIC_URL is https.
    cookies: { sameSite: 'Lax', secure: secureCookies },
    // Throttling: after 10 wrong passwords in a row the account is locked for 10 minutes (Payload's own).
    lockTime: 10 * 60 * 1000,
    maxLoginAttempts: 10,
    tokenExpiration: 60 * 60 * 8,
    useAPIKey: true,
  },
  fields: [{ name: 'name', type: 'text' }, createRolesField(), createFirstUserField()],
  hooks: {
    afterError: [explainFirstUserConflict],
    beforeChange: [assignFirstUserAdmin],
  },
})
