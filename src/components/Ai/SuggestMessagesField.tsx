'use client'

import { Button, useAuth, useConfig, useField, useFormFields } from '@payloadcms/ui'
import React, { useState } from 'react'

import { hasRole } from '../../access/roles.js'
import { postCrmJson } from './postCrmJson.js'

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
        <Button buttonStyle="secondary" disabled={busy || !intent || intent.trim().length < 3} margin={false} onClick={() => void suggest()} size="small">
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
        {!intent ? <span style={{ opacity: 0.7 }}>Fill in the intent first.</span> : null}
      </div>
      {answer ? (
        <ul data-testid="crm-ai-suggestions" style={{ listStyle: 'none', margin: '12px 0 0', padding: 0 }}>
          {answer.suggestions.map(({ text }) => (
            <li key={text} style={{ alignItems: 'center', display: 'flex', gap: 12, marginBottom: 8 }}>
              <Button buttonStyle="pill" margin={false} onClick={() => message.setValue(text)} size="small">
                Use this
              </Button>
              <span>{text}</span>
            </li>
          ))}
          <li style={{ opacity: 0.7 }}>
            {answer.source === 'offline' ? 'Written by the offline fallback (no GEMINI_API_KEY).' : 'Written by Gemini; check before sending.'}
            {answer.audience ? ` Audience: ${answer.audience.count} customers.` : ''}
          </li>
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
