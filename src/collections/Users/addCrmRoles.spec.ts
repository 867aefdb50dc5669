import type { CollectionBeforeChangeHook, CollectionConfig } from 'payload'

import { addCrmRoles } from './addCrmRoles.js'
import { assignFirstUserAdmin } from './hooks/assignFirstUserAdmin.js'
import { explainFirstUserConflict } from './hooks/explainFirstUserConflict.js'

const hostHook: CollectionBeforeChangeHook = ({ data }) => data
const hostUsers = (): CollectionConfig => ({
  slug: 'staff',
  access: { read: () => true },
  auth: true,
  fields: [{ name: 'displayName', type: 'text' }],
  hooks: { beforeChange: [hostHook] },
})

describe('addCrmRoles', () => {
  it("should add the roles field, the first-user marker and hooks after the host's own", () => {
    const host = hostUsers()
    const result = addCrmRoles({ collection: host, disabled: false })
    expect(result.fields.map((field) => ('name' in field ? field.name : null))).toEqual(['displayName', 'roles', 'firstUser'])
    expect(result.hooks?.beforeChange).toEqual([hostHook, assignFirstUserAdmin])
    expect(result.hooks?.afterError).toEqual([explainFirstUserConflict])
    expect(result.access).toBe(host.access)
    expect(result.slug).toBe('staff')
  })

  it('should keep a roles field the host already has', () => {
    const collection = { ...hostUsers(), fields: [{ name: 'roles', type: 'text' } as const] }
    const fields = addCrmRoles({ collection, disabled: false }).fields
    expect(fields[0]).toEqual({ name: 'roles', type: 'text' })
    expect(fields.map((field) => ('name' in field ? field.name : null))).toEqual(['roles', 'firstUser'])
  })

  it('should add the field but no hook when the plugin is disabled', () => {
    const result = addCrmRoles({ collection: hostUsers(), disabled: true })
    expect(result.fields.map((field) => ('name' in field ? field.name : null))).toEqual(['displayName', 'roles', 'firstUser'])
    expect(result.hooks?.beforeChange).toEqual([hostHook])
  })
})
