import type { CollectionConfig } from 'payload'

import { withoutBehaviour } from './withoutBehaviour.js'

const hook = () => undefined

const collection: CollectionConfig = {
  slug: 'things',
  access: { read: () => true },
  admin: { components: { beforeList: ['mini-crm/client#X'] }, useAsTitle: 'name' },
  endpoints: [{ handler: () => Response.json({}), method: 'get', path: '/x' }],
  fields: [
    { name: 'name', type: 'text', admin: { components: { Field: 'mini-crm/client#F' }, position: 'sidebar' }, hooks: { beforeChange: [hook] } },
    { name: 'group', type: 'group', fields: [{ name: 'inner', type: 'text', hooks: { afterRead: [hook] } }] },
    { type: 'tabs', tabs: [{ label: 'A', fields: [{ name: 'tabbed', type: 'text', hooks: { beforeValidate: [hook] } }] }] },
  ],
  hooks: { afterChange: [hook] },
}

describe('withoutBehaviour', () => {
  const stripped = withoutBehaviour(collection)

  it('should drop collection hooks, custom endpoints and admin components', () => {
    expect(stripped.hooks).toBeUndefined()
    expect(stripped.endpoints).toBeUndefined()
    expect(stripped.admin?.components).toBeUndefined()
    expect(stripped.admin?.useAsTitle).toBe('name')
  })

  it('should drop field hooks and field components at any depth, keeping the fields', () => {
    expect(JSON.stringify(stripped.fields)).not.toMatch(/hooks|components/)
    expect(stripped.fields[0]).toMatchObject({ admin: { position: 'sidebar' }, name: 'name', type: 'text' })
    expect(stripped.fields[1]).toMatchObject({ fields: [{ name: 'inner', type: 'text' }], name: 'group' })
    expect(stripped.fields[2]).toMatchObject({ tabs: [{ fields: [{ name: 'tabbed', type: 'text' }], label: 'A' }] })
  })

  it('should keep access, so the data stays protected', () => {
    expect(stripped.access).toBe(collection.access)
  })
})
