'use client'

import React, { useCallback, useEffect, useRef, useState } from 'react'

import type { DemoDataStatus } from '../../operations/seed/demoDataStatus.js'

const PHASE_LABELS: Record<NonNullable<DemoDataStatus['phase']>, string> = {
  aggregates: 'Computing spend per customer',
  campaign: 'Sending the demo campaign',
  customers: 'Creating customers',
  orders: 'Creating orders',
  segments: 'Counting segments',
}

const POLL_MS = 1000
/** Polls that may fail in a row (a busy server, a dropped keep-alive connection) before the bar gives up. */
const MAX_MISSED_POLLS = 10

const messageOf = async (res: Response): Promise<string> => {
  try {
    const body = (await res.json()) as { errors?: { message?: string }[] }
    return body.errors?.[0]?.message ?? `The server answered ${res.status}.`
  } catch {
    return `The server answered ${res.status}.`
  }
}

/**
 * "Load demo data" for admins on an empty CRM: starts `POST /api/demo-data`, shows the job's progress
 * bar from `GET /api/demo-data/status`, and calls `onLoaded` when it completes. A load already
 * running when the page opens is picked up. Errors are shown next to the button.
 */
export const DemoDataLoader = ({ apiUrl, onLoaded }: { apiUrl: (path: `/${string}`) => string; onLoaded: () => void }) => {
  const [status, setStatus] = useState<DemoDataStatus | null>(null)
  const [error, setError] = useState<null | string>(null)
  const [isStarting, setIsStarting] = useState(false)
  /** `checking` until the status answers; `no-worker` when this server runs no job worker (503). */
  const [availability, setAvailability] = useState<'checking' | 'no-worker' | 'ready'>('checking')
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const missed = useRef(0)
  // The latest callback without re-creating `poll` (which would restart the pick-up effect) on each render.
  const onLoadedRef = useRef(onLoaded)
  onLoadedRef.current = onLoaded
  const isActive = status?.state === 'queued' || status?.state === 'running'

  const poll = useCallback(async () => {
    try {
      const res = await fetch(apiUrl('/demo-data/status'), { credentials: 'include' })
      if (!res.ok) {
        setError(await messageOf(res))
        return
      }
      const next = (await res.json()) as DemoDataStatus
      missed.current = 0
      setStatus(next)
      if (next.state === 'queued' || next.state === 'running') timer.current = setTimeout(() => void poll(), POLL_MS)
      else if (next.state === 'completed') onLoadedRef.current()
      else if (next.state === 'failed') setError(`Loading the demo data failed: ${next.error ?? 'unknown error'}`)
    } catch {
      // The server is busy loading: try again a few times before saying so.
      missed.current += 1
      if (missed.current < MAX_MISSED_POLLS) timer.current = setTimeout(() => void poll(), POLL_MS)
      else setError('The server could not be reached; is it still running? Reload the page to see the progress.')
    }
  }, [apiUrl])

  useEffect(() => {
    // Pick up a load started earlier (another tab, a reload), without reporting old failures.
    void (async () => {
      const res = await fetch(apiUrl('/demo-data/status'), { credentials: 'include' }).catch(() => null)
      if (res?.status === 503) return setAvailability('no-worker')
      setAvailability('ready')
      if (!res?.ok) return
      const current = (await res.json()) as DemoDataStatus
      if (current.state === 'queued' || current.state === 'running') {
        setStatus(current)
        timer.current = setTimeout(() => void poll(), POLL_MS)
      }
    })()
    return () => clearTimeout(timer.current)
  }, [apiUrl, poll])

  const start = async () => {
    setError(null)
    setIsStarting(true)
    try {
      const res = await fetch(apiUrl('/demo-data'), {
        body: JSON.stringify({}),
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        method: 'POST',
      })
      if (!res.ok) {
        setError(await messageOf(res))
        return
      }
      setStatus((await res.json()) as DemoDataStatus)
      timer.current = setTimeout(() => void poll(), POLL_MS)
    } catch {
      setError('The server could not be reached; is it still running?')
    } finally {
      setIsStarting(false)
    }
  }

  const percent = status?.percent ?? 0
  if (availability === 'no-worker') {
    return (
      <p className="crm-demo" data-testid="crm-demo-loader">
        This server runs no job worker, so demo data cannot be loaded from here: run <code>npm run seed</code>.
      </p>
    )
  }
  return (
    <div className="crm-demo" data-testid="crm-demo-loader">
      <p>
        Want to look around first? Load a realistic demo: 100,000 customers, 300,000 orders, a few segments and a finished campaign.
      </p>
      <button
        aria-describedby={error ? 'crm-demo-error' : undefined}
        className="btn btn--style-primary btn--size-medium"
        data-testid="crm-load-demo"
        disabled={availability !== 'ready' || isStarting || isActive}
        onClick={() => void start()}
        type="button"
      >
        {isActive ? 'Loading demo data…' : 'Load demo data'}
      </button>
      {isActive ? (
        <div className="crm-demo__progress" data-testid="crm-demo-progress">
          <div
            aria-label="Loading demo data"
            aria-valuemax={100}
            aria-valuemin={0}
            aria-valuenow={percent}
            aria-valuetext={`${percent}%${status?.phase ? `, ${PHASE_LABELS[status.phase]}` : ''}`}
            className="crm-demo__bar"
            role="progressbar"
          >
            <div className="crm-demo__fill" style={{ width: `${percent}%` }} />
          </div>
          <p aria-live="polite" className="crm-demo__phase">
            {status?.state === 'queued' ? 'Waiting for the job worker…' : `${percent}% — ${status?.phase ? PHASE_LABELS[status.phase] : 'starting'}`}
          </p>
        </div>
      ) : null}
      {error ? (
        <p className="crm-demo__error" data-testid="crm-demo-error" id="crm-demo-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}
