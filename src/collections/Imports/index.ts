import type { CollectionConfig } from 'payload'

import { canReadCrm } from '../../access/canReadCrm.js'
import { isAdmin } from '../../access/isAdmin.js'
import { dropStagedChunks } from '../../operations/ingest/staging.js'
import { IMPORT_STATUSES, SLUGS } from '../slugs.js'

const count = (name: string, description?: string) => ({ name, type: 'number' as const, admin: { description, readOnly: true }, defaultValue: 0, min: 0 })

/**
 * The import history: one row per CSV import. An asynchronous one (`Prefer: respond-async`) is written by
 * the endpoint and the `crm.importRun` job (fenced by `runToken`); a synchronous one once it ends. Read-only for people. Deleting a row
 * drops its staged upload. `GET /api/imports/<id>` is the status an uploader polls.
 */
export const createImportsCollection = (): CollectionConfig => ({
  slug: SLUGS.imports,
  access: {
    create: () => false,
    delete: isAdmin,
    read: canReadCrm,
    update: () => false,
  },
  admin: {
    defaultColumns: ['fileName', 'kind', 'status', 'rows', 'failed', 'createdBy', 'createdAt'],
    group: 'CRM',
    hidden: true,
    useAsTitle: 'fileName',
  },
  defaultSort: '-createdAt',
  fields: [
    { name: 'fileName', type: 'text', admin: { readOnly: true } },
    { name: 'kind', type: 'select', admin: { readOnly: true }, options: ['customers', 'orders'], required: true },
    { name: 'createdBy', type: 'text', admin: { description: 'Email of who uploaded it', readOnly: true } },
    { name: 'status', type: 'select', admin: { readOnly: true }, defaultValue: 'queued', index: true, options: [...IMPORT_STATUSES], required: true },
    { name: 'bytes', type: 'number', admin: { readOnly: true }, defaultValue: 0, min: 0 },
    count('rows', 'Data rows done so far (written or rejected)'),
    count('created'),
    count('updated'),
    count('unchanged'),
    count('failed', 'Rejected rows'),
    { name: 'rowsPerSecond', type: 'number', admin: { readOnly: true } },
    { name: 'durationMs', type: 'number', admin: { readOnly: true } },
    { name: 'startedAt', type: 'date', admin: { readOnly: true } },
    { name: 'finishedAt', type: 'date', admin: { readOnly: true } },
    { name: 'attempts', type: 'number', admin: { description: 'Runs of the job (more than 1: resumed after a restart)', readOnly: true }, defaultValue: 0 },
    { name: 'errorSummary', type: 'text', admin: { description: 'Why it failed, or how many rows were rejected and the most common reason', readOnly: true } },
    { name: 'errors', type: 'json', admin: { readOnly: true } },
    { name: 'warnings', type: 'json', admin: { readOnly: true } },
    // The run that may write this row; a resumed run takes a new token, so a stale one stops.
    { name: 'runToken', type: 'text', access: { read: () => false }, admin: { hidden: true } },
  ],
  graphQL: false,
  hooks: {
    afterDelete: [
      async ({ id, req }) => {
        await dropStagedChunks({ owner: `import:${id}`, payload: req.payload, req })
      },
    ],
  },
})
