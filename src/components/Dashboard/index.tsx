import type { AdminViewServerProps } from 'payload'

import React from 'react'

import { SLUGS } from '../../collections/slugs.js'
import { hasRole } from '../../access/roles.js'
import './styles.css'

type Counts = { campaigns: number; customers: number; orders: number; segments: number }

const CARDS: { href: string; key: keyof Counts; label: string }[] = [
  { href: `/admin/collections/${SLUGS.customers}`, key: 'customers', label: 'Customers' },
  { href: `/admin/collections/${SLUGS.orders}`, key: 'orders', label: 'Orders' },
  { href: `/admin/collections/${SLUGS.segments}`, key: 'segments', label: 'Segments' },
  { href: `/admin/collections/${SLUGS.campaigns}`, key: 'campaigns', label: 'Campaigns' },
]

const numberFormat = new Intl.NumberFormat('en-IN')

/**
 * Dashboard landing block (server component): live counts of the CRM collections, and for an
 * empty CRM a short "what to do first" guide instead of four zeros.
 */
export const CrmDashboard = async ({ payload, user }: Partial<AdminViewServerProps> & { payload: AdminViewServerProps['payload'] }) => {
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
        {CARDS.map(({ href, key, label }) => (
          <li className="crm-dashboard__card" data-testid={`crm-count-${key}`} key={key}>
            <a href={href}>
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
                  <a href={`/admin/collections/${SLUGS.customers}/create`}>Add one by hand</a>, import a CSV with{' '}
                  <code>POST /api/customers/import</code>, or load demo data with <code>npm run seed</code>.
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
          <p>
            Developers: the API is described at <a href="/api/docs">/api/docs</a>.
          </p>
        </div>
      ) : null}
    </section>
  )
}
