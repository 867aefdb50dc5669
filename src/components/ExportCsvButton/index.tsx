'use client'

import { useConfig } from '@payloadcms/ui'
import { useSearchParams } from 'next/navigation'
import { formatAdminURL } from 'payload/shared'
import React from 'react'

export type ExportCsvButtonProps = { kind: 'customers' | 'orders' }

/** List-view keys that are not filters (the export streams every matching row). */
const NOT_FILTERS = new Set(['columns', 'limit', 'page', 'preset', 'sort'])

/** "Export CSV" above the customers and orders lists: the export endpoint with the list's current filter. */
export const ExportCsvButton = ({ kind }: ExportCsvButtonProps) => {
  const { config } = useConfig()
  const params = useSearchParams()
  const filters = new URLSearchParams()
  params.forEach((value, key) => {
    if (!NOT_FILTERS.has(key.split('[')[0]!)) filters.append(key, value)
  })
  const query = filters.toString()
  const href = formatAdminURL({ apiRoute: config.routes.api, path: `/${kind}/export${query ? `?${query}` : ''}` })
  return (
    <div className="crm-export-csv" data-testid={`crm-export-bar-${kind}`} style={{ display: 'flex', gap: 12, justifyContent: 'flex-end', margin: '0 0 12px' }}>
      <a className="btn btn--style-secondary btn--size-small" data-testid={`crm-export-${kind}`} download href={href} style={{ margin: 0 }}>
        Export CSV
      </a>
    </div>
  )
}
