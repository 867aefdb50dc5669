import type { CollectionConfig } from 'payload'

import { assignFirstUserAdmin } from './hooks/assignFirstUserAdmin.js'
import { createRolesField } from './fields/rolesField.js'

/**
 * What the plugin adds to a host's own auth collection: the `roles` field (unless it already has one)
 * and, unless `disabled`, the first-user-admin hook next to the host's own hooks. Nothing else of the
 * host's collection changes.
 */
export const addCrmRoles = ({ collection, disabled }: { collection: CollectionConfig; disabled: boolean }): CollectionConfig => {
  const hasRoles = collection.fields.some((field) => 'name' in field && field.name === 'roles')
  const fields = hasRoles ? collection.fields : [...collection.fields, createRolesField()]
  if (disabled) return { ...collection, fields }
  return {
    ...collection,
    fields,
    hooks: { ...collection.hooks, beforeChange: [...(collection.hooks?.beforeChange ?? []), assignFirstUserAdmin] },
  }
}
