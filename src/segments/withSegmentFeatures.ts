import type { CollectionConfig } from 'payload'

import { deriveSegmentFields } from '../collections/Segments/hooks/deriveSegmentFields.js'
import { createSegmentEndpoints } from '../endpoints/segments/createSegmentEndpoints.js'

/**
 * Adds the segment behaviour to the `segments` collection: the hook that keeps `rules`/`dsl`
 * consistent and recounts, and the preview/parse/format/members/count endpoints. Existing hooks and
 * endpoints are kept (ours go after them).
 */
export const withSegmentFeatures = (collection: CollectionConfig, { timeZone }: { timeZone: string }): CollectionConfig => ({
  ...collection,
  endpoints: [...(Array.isArray(collection.endpoints) ? collection.endpoints : []), ...createSegmentEndpoints({ timeZone })],
  hooks: { ...collection.hooks, beforeChange: [...(collection.hooks?.beforeChange ?? []), deriveSegmentFields({ timeZone })] },
})
