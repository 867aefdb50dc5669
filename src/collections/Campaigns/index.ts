import type { CollectionConfig, Field } from 'payload'

import type { SanitizedCrmOptions } from '../../types.js'

import { crmCollectionAccess } from '../../access/crmCollectionAccess.js'
import { denyFieldWrite } from '../../access/denyAll.js'
import { DEFAULT_OPTIONS } from '../../defaults.js'
import { readDateInStoreZone, validateIsoDate } from '../fieldValidators.js'
import { CAMPAIGN_STATUSES, SLUGS } from '../slugs.js'
import { guardCampaignDelete } from './hooks/guardCampaignDelete.js'
import { segmentFromCreateUrl } from './segmentFromCreateUrl.js'
import { requireOneAudience } from './hooks/requireOneAudience.js'
import { validateCampaignMessage } from './validateCampaignMessage.js'

const STAT_FIELDS = ['audience', 'sent', 'failed', 'delivered', 'pending', 'skipped'] as const

/** The campaign editor's admin components (package paths, resolved by the host app's import map). */
export const CAMPAIGN_EDITOR_COMPONENTS = {
  editor: 'mini-crm/client#CampaignEditorField',
  messageHelp: 'mini-crm/client#CampaignMessageHelpField',
  statCell: 'mini-crm/client#CampaignStatCell',
} as const

/** History columns of the campaigns list: one figure of `stats` each (ui fields: no column in the database). */
const LIST_COLUMNS = [
  ['listAudience', 'Audience'],
  ['listSent', 'Sent'],
  ['listFailed', 'Failed'],
  ['listDelivered', 'Delivered'],
  ['listDeliveryRate', 'Delivery rate'],
] as const

const listColumn = ([name, label]: (typeof LIST_COLUMNS)[number]): Field => ({
  name,
  type: 'ui',
  admin: { components: { Cell: CAMPAIGN_EDITOR_COMPONENTS.statCell } },
  label,
})

const statField = (name: (typeof STAT_FIELDS)[number]): Field => ({
  name,
  type: 'number',
  access: { create: denyFieldWrite, update: denyFieldWrite },
  admin: { readOnly: true },
  defaultValue: 0,
})

/**
 * Campaigns: a personalised message sent to a segment or to hand-picked customers, now or at
 * `scheduledAt`. `status` and `stats` are driven by the send pipeline, never by clients. A campaign
 * that is `sending` cannot be deleted (409); any other goes with its logs.
 */
export const createCampaignsCollection = ({ storeTimezone }: Pick<SanitizedCrmOptions, 'storeTimezone'> = DEFAULT_OPTIONS): CollectionConfig => ({
  slug: SLUGS.campaigns,
  access: crmCollectionAccess,
  admin: {
    defaultColumns: ['name', 'status', ...LIST_COLUMNS.map(([name]) => name), 'createdAt'],
    description: 'Campaign history, newest first, with delivery stats.',
    group: 'CRM',
    useAsTitle: 'name',
  },
  defaultSort: '-createdAt',
  fields: [
    { name: 'name', type: 'text', index: true, required: true },
    { name: 'intent', type: 'textarea', admin: { description: 'What this campaign is for, e.g. "win back lapsed buyers".' } },
    {
      name: 'message',
      type: 'textarea',
      admin: { description: 'Template: {{name}}, {{firstName | "there"}}, {{city}} or any customer field.' },
      required: true,
      validate: validateCampaignMessage,
    },
    // Placeholder help, template errors with positions, and the message rendered for a sample customer.
    { name: 'campaignMessageHelp', type: 'ui', admin: { components: { Field: CAMPAIGN_EDITOR_COMPONENTS.messageHelp } } },
    {
      name: 'segment',
      type: 'relationship',
      // "Create campaign for this segment" opens the admin's create view with `?segment=<id>`.
      defaultValue: segmentFromCreateUrl,
      index: true,
      relationTo: SLUGS.segments,
    },
    {
      name: 'customers',
      type: 'relationship',
      admin: { description: 'Or pick customers by hand.' },
      hasMany: true,
      relationTo: SLUGS.customers,
    },
    {
      name: 'scheduledAt',
      type: 'date',
      admin: { date: { pickerAppearance: 'dayAndTime' } },
      hooks: { beforeValidate: [readDateInStoreZone(storeTimezone)] },
      index: true,
      validate: validateIsoDate('Scheduled time'),
    },
    // Live audience size, test send, send/schedule behind a confirmation, pause/resume/cancel, live progress and report.
    { name: 'campaignEditor', type: 'ui', admin: { components: { Field: CAMPAIGN_EDITOR_COMPONENTS.editor } } },
    {
      name: 'status',
      type: 'select',
      access: { create: denyFieldWrite, update: denyFieldWrite },
      admin: { position: 'sidebar', readOnly: true },
      defaultValue: 'draft',
      index: true,
      options: CAMPAIGN_STATUSES.map((status) => ({ label: status[0]!.toUpperCase() + status.slice(1), value: status })),
      required: true,
    },
    {
      name: 'statusReason',
      type: 'text',
      access: { create: denyFieldWrite, update: denyFieldWrite },
      admin: { description: 'Why the campaign was paused or failed (set by the send pipeline).', position: 'sidebar', readOnly: true },
    },
    {
      // When `send` fixed the audience: relative segment dates are evaluated at this time.
      name: 'audienceAt',
      type: 'date',
      access: { create: denyFieldWrite, update: denyFieldWrite },
      admin: { hidden: true },
    },
    {
      // When the audience snapshot was written (one log per recipient); unset until then.
      name: 'snapshotAt',
      type: 'date',
      access: { create: denyFieldWrite, update: denyFieldWrite },
      admin: { hidden: true },
    },
    {
      name: 'stats',
      type: 'group',
      access: { create: denyFieldWrite, update: denyFieldWrite },
      admin: { position: 'sidebar' },
      fields: STAT_FIELDS.map(statField),
    },
    ...LIST_COLUMNS.map(listColumn),
  ],
  hooks: {
    beforeChange: [requireOneAudience],
    beforeDelete: [guardCampaignDelete],
  },
})
