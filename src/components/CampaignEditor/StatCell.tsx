'use client'

import type { DefaultCellComponentProps } from 'payload'

import React from 'react'

import { campaignRates, formatRate } from '../../domain/campaigns/campaignView.js'

const numberOr0 = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0)

/** Campaigns list columns (`listAudience`, `listSent`, `listFailed`, `listDelivered`, `listDeliveryRate`): one figure of the row's stats. */
export const CampaignStatCell = ({ field, rowData }: DefaultCellComponentProps) => {
  const raw = (rowData?.stats ?? {}) as Record<string, unknown>
  const stats = { audience: 0, delivered: 0, failed: 0, pending: 0, sent: 0, skipped: 0, ...Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, numberOr0(v)])) }
  const name = 'name' in field ? String(field.name) : ''
  const text =
    name === 'listDeliveryRate'
      ? formatRate(campaignRates(stats).deliveryRate)
      : String(stats[name.replace(/^list/, '').toLowerCase() as 'audience' | 'delivered' | 'failed' | 'sent'] ?? 0)
  return <span data-testid={`campaign-cell-${name}`}>{text}</span>
}
