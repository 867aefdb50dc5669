import type { CollectionConfig } from 'payload'

import { canReadCrm } from '../../access/canReadCrm.js'
import { isAdmin } from '../../access/isAdmin.js'
import { IMPORT_STATUSES, SLUGS } from '../slugs.js'

/**
 * One row per `POST /api/ingest/<kind>` batch: what was accepted and what the `crm.ingestBatch`
 * consumer has persisted. Written by the endpoint and the job (fenced by `runToken`).
 */
export const createIngestBatchesCollection = (): CollectionConfig => ({
  slug: SLUGS.ingestBatches,
  access: {
    create: () => false,
    delete: isAdmin,
    read: canReadCrm,
    update: () => false,
  },
  admin: { group: 'CRM', hidden: true },
  defaultSort: '-createdAt',
  fields: [
    { name: 'kind', type: 'select', options: ['customers', 'orders'], required: true },
    { name: 'status', type: 'select', defaultValue: 'queued', index: true, options: [...IMPORT_STATUSES], required: true },
    { name: 'createdBy', type: 'text' },
    { name: 'accepted', type: 'number', defaultValue: 0 },
    { name: 'rejected', type: 'number', defaultValue: 0 },
    { name: 'persisted', type: 'number', defaultValue: 0 },
    { name: 'failed', type: 'number', defaultValue: 0, admin: { description: 'Accepted records the database refused' } },
    { name: 'chunksDone', type: 'number', defaultValue: 0 },
    { name: 'errors', type: 'json' },
    { name: 'reason', type: 'text' },
    { name: 'startedAt', type: 'date' },
    { name: 'finishedAt', type: 'date' },
    { name: 'runToken', type: 'text', access: { read: () => false }, admin: { hidden: true } },
  ],
  graphQL: false,
})
