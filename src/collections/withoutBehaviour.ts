import type { CollectionConfig, Field } from 'payload'

type FieldContainer = { blocks?: { fields: Field[] }[]; fields?: Field[]; tabs?: { fields: Field[] }[] }

const stripField = (field: Field): Field => {
  const { hooks: _hooks, ...rest } = field as Field & { hooks?: unknown }
  const admin = (rest as { admin?: Record<string, unknown> }).admin
  const stripped = { ...rest } as Field & FieldContainer & { admin?: Record<string, unknown> }
  if (admin && 'components' in admin) {
    const { components: _components, ...adminRest } = admin
    stripped.admin = adminRest
  }
  if (stripped.fields) stripped.fields = stripped.fields.map(stripField)
  if (stripped.tabs) stripped.tabs = stripped.tabs.map((tab) => ({ ...tab, fields: tab.fields.map(stripField) }))
  if (stripped.blocks) stripped.blocks = stripped.blocks.map((block) => ({ ...block, fields: block.fields.map(stripField) }))
  return stripped
}

/**
 * The schema of a collection without its behaviour, for `disabled: true`: same slug, fields, indexes
 * and access (so migrations stay stable and data stays protected), but no collection or field hooks,
 * no custom endpoints and no admin components.
 */
export const withoutBehaviour = (collection: CollectionConfig): CollectionConfig => {
  const { endpoints: _endpoints, hooks: _hooks, ...rest } = collection
  const admin = rest.admin ? { ...rest.admin, components: undefined } : undefined
  return { ...rest, ...(admin ? { admin } : {}), fields: collection.fields.map(stripField) }
}
