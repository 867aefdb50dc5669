import type { CollectionConfig } from 'payload'

import { SLUGS } from '../slugs.js'

/**
 * Staged input in the database, so any worker on any host can process it: an async import's upload
 * in chunks (base64 of the raw bytes, owner `import:<id>`) or a JSON batch's accepted records
 * (JSON text, owner `batch:<id>`). Internal: no REST access, no GraphQL, not in the admin.
 */
export const createStagingChunksCollection = (): CollectionConfig => ({
  slug: SLUGS.stagingChunks,
  access: { create: () => false, delete: () => false, read: () => false, update: () => false },
  admin: { hidden: true },
  fields: [
    { name: 'owner', type: 'text', index: true, required: true },
    { name: 'seq', type: 'number', required: true },
    { name: 'records', type: 'number', defaultValue: 0 },
    // Payload's default text limit (40,000 characters) is far below a chunk.
    { name: 'data', type: 'textarea', maxLength: 64 * 1024 * 1024, required: true },
  ],
  graphQL: false,
  indexes: [{ fields: ['owner', 'seq'], unique: true }],
})
