import type { CollectionConfig } from 'payload'

import { deriveSegmentFields } from '../collections/Segments/hooks/deriveSegmentFields.js'
import { createSegmentEndpoints } from '../endpoints/segments/createSegmentEndpoints.js'

/** The edit view's "Open N members" link (a server component). */
export const SEGMENT_MEMBERS_LINK = 'mini-crm/rsc#SegmentMembersLink'

/**
 * Adds the segment behaviour to the `segments` collection: the hook that keeps `rules`/`dsl`
 * consistent and recounts, the preview/parse/format/members/count endpoints, and the edit view's
 * "Open N members" link. Existing hooks and
 * endpoints are kept (ours go after them).
 */
export const withSegmentFeatures = (collection: CollectionConfig, { currency, timeZone }: { currency: string; timeZone: string }): CollectionConfig => ({
  ...collection,
  fields: [
    // The builder's sample shows spend in the store's currency.
    ...collection.fields.map((field) => {
      const component = 'name' in field && field.name === 'rules' ? field.admin?.components?.Field : undefined
      return typeof component === 'string' && field.type === 'json'
        ? { ...field, admin: { ...field.admin, components: { ...field.admin?.components, Field: { clientProps: { currency }, path: component } } } }
        : field
    }),
    // Its own UI field (not the rules field's component): "Open N members" in the customers list, or the CSV.
    { name: 'openMembers', type: 'ui', admin: { components: { Field: SEGMENT_MEMBERS_LINK }, position: 'sidebar' } },
  ],
  endpoints: [...(Array.isArray(collection.endpoints) ? collection.endpoints : []), ...createSegmentEndpoints({ timeZone })],
  hooks: { ...collection.hooks, beforeChange: [...(collection.hooks?.beforeChange ?? []), deriveSegmentFields({ timeZone })] },
})
