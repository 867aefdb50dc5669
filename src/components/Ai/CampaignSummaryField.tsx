'use client'

import { Button, useAuth, useConfig, useDocumentInfo, useFormFields } from '@payloadcms/ui'
import React, { useState } from 'react'

import { hasRole } from '../../access/roles.js'
import { postCrmJson } from './postCrmJson.js'

const FINISHED = ['completed', 'cancelled', 'failed']

/** "Summarise" (campaign sidebar): for a finished campaign, `POST /api/ai/campaign-summary/<id>`. */
export const CampaignSummaryField = () => {
  const { config } = useConfig()
  const { user } = useAuth()
  const { id } = useDocumentInfo()
  const status = useFormFields(([fields]) => fields.status?.value as string | undefined)
  const [busy, setBusy] = useState(false)
  const [summary, setSummary] = useState<null | { source: string; summary: string }>(null)
  const [error, setError] = useState<null | string>(null)
  if (!hasRole(user as { roles?: string[] } | null, 'admin', 'marketer')) return null
  if (!id || !status || !FINISHED.includes(status)) return null

  const summarise = async () => {
    setBusy(true)
    setError(null)
    const result = await postCrmJson<{ source: string; summary: string }>({ apiRoute: config.routes.api, body: {}, path: `/ai/campaign-summary/${id}` })
    if (result.ok) setSummary(result.data)
    else setError(result.message)
    setBusy(false)
  }

  return (
    <div className="crm-ai-summary" data-testid="crm-ai-summary" style={{ marginBottom: 24 }}>
      <Button buttonStyle="secondary" disabled={busy} margin={false} onClick={() => void summarise()} size="small">
        {busy ? 'Working…' : 'Summarise'}
      </Button>
      {/* Always rendered, so screen readers announce what lands in it (working, then the summary). */}
      <div aria-live="polite" role="status">
        {busy ? <p>Summarising the campaign…</p> : null}
        {summary && !busy ? (
          <p data-testid="crm-ai-summary-text">
            {summary.summary} <em>({summary.source})</em>
          </p>
        ) : null}
      </div>
      {error ? (
        <p role="alert" style={{ color: 'var(--theme-error-500)' }}>
          {error}
        </p>
      ) : null}
    </div>
  )
}
