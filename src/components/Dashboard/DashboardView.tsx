'use client'

import { formatAdminURL } from 'payload/shared'
import React, { useCallback, useState } from 'react'

import type { DashboardData } from '../../operations/dashboard/readDashboard.js'
import type { CrmDashboardViewProps } from './types.js'

import { CampaignsChart, CitiesChart, MonthlyChart, SegmentsChart } from './DashboardCharts.js'
import { DemoDataLoader } from './DemoDataLoader.js'
import { useFormatters } from '../shared/useFormatters.js'

type CardKey = 'campaigns' | 'customers' | 'orders' | 'revenue' | 'segments'

/**
 * The dashboard (client part): counts, revenue and charts from the server's first render, an empty
 * state with a short guide (and "Load demo data" for admins), and a reload of `GET /api/dashboard`
 * once a demo load completes (with a loading state meanwhile).
 */
export const CrmDashboardView = ({ adminRoute, apiRoute, canLoadDemoData, canWrite, data: initial, fallbackCounts, showApiDocs }: CrmDashboardViewProps) => {
  const [data, setData] = useState<DashboardData | null>(initial)
  const [isLoading, setIsLoading] = useState(false)
  const [loadError, setLoadError] = useState<null | string>(null)
  const format = useFormatters(data?.currency ?? 'INR')
  const link = useCallback((path: `/${string}`) => formatAdminURL({ adminRoute, path, relative: true }), [adminRoute])
  const apiUrl = useCallback((path: `/${string}`) => formatAdminURL({ apiRoute, path, relative: true }), [apiRoute])

  const reload = useCallback(async () => {
    setIsLoading(true)
    setLoadError(null)
    try {
      const res = await fetch(apiUrl('/dashboard'), { credentials: 'include' })
      if (!res.ok) throw new Error(String(res.status))
      setData((await res.json()) as DashboardData)
    } catch {
      setLoadError('The dashboard figures could not be loaded; reload the page to try again.')
    } finally {
      setIsLoading(false)
    }
  }, [apiUrl])

  const counts = {
    campaigns: data?.counts.campaigns ?? fallbackCounts.campaigns,
    customers: data?.totals.customers ?? fallbackCounts.customers,
    orders: data?.totals.orders ?? fallbackCounts.orders,
    segments: data?.counts.segments ?? fallbackCounts.segments,
  }
  const cards: { href: string; key: CardKey; label: string; value: string }[] = [
    { href: link('/collections/customers'), key: 'customers', label: 'Customers', value: format.count(counts.customers) },
    { href: link('/collections/orders'), key: 'orders', label: 'Orders', value: format.count(counts.orders) },
    ...(data ? [{ href: link('/collections/orders'), key: 'revenue' as const, label: 'Revenue', value: format.money(data.totals.revenue) }] : []),
    { href: link('/collections/segments'), key: 'segments', label: 'Segments', value: format.count(counts.segments) },
    { href: link('/collections/campaigns'), key: 'campaigns', label: 'Campaigns', value: format.count(counts.campaigns) },
  ]
  const isEmpty = counts.customers === 0 && counts.orders === 0

  return (
    <section aria-busy={isLoading} aria-labelledby="crm-dashboard-title" className="crm-dashboard" data-testid="crm-dashboard">
      <h2 className="crm-dashboard__title" id="crm-dashboard-title">
        CRM overview
      </h2>
      <ul className="crm-dashboard__cards">
        {cards.map(({ href, key, label, value }) => (
          <li className="crm-dashboard__card" data-testid={`crm-count-${key}`} key={key}>
            <a href={href}>
              <span className="crm-dashboard__count">{value}</span>
              <span className="crm-dashboard__label">{label}</span>
            </a>
          </li>
        ))}
      </ul>
      {isLoading ? (
        <p className="crm-dashboard__loading" data-testid="crm-dashboard-loading" role="status">
          Loading the figures…
        </p>
      ) : null}
      {loadError ? (
        <p className="crm-demo__error" role="alert">
          {loadError}
        </p>
      ) : null}
      {isEmpty ? (
        <div className="crm-dashboard__empty" data-testid="crm-empty-state">
          <h3>Your CRM is empty — here is where to start</h3>
          {canLoadDemoData ? <DemoDataLoader apiUrl={apiUrl} onLoaded={() => void reload()} /> : null}
          <ol>
            <li>
              <strong>Bring in customers.</strong>{' '}
              {canWrite ? (
                <>
                  <a href={link('/collections/customers/create')}>Add one by hand</a>, import a CSV with <code>{`POST ${apiRoute}/customers/import`}</code>, or load
                  demo data with <code>npm run seed</code>.
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
              Developers: the API is described at <a href={apiUrl('/docs')}>{`${apiRoute}/docs`}</a>.
            </p>
          ) : null}
        </div>
      ) : data ? (
        <div className="crm-dashboard__grid" data-testid="crm-charts">
          <MonthlyChart data={data} format={format} link={link} />
          <CitiesChart data={data} format={format} link={link} />
          <SegmentsChart canWrite={canWrite} data={data} format={format} link={link} />
          <CampaignsChart canWrite={canWrite} data={data} format={format} link={link} />
        </div>
      ) : null}
    </section>
  )
}
