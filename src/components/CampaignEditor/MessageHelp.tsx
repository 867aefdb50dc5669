'use client'

import { useConfig, useFormFields } from '@payloadcms/ui'
import React, { useEffect, useState } from 'react'

import type { PreviewAnswer } from './api.js'

import { TEMPLATE_FIELDS } from '../../domain/templates/templateFields.js'
import { audienceOf, crmJson } from './api.js'
import './styles.css'

const DEBOUNCE_MS = 400

/**
 * Under a campaign's message: placeholder help, the template's errors with their positions, and the
 * message rendered for a sample customer of the audience (switchable), from `POST /api/campaigns/preview`.
 */
export const CampaignMessageHelpField = () => {
  const { config } = useConfig()
  const apiRoute = config.routes.api
  const message = useFormFields(([fields]) => fields.message?.value) as string | undefined
  const segment = useFormFields(([fields]) => fields.segment?.value)
  const customers = useFormFields(([fields]) => fields.customers?.value)
  const [customerId, setCustomerId] = useState<null | number>(null)
  const [preview, setPreview] = useState<null | PreviewAnswer>(null)
  const [error, setError] = useState<null | string>(null)
  const [showHelp, setShowHelp] = useState(false)
  const key = JSON.stringify({ ...audienceOf(segment, customers), ...(customerId !== null ? { customerId } : {}), message: message ?? '' })

  useEffect(() => {
    const controller = new AbortController()
    const timer = setTimeout(() => {
      crmJson<PreviewAnswer>({ apiRoute, body: JSON.parse(key), method: 'POST', path: '/campaigns/preview', signal: controller.signal })
        .then((answer) => {
          if (answer.ok) {
            setPreview(answer.data)
            setError(null)
          } else if (answer.status === 404 && customerId !== null) setCustomerId(null)
          else setError(answer.message)
        })
        .catch(() => undefined)
    }, DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [apiRoute, key, customerId])

  const samples = preview?.samples ?? []
  const chosen = preview?.customer ?? null
  const options = chosen && !samples.some((s) => s.id === chosen.id) ? [chosen, ...samples] : samples
  return (
    <div className="crm-campaign-message" data-testid="campaign-message-help">
      <button aria-expanded={showHelp} className="crm-link-button" onClick={() => setShowHelp(!showHelp)} type="button">
        {showHelp ? 'Hide placeholders' : 'Placeholders you can use'}
      </button>
      {showHelp ? (
        <div className="crm-placeholder-help" data-testid="campaign-placeholder-help">
          <p>
            Write <code>{'{{firstName}}'}</code> for a customer’s value, <code>{'{{firstName | "there"}}'}</code> for a fallback when it is missing,{' '}
            <code>{'{{attributes.favouriteStore}}'}</code> for an imported column, <code>{'\\{{'}</code> for literal braces.
          </p>
          <p>
            {Object.keys(TEMPLATE_FIELDS).map((field) => (
              <code key={field} style={{ marginRight: 8 }}>{`{{${field}}}`}</code>
            ))}
          </p>
        </div>
      ) : null}
      {preview && preview.errors.length > 0 ? (
        <ul className="crm-template-errors" data-testid="campaign-template-errors" role="alert">
          {preview.errors.map((problem) => (
            <li key={`${problem.offset}-${problem.message}`}>
              Line {problem.line}, column {problem.column}: {problem.message}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="crm-message-preview" data-testid="campaign-preview">
        <div className="crm-message-preview-head">
          <strong>Preview</strong>
          {options.length > 0 ? (
            <label>
              {' '}for{' '}
              <select
                aria-label="Preview for customer"
                data-testid="campaign-preview-customer"
                onChange={(event) => setCustomerId(Number(event.target.value))}
                value={chosen?.id ?? ''}
              >
                {options.map((sample) => (
                  <option key={sample.id} value={sample.id}>
                    {sample.name || sample.email || `#${sample.id}`}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </div>
        {error ? (
          <p className="crm-error">{error}</p>
        ) : preview?.text !== null && preview?.text !== undefined ? (
          <p className="crm-message-preview-text" data-testid="campaign-preview-text">
            {preview.text}
          </p>
        ) : (
          <p className="crm-muted">{preview && preview.errors.length > 0 ? 'Fix the message to see it rendered.' : preview && !chosen ? 'No customer to preview for yet.' : 'Rendering…'}</p>
        )}
      </div>
    </div>
  )
}
