import type { CollectionBeforeChangeHook, CollectionConfig } from 'payload'

import { addCrmRoles } from './addCrmRoles.js'
import { assignFirstUserAdmin } from './hooks/assignFirstUserAdmin.js'

const hostHook: CollectionBeforeChangeHook = ({ data }) => data
const hostUsers = (): CollectionConfig => ({
  slug: 'staff',
  access: { read: () => true },
  auth: true,
  fields: [{ name: 'displayName', type: 'text' }],
  hooks: { beforeChange: [hostHook] },
})

describe('addCrmRoles', () => {
  it("should add the roles field and the first-user hook after the host's own", () => {
    const host = hostUsers()
    const result = addCrmRoles({ collection: host, disabled: false })
    expect(result.fields.map((field) => ('name' in field ? field.name : null))).toEqual(['displayName', 'roles'])
    expect(result.hooks?.beforeChange).toEqual([hostHook, assignFirstUserAdmin])
    expect(result.access).toBe(host.access)
    expect(result.slug).toBe('staff')
  })

  it('should keep a roles field the host already has', () => {
    const collection = { ...hostUsers(), fields: [{ name: 'roles', type: 'text' } as const] }
    expect(addCrmRoles({ collection, disabled: false }).fields).toEqual([{ name: 'roles', type: 'text' }])
  })

  it('should add the field but no hook when the plugin is disabled', () => {
    const result = addCrmRoles({ collection: hostUsers(), disabled: true })
    expect(result.fields.map((field) => ('name' in field ? field.name : null))).toEqual(['displayName', 'roles'])
    expect(result.hooks?.beforeChange).toEqual([hostHook])
  })
})
