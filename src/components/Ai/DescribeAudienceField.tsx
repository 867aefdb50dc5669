'use client'

import { Button, useAuth, useConfig, useField } from '@payloadcms/ui'
import React, { useState } from 'react'

import { hasRole } from '../../access/roles.js'
import { MUTED, postCrmJson } from './postCrmJson.js'

type RulesAnswer = { dsl: string; rules: unknown; source: string }

/**
 * "Describe audience" (a UI field above `rules` in the segment editor): plain English → rules via
 * `POST /api/ai/segment-rules`, written into the form's `rules` and `dsl` fields, with the audience
 * size from `POST /api/segments/preview` before anything is saved.
 */
export const DescribeAudienceField = () => {
  const { config } = useConfig()
  const { user } = useAuth()
  const apiRoute = config.routes.api
  const rules = useField<unknown>({ path: 'rules' })
  const dsl = useField<string>({ path: 'dsl' })
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ count?: number; dsl: string; source: string } | null>(null)
  const [error, setError] = useState<null | string>(null)

  // Viewers may not use the AI endpoints (403): no button for them.
  if (!hasRole(user as { roles?: string[] } | null, 'admin', 'marketer')) return null

  const describe = async () => {
    setBusy(true)
    setError(null)
    setResult(null)
    const answer = await postCrmJson<RulesAnswer>({ apiRoute, body: { text }, path: '/ai/segment-rules' })
    if (!answer.ok) {
      setError(answer.message)
      setBusy(false)
      return
    }
    rules.setValue(answer.data.rules)
    dsl.setValue(answer.data.dsl)
    const preview = await postCrmJson<{ count: number }>({ apiRoute, body: { rules: answer.data.rules }, path: '/segments/preview' })
    setResult({ count: preview.ok ? preview.data.count : undefined, dsl: answer.data.dsl, source: answer.data.source })
    if (!preview.ok) setError(`Could not count the audience: ${preview.message}`)
    setBusy(false)
  }

  return (
    <div className="field-type crm-ai-describe" data-testid="crm-ai-describe" style={{ marginBottom: 24 }}>
      <label className="field-label" htmlFor="crm-ai-describe-text">
        Describe the audience in plain English
      </label>
      <textarea
        id="crm-ai-describe-text"
        onChange={(event) => setText(event.target.value)}
        placeholder="e.g. spent more than 5k but haven't ordered in 3 months"
        rows={2}
        style={{ font: 'inherit', marginBottom: 8, padding: '8px 12px', width: '100%' }}
        value={text}
      />
      <Button
        buttonStyle="secondary"
        disabled={busy || text.trim().length < 3}
        extraButtonProps={{ 'aria-describedby': 'crm-ai-describe-status' }}
        onClick={() => void describe()}
        size="small"
      >
        {busy ? 'Working…' : 'Describe audience'}
      </Button>
      {/* Always rendered, so screen readers announce what lands in it (working, then the result). */}
      <div aria-live="polite" id="crm-ai-describe-status" role="status">
        {busy ? <p>Turning the description into rules…</p> : null}
        {result ? (
          <p data-testid="crm-ai-describe-result">
            Rules set to <code>{result.dsl}</code>
            {result.count !== undefined ? ` · ${result.count} customer${result.count === 1 ? '' : 's'} match` : ''}
            {result.source === 'offline' ? ' · offline parser' : ' · Gemini'}. Review, then save.
          </p>
        ) : null}
        {!busy && !result && text.trim().length < 3 ? <p className="field-description" style={MUTED}>Type at least 3 characters.</p> : null}
      </div>
      {error ? (
        <p role="alert" style={{ color: 'var(--theme-error-500)' }}>
          {error}
        </p>
      ) : null}
    </div>
  )
}
