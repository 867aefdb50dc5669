'use client'

import { SetStepNav, useConfig } from '@payloadcms/ui'
import { formatAdminURL } from 'payload/shared'
import React, { useCallback, useEffect, useRef, useState } from 'react'

type Issue = { column?: string; message: string; row: number }
type ImportDoc = {
  createdAt: string
  createdBy?: null | string
  created: number
  durationMs?: null | number
  errorSummary?: null | string
  errors?: Issue[] | null
  failed: number
  fileName?: null | string
  id: number | string
  kind: 'customers' | 'orders'
  rows: number
  rowsPerSecond?: null | number
  status: 'done' | 'failed' | 'processing' | 'queued'
  unchanged: number
  updated: number
  warnings?: Issue[] | null
}

const SHOWN_ISSUES = 20
/** Payload's table headers are too pale for WCAG AA contrast (axe): ours use the body text colour. */
const HEADER_STYLE = { color: 'var(--theme-elevation-800)' }
const POLL_MS = 500

/** Data rows in a CSV file (lines after the header), counted by streaming it, for the progress bar. */
const countRows = async (file: File): Promise<number> => {
  let lines = 0
  let last = 10
  const reader = file.stream().getReader()
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    for (const byte of part.value) if (byte === 10) lines += 1
    if (part.value.length > 0) last = part.value[part.value.length - 1]!
  }
  if (last !== 10) lines += 1
  return Math.max(0, lines - 1)
}

const issueText = (issue: Issue) => `Row ${issue.row}${issue.column ? ` (${issue.column})` : ''}: ${issue.message}`

/** The import page's client part: kind picker, upload, live progress, summary, rejected rows, history. */
export const ImportPanel = ({ canImport }: { canImport: boolean }) => {
  const { config } = useConfig()
  const api = useCallback((path: `/${string}`) => formatAdminURL({ apiRoute: config.routes.api, path }), [config.routes.api])
  const [kind, setKind] = useState<'customers' | 'orders'>('customers')
  const [file, setFile] = useState<File | null>(null)
  const [current, setCurrent] = useState<ImportDoc | null>(null)
  const [expectedRows, setExpectedRows] = useState<null | number>(null)
  const [error, setError] = useState<null | string>(null)
  const [isBusy, setIsBusy] = useState(false)
  const [history, setHistory] = useState<ImportDoc[]>([])
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)

  const loadHistory = useCallback(async () => {
    const res = await fetch(api('/imports?limit=20&sort=-createdAt&depth=0'), { credentials: 'include' })
    if (res.ok) setHistory(((await res.json()) as { docs: ImportDoc[] }).docs)
  }, [api])

  useEffect(() => {
    void loadHistory()
    return () => {
      if (timer.current) clearTimeout(timer.current)
    }
  }, [loadHistory])

  const poll = useCallback(
    (id: number | string) => {
      const tick = async () => {
        const res = await fetch(api(`/imports/${id}`), { credentials: 'include' })
        if (res.ok) {
          const doc = (await res.json()) as ImportDoc
          setCurrent(doc)
          if (doc.status === 'done' || doc.status === 'failed') {
            setIsBusy(false)
            void loadHistory()
            return
          }
        }
        timer.current = setTimeout(() => void tick(), POLL_MS)
      }
      void tick()
    },
    [api, loadHistory],
  )

  const upload = async (event: React.FormEvent) => {
    event.preventDefault()
    if (!file) return setError('Choose a CSV file first.')
    setError(null)
    setCurrent(null)
    setIsBusy(true)
    setExpectedRows(await countRows(file))
    const body = new FormData()
    body.append('file', file, file.name)
    const res = await fetch(api(`/${kind}/import?async=true`), { body, credentials: 'include', method: 'POST' })
    const answer = (await res.json().catch(() => ({}))) as { errors?: { message: string }[]; id?: number | string }
    if (res.status !== 202 || answer.id === undefined) {
      setIsBusy(false)
      return setError(answer.errors?.map((e) => e.message).join(' ') || `The upload failed (${res.status}).`)
    }
    void loadHistory()
    poll(answer.id)
  }

  const percent =
    current?.status === 'done' || current?.status === 'failed' ? 100 : current && expectedRows ? Math.min(99, Math.floor((current.rows / expectedRows) * 100)) : 0

  return (
    <div className="crm-import" data-testid="crm-import">
      <SetStepNav nav={[{ label: 'Import' }]} />
      {canImport ? (
        <form onSubmit={(event) => void upload(event)} style={{ alignItems: 'end', display: 'flex', flexWrap: 'wrap', gap: 16, margin: '16px 0' }}>
          <label style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
            What the file holds
            <select data-testid="crm-import-kind" disabled={isBusy} onChange={(event) => setKind(event.target.value as 'customers' | 'orders')} value={kind}>
              <option value="customers">Customers</option>
              <option value="orders">Orders</option>
            </select>
          </label>
          <label style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
            CSV file
            <input accept=".csv,text/csv" data-testid="crm-import-file" disabled={isBusy} onChange={(event) => setFile(event.target.files?.[0] ?? null)} type="file" />
          </label>
          <button className="btn btn--style-primary btn--size-medium" data-testid="crm-import-start" disabled={isBusy || !file} style={{ margin: 0 }} type="submit">
            {isBusy ? 'Importing…' : 'Import'}
          </button>
        </form>
      ) : (
        <p>Viewers see the import history; marketers and admins import.</p>
      )}
      {error ? (
        <p role="alert" style={{ color: 'var(--theme-error-500)' }}>
          {error}
        </p>
      ) : null}
      {current ? (
        <section aria-label="Current import" data-status={current.status} data-testid="crm-import-current" style={{ margin: '16px 0' }}>
          <div
            aria-label="Import progress"
            aria-valuemax={100}
            aria-valuemin={0}
            aria-valuenow={percent}
            role="progressbar"
            style={{ background: 'var(--theme-elevation-100)', borderRadius: 4, height: 12, overflow: 'hidden' }}
          >
            <div style={{ background: current.status === 'failed' ? 'var(--theme-error-500)' : 'var(--theme-success-500)', height: '100%', transition: 'width 0.3s', width: `${percent}%` }} />
          </div>
          <p data-testid="crm-import-progress">
            {current.status}: {current.rows.toLocaleString()}
            {expectedRows ? ` of ${expectedRows.toLocaleString()}` : ''} rows
            {current.rowsPerSecond ? `, ${Math.round(current.rowsPerSecond).toLocaleString()} rows/s` : ''}
          </p>
          {current.status === 'done' || current.status === 'failed' ? (
            <div data-testid="crm-import-summary">
              <p>
                {current.created} created, {current.updated} updated ({current.unchanged} unchanged), {current.failed} rejected
                {current.durationMs ? ` in ${(current.durationMs / 1000).toFixed(1)} s` : ''}.
              </p>
              {current.errorSummary ? <p>{current.errorSummary}</p> : null}
              {current.errors?.length ? (
                <details open>
                  <summary>Errors ({current.errors.length})</summary>
                  <ul data-testid="crm-import-errors">
                    {current.errors.slice(0, SHOWN_ISSUES).map((issue, index) => (
                      <li key={index}>{issueText(issue)}</li>
                    ))}
                  </ul>
                </details>
              ) : null}
              {current.warnings?.length ? (
                <details>
                  <summary>Warnings ({current.warnings.length})</summary>
                  <ul>
                    {current.warnings.slice(0, SHOWN_ISSUES).map((issue, index) => (
                      <li key={index}>{issueText(issue)}</li>
                    ))}
                  </ul>
                </details>
              ) : null}
              {current.failed > 0 ? (
                <a data-testid="crm-import-rejected" download href={api(`/imports/${current.id}/rejected`)}>
                  Download the rejected rows (CSV with a reason column)
                </a>
              ) : null}
            </div>
          ) : null}
        </section>
      ) : null}
      <h2 style={{ marginTop: 32 }}>History</h2>
      <table className="table" data-testid="crm-import-history" style={{ width: '100%' }}>
        <thead>
          <tr>
            <th style={HEADER_STYLE}>File</th>
            <th style={HEADER_STYLE}>Kind</th>
            <th style={HEADER_STYLE}>Status</th>
            <th style={HEADER_STYLE}>Rows</th>
            <th style={HEADER_STYLE}>Rejected</th>
            <th style={HEADER_STYLE}>By</th>
            <th style={HEADER_STYLE}>When</th>
            <th style={HEADER_STYLE}>Duration</th>
          </tr>
        </thead>
        <tbody>
          {history.map((doc) => (
            <tr data-status={doc.status} key={doc.id}>
              <td>{doc.fileName}</td>
              <td>{doc.kind}</td>
              <td title={doc.errorSummary ?? undefined}>{doc.status}</td>
              <td>{doc.rows}</td>
              <td>
                {doc.failed > 0 && canImport && (doc.status === 'done' || doc.status === 'failed') ? (
                  <a download href={api(`/imports/${doc.id}/rejected`)}>
                    {doc.failed}
                  </a>
                ) : (
                  doc.failed
                )}
              </td>
              <td>{doc.createdBy}</td>
              <td>{new Date(doc.createdAt).toLocaleString()}</td>
              <td>{doc.durationMs ? `${(doc.durationMs / 1000).toFixed(1)} s` : ''}</td>
            </tr>
          ))}
          {history.length === 0 ? (
            <tr>
              <td colSpan={8}>No imports yet.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  )
}
