import type { CollectionConfig } from 'payload'

import { assignFirstUserAdmin } from './hooks/assignFirstUserAdmin.js'
import { createFirstUserField } from './fields/firstUserField.js'
import { createRolesField } from './fields/rolesField.js'
import { explainFirstUserConflict } from './hooks/explainFirstUserConflict.js'

/**
 * What the plugin adds to a host's own auth collection: the `roles` field and the hidden unique `firstUser` marker (unless it already has them)
 * and, unless `disabled`, the first-user-admin hooks next to the host's own hooks. Nothing else of the
 * host's collection changes.
 */
export const addCrmRoles = ({ collection, disabled }: { collection: CollectionConfig; disabled: boolean }): CollectionConfig => {
  const has = (name: string) => collection.fields.some((field) => 'name' in field && field.name === name)
  const fields = [
    ...collection.fields,
    ...(has('roles') ? [] : [createRolesField()]),
    ...(has('firstUser') ? [] : [createFirstUserField()]),
  ]
  if (disabled) return { ...collection, fields }
  return {
    ...collection,
    fields,
    hooks: {
      ...collection.hooks,
      afterError: [...(collection.hooks?.afterError ?? []), explainFirstUserConflict],
      beforeChange: [...(collection.hooks?.beforeChange ?? []), assignFirstUserAdmin],
    },
  }
}
