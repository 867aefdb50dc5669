'use client'

import type { RuleIssue } from '../../domain/segments/types.js'

import React, { useEffect, useState } from 'react'

import { useFormatters } from '../shared/useFormatters.js'

type SampleCustomer = { city?: null | string; email?: string; id: number | string; name?: null | string; totalSpend?: null | number; visits?: null | number }
type Preview = { count: number; sample: SampleCustomer[] }

const DEBOUNCE_MS = 500

/**
 * The live audience while editing: `POST /api/segments/preview` (debounced) with the rules as built,
 * so a 400 names rules the way the builder shows them (`onIssues`). Nothing is sent for invalid rules.
 */
export const AudiencePreview = ({
  apiUrl,
  currency = 'INR',
  onIssues,
  rules,
}: {
  apiUrl: (route: string) => string
  /** STORE_CURRENCY, for the sample's spend. */
  currency?: string
  onIssues: (issues: RuleIssue[]) => void
  rules: unknown
}) => {
  const format = useFormatters(currency)
  const [preview, setPreview] = useState<null | Preview>(null)
  const [state, setState] = useState<'error' | 'idle' | 'loading'>('idle')
  const key = rules === null ? null : JSON.stringify(rules)
  useEffect(() => {
    if (key === null) {
      setPreview(null)
      setState('idle')
      return
    }
    const controller = new AbortController()
    setState('loading')
    const timer = setTimeout(() => {
      fetch(apiUrl('/segments/preview'), { body: JSON.stringify({ rules: JSON.parse(key) }), credentials: 'include', headers: { 'content-type': 'application/json' }, method: 'POST', signal: controller.signal })
        .then(async (res) => {
          const body = (await res.json()) as Preview & { errors?: RuleIssue[] }
          if (res.ok) {
            setPreview({ count: body.count, sample: body.sample })
            setState('idle')
            return
          }
          onIssues((body.errors ?? []).filter((issue) => typeof issue.path === 'string'))
          setPreview(null)
          setState('error')
        })
        .catch((err: unknown) => {
          if ((err as Error).name !== 'AbortError') setState('error')
        })
    }, DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [apiUrl, key, onIssues])

  if (key === null) return null
  return (
    <div aria-live="polite" className="crm-preview" data-state={state} data-testid="segment-preview">
      <div className="crm-preview-count">
        {state === 'loading' ? 'Counting… ' : null}
        {preview ? (
          <>
            <strong data-testid="segment-audience-count">{format.count(preview.count)}</strong> {preview.count === 1 ? 'customer matches' : 'customers match'} these rules now
          </>
        ) : state === 'error' ? (
          'Could not count this audience; see the messages above.'
        ) : null}
      </div>
      {preview && preview.sample.length > 0 ? (
        <table className="crm-preview-sample" data-testid="segment-sample">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">City</th>
              <th className="crm-preview-number" scope="col">Visits</th>
              <th className="crm-preview-number" scope="col">Spend</th>
            </tr>
          </thead>
          <tbody>
            {preview.sample.map((customer) => (
              <tr key={customer.id}>
                <td>{customer.name ?? ''}</td>
                <td>{customer.email ?? ''}</td>
                <td>{customer.city ?? ''}</td>
                <td className="crm-preview-number">{typeof customer.visits === 'number' ? format.count(customer.visits) : ''}</td>
                <td className="crm-preview-number">{typeof customer.totalSpend === 'number' ? format.money(customer.totalSpend) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}
