import type { CollectionConfig } from 'payload'

import { canReadCrm } from '../../access/canReadCrm.js'
import { isAdmin } from '../../access/isAdmin.js'
import { LOG_STATUSES, SLUGS } from '../slugs.js'

/**
 * One row per (campaign, customer): the personalised message actually sent and its delivery state.
 * Written only by the send pipeline and the receipt webhook (bulk layer); read-only for people.
 */
export const createCommunicationLogsCollection = (): CollectionConfig => ({
  slug: SLUGS.communicationLogs,
  access: {
    create: () => false,
    delete: isAdmin,
    read: canReadCrm,
    update: () => false,
  },
  admin: {
    defaultColumns: ['campaign', 'recipient', 'status', 'sentAt', 'deliveredAt'],
    group: 'CRM',
    useAsTitle: 'recipient',
  },
  defaultSort: '-createdAt',
  fields: [
    // No index of its own: (campaign, customer) and (campaign, status) below lead with it. Every index
    // of this table is written again by each log update that is not HOT (most of a send's updates), so
    // it keeps only those something reads (measured at a million logs: docs/campaigns.md).
    { name: 'campaign', type: 'relationship', relationTo: SLUGS.campaigns, required: true },
    // Unset (and recipient/message blanked) when the customer is deleted: the log keeps counting
    // towards its campaign's figures without holding anyone's personal data.
    {
      name: 'customer',
      type: 'relationship',
      admin: { description: 'Empty when the customer was deleted (the log is kept, anonymised).' },
      index: true,
      relationTo: SLUGS.customers,
    },
    { name: 'recipient', type: 'text' },
    { name: 'message', type: 'textarea' },
    {
      name: 'status',
      type: 'select',
      defaultValue: 'pending',
      options: LOG_STATUSES.map((status) => ({ label: status[0]!.toUpperCase() + status.slice(1), value: status })),
      required: true,
    },
    {
      // Our idempotency key: sent with every attempt of this message; receipts are matched by it.
      name: 'reference',
      type: 'text',
      index: true,
      unique: true,
    },
    { name: 'vendorMessageId', type: 'text', index: true, unique: true },
    { name: 'attempts', type: 'number', defaultValue: 0, min: 0 },
    { name: 'error', type: 'text' },
    { name: 'sentAt', type: 'date' },
    { name: 'deliveredAt', type: 'date' },
    // A dispatcher's lease on a batch it is sending: another worker takes the batch over once it lapses.
    { name: 'claimedBy', type: 'text', admin: { hidden: true } },
    { name: 'claimedUntil', type: 'date', admin: { hidden: true } },
    // Payload's own timestamp field, without its index: logs are read by campaign, never by update time.
    { name: 'updatedAt', type: 'date', admin: { disableBulkEdit: true, hidden: true }, index: false, label: ({ t }) => t('general:updatedAt') },
  ],
  indexes: [
    { fields: ['campaign', 'customer'], unique: true },
    // The dispatcher's claim and the stats roll-up read one campaign's logs by status.
    { fields: ['campaign', 'status'] },
  ],
})
