'use client'

import { Button, useAuth, useConfig, useField, useFormFields } from '@payloadcms/ui'
import React, { useState } from 'react'

import { hasRole } from '../../access/roles.js'
import { MUTED, postCrmJson } from './postCrmJson.js'

type SuggestionsAnswer = { audience?: { count: number }; source: string; suggestions: { text: string }[] }

const TONES = ['friendly', 'formal', 'playful', 'urgent'] as const

/**
 * "Suggest messages" (a UI field beside `message` in the campaign editor): asks
 * `POST /api/ai/message-suggestions` with the form's intent, name and segment, and fills `message`
 * with the variant the marketer picks.
 */
export const SuggestMessagesField = () => {
  const { config } = useConfig()
  const { user } = useAuth()
  const message = useField<string>({ path: 'message' })
  const intent = useFormFields(([fields]) => fields.intent?.value as string | undefined)
  const name = useFormFields(([fields]) => fields.name?.value as string | undefined)
  const segment = useFormFields(([fields]) => fields.segment?.value as unknown)
  const [tone, setTone] = useState<(typeof TONES)[number]>('friendly')
  const [busy, setBusy] = useState(false)
  const [answer, setAnswer] = useState<null | SuggestionsAnswer>(null)
  const [error, setError] = useState<null | string>(null)

  // Viewers may not use the AI endpoints (403): no button for them.
  if (!hasRole(user as { roles?: string[] } | null, 'admin', 'marketer')) return null

  const segmentId = typeof segment === 'number' || typeof segment === 'string' ? segment : (segment as { id?: number | string } | null)?.id

  const suggest = async () => {
    setBusy(true)
    setError(null)
    const result = await postCrmJson<SuggestionsAnswer>({
      apiRoute: config.routes.api,
      body: { intent: intent ?? '', tone, ...(name ? { campaignName: name } : {}), ...(segmentId ? { segmentId } : {}) },
      path: '/ai/message-suggestions',
    })
    if (result.ok) setAnswer(result.data)
    else setError(result.message)
    setBusy(false)
  }

  return (
    <div className="field-type crm-ai-suggest" data-testid="crm-ai-suggest" style={{ marginBottom: 24 }}>
      <div style={{ alignItems: 'center', display: 'flex', gap: 12 }}>
        <Button
          buttonStyle="secondary"
          disabled={busy || !intent || intent.trim().length < 3}
          extraButtonProps={{ 'aria-describedby': 'crm-ai-suggest-status' }}
          margin={false}
          onClick={() => void suggest()}
          size="small"
        >
          {busy ? 'Working…' : 'Suggest messages'}
        </Button>
        <label>
          Tone{' '}
          <select onChange={(event) => setTone(event.target.value as (typeof TONES)[number])} value={tone}>
            {TONES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      </div>
      {/* Always rendered, so screen readers announce what lands in it (why disabled, working, how many). */}
      <div aria-live="polite" id="crm-ai-suggest-status" role="status">
        {!intent || intent.trim().length < 3 ? <p className="field-description" style={MUTED}>Fill in the intent first.</p> : null}
        {busy ? <p>Writing suggestions…</p> : null}
        {answer && !busy ? (
          <p className="field-description" style={MUTED}>
            {answer.suggestions.length} suggestion{answer.suggestions.length === 1 ? '' : 's'}.{' '}
            {answer.source === 'offline' ? 'Written by the offline fallback (no GEMINI_API_KEY).' : 'Written by Gemini; check before sending.'}
            {answer.audience ? ` Audience: ${answer.audience.count} customers.` : ''}
          </p>
        ) : null}
      </div>
      {answer ? (
        <ul aria-label="Suggested messages" data-testid="crm-ai-suggestions" style={{ listStyle: 'none', margin: '12px 0 0', padding: 0 }}>
          {answer.suggestions.map(({ text }, index) => (
            <li key={text} style={{ alignItems: 'center', display: 'flex', gap: 12, marginBottom: 8 }}>
              {/* Same visible name on every row: the description says which message it takes. */}
              <Button
                buttonStyle="pill"
                extraButtonProps={{ 'aria-describedby': `crm-ai-suggestion-${index}` }}
                margin={false}
                onClick={() => message.setValue(text)}
                size="small"
              >
                Use this
              </Button>
              <span id={`crm-ai-suggestion-${index}`}>{text}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p role="alert" style={{ color: 'var(--theme-error-500)' }}>
          {error}
        </p>
      ) : null}
    </div>
  )
}
