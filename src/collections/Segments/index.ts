import type { CollectionConfig } from 'payload'

import { crmCollectionAccess } from '../../access/crmCollectionAccess.js'
import { denyFieldWrite } from '../../access/denyAll.js'
import { SLUGS } from '../slugs.js'
import { guardSegmentDelete } from './hooks/guardSegmentDelete.js'

const isRuleGroup = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  ['and', 'or'].includes(String((value as { combinator?: unknown }).combinator).toLowerCase()) &&
  Array.isArray((value as { rules?: unknown }).rules)

/**
 * Segments: an audience defined by a rule tree (react-querybuilder JSON) and the same rules as text.
 * `audienceCount`/`countedAt` are written by the system when the audience is counted. A segment used
 * by a `scheduled` or `sending` campaign cannot be deleted (409).
 */
export const createSegmentsCollection = (): CollectionConfig => ({
  slug: SLUGS.segments,
  access: crmCollectionAccess,
  admin: {
    defaultColumns: ['name', 'dsl', 'audienceCount', 'countedAt', 'createCampaign'],
    group: 'CRM',
    useAsTitle: 'name',
  },
  fields: [
    { name: 'name', type: 'text', index: true, required: true },
    { name: 'description', type: 'textarea' },
    {
      name: 'rules',
      type: 'json',
      admin: {
        // The visual builder + DSL box + live count replaces Payload's JSON editor (which a setValue
        // would not refresh, Payload issue #10819).
        components: { Field: 'mini-crm/client#SegmentRulesField' },
        description: 'Rule tree: {"combinator":"and","rules":[{"field":"spend","operator":">","value":10000}]}',
      },
      validate: (value: unknown) =>
        value === null || value === undefined || isRuleGroup(value)
          ? true
          : 'Rules must be a rule group: {"combinator":"and"|"or","rules":[…]}',
    },
    {
      name: 'dsl',
      type: 'textarea',
      // Edited in the rules builder's text box (one box, written through the form).
      admin: { description: 'The same rules as text, e.g. spend > 10000 AND visits < 3', hidden: true },
    },
    {
      name: 'createCampaign',
      type: 'ui',
      admin: {
        components: { Cell: 'mini-crm/client#CreateCampaignCell', Field: 'mini-crm/client#CreateCampaignField' },
        position: 'sidebar',
      },
      label: 'Campaign',
    },
    {
      name: 'audienceCount',
      type: 'number',
      access: { create: denyFieldWrite, update: denyFieldWrite },
      admin: { position: 'sidebar', readOnly: true },
    },
    {
      name: 'countedAt',
      type: 'date',
      access: { create: denyFieldWrite, update: denyFieldWrite },
      admin: { date: { pickerAppearance: 'dayAndTime' }, position: 'sidebar', readOnly: true },
    },
  ],
  hooks: {
    beforeDelete: [guardSegmentDelete],
  },
})
