import type { UIFieldServerProps } from 'payload'

import React from 'react'

import { hasRole } from '../../access/roles.js'
import { crmOptionsOf } from '../../crmOptionsOf.js'
import { segmentMembersLink } from '../../domain/segments/membersLink.js'

/** Payload's `.field-description` grey fails WCAG AA contrast (axe); elevation-700 passes. */
const MUTED = { color: 'var(--theme-elevation-700)' } as const

const numberFormat = new Intl.NumberFormat('en-IN')

/**
 * Segment edit view, sidebar (server component): "Open N members" — the customers list filtered by
 * the saved rules (Payload `where`, for rules in its subset) — or, for rules outside that subset,
 * why not and a link to download the members as CSV. Reads the saved document, so it reflects the
 * last save (the count is the one stored then).
 */
export const SegmentMembersLink = ({ data, id, payload, req }: UIFieldServerProps) => {
  if (id === undefined || id === null || !data?.rules) {
    return <p className="field-description segment-members-link" data-testid="segment-members-link" style={MUTED}>Save the segment to open its members.</p>
  }
  const { admin: adminRoute, api: apiRoute } = payload.config.routes
  const link = segmentMembersLink({
    adminRoute,
    apiRoute,
    clock: { now: new Date(), timeZone: crmOptionsOf(payload).storeTimezone },
    id,
    rules: data.rules,
  })
  // The CSV export is for marketers and admins (as its endpoint).
  const canExport = hasRole(req?.user as { roles?: string[] } | null, 'admin', 'marketer')
  const count = typeof data.audienceCount === 'number' ? numberFormat.format(data.audienceCount) : 'the'
  if (link.kind === 'invalid') return <p className="field-description segment-members-link" data-testid="segment-members-link" style={MUTED}>{link.reason}</p>
  if (link.kind === 'outside') {
    return (
      <div className="segment-members-link" data-testid="segment-members-link">
        <p className="field-description" style={MUTED}>
          The admin list cannot show these members exactly ({link.reason}).
        </p>
        {canExport ? (
          <a className="btn btn--style-secondary btn--size-small" data-testid="segment-members-csv" href={link.csvHref}>
            Download {count} members as CSV
          </a>
        ) : null}
      </div>
    )
  }
  return (
    <div className="segment-members-link" data-testid="segment-members-link">
      <a className="btn btn--style-primary btn--size-small" data-testid="segment-members-open" href={link.href}>
        Open {count} members
      </a>{' '}
      {canExport ? (
        <a className="btn btn--style-secondary btn--size-small" data-testid="segment-members-csv" href={link.csvHref}>
          CSV
        </a>
      ) : null}
    </div>
  )
}
