import type { AdminViewServerProps } from 'payload'

import { formatAdminURL } from 'payload/shared'
import React from 'react'

import type { CrmDashboardProps } from './types.js'

import { hasRole } from '../../access/roles.js'
import { SLUGS } from '../../collections/slugs.js'
import './styles.css'

type Counts = { campaigns: number; customers: number; orders: number; segments: number }

const CARDS: { key: keyof Counts; label: string }[] = [
  { key: 'customers', label: 'Customers' },
  { key: 'orders', label: 'Orders' },
  { key: 'segments', label: 'Segments' },
  { key: 'campaigns', label: 'Campaigns' },
]

const numberFormat = new Intl.NumberFormat('en-IN')

/**
 * Dashboard landing block (server component): live counts of the CRM collections, and for an
 * empty CRM a short "what to do first" guide instead of four zeros. Links follow the config's
 * `routes.admin` / `routes.api`, so a host that mounts Payload elsewhere gets working links.
 */
export const CrmDashboard = async ({
  payload,
  showApiDocs = true,
  user,
}: CrmDashboardProps & Partial<AdminViewServerProps> & { payload: AdminViewServerProps['payload'] }) => {
  const { admin: adminRoute, api: apiRoute } = payload.config.routes
  const adminURL = (path: `/${string}`) => formatAdminURL({ adminRoute, path, relative: true })
  const entries = await Promise.all(
    CARDS.map(async ({ key }) => [key, (await payload.count({ collection: SLUGS[key], overrideAccess: false, user })).totalDocs] as const),
  )
  const counts = Object.fromEntries(entries) as Counts
  const isEmpty = counts.customers === 0 && counts.orders === 0
  const canWrite = hasRole(user as { roles?: string[] } | null, 'admin', 'marketer')

  return (
    <section aria-label="CRM overview" className="crm-dashboard">
      <h2 className="crm-dashboard__title">CRM overview</h2>
      <ul className="crm-dashboard__cards">
        {CARDS.map(({ key, label }) => (
          <li className="crm-dashboard__card" data-testid={`crm-count-${key}`} key={key}>
            <a href={adminURL(`/collections/${SLUGS[key]}`)}>
              <span className="crm-dashboard__count">{numberFormat.format(counts[key])}</span>
              <span className="crm-dashboard__label">{label}</span>
            </a>
          </li>
        ))}
      </ul>
      {isEmpty ? (
        <div className="crm-dashboard__empty" data-testid="crm-empty-state">
          <h3>Your CRM is empty — here is where to start</h3>
          <ol>
            <li>
              <strong>Bring in customers.</strong>{' '}
              {canWrite ? (
                <>
                  <a href={adminURL(`/collections/${SLUGS.customers}/create`)}>Add one by hand</a>, import a CSV with{' '}
                  <code>{`POST ${apiRoute}/${SLUGS.customers}/import`}</code>, or load demo data with <code>npm run seed</code>.
                </>
              ) : (
                'Ask an admin or marketer to import customers; your role can read but not change data.'
              )}
            </li>
            <li>
              <strong>Add their orders</strong> — spend, order counts and last-order dates are computed from them.
            </li>
            <li>
              <strong>Define a segment</strong> such as <code>spend &gt; 10000 AND visits &lt; 3</code>.
            </li>
            <li>
              <strong>Send a campaign</strong> to that segment, now or on a schedule.
            </li>
          </ol>
          {showApiDocs ? (
            <p>
              Developers: the API is described at{' '}
              <a href={formatAdminURL({ apiRoute, path: '/docs', relative: true })}>{`${apiRoute}/docs`}</a>.
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  )
}
