'use client'

import React from 'react'
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'

import type { DashboardData } from '../../operations/dashboard/readDashboard.js'
import type { Formatters } from '../shared/useFormatters.js'

/** Colours with at least 4.5:1 contrast on white and on Payload's dark theme background. */
const COLOURS = { delivered: '#15803d', failed: '#b91c1c', orders: '#2563eb', pending: '#a16207', revenue: '#7c3aed' }

type ChartProps = { data: DashboardData; format: Formatters; link: (path: `/${string}`) => string }

const Panel = ({ children, id, link, linkLabel, title }: { children: React.ReactNode; id: string; link?: string; linkLabel?: string; title: string }) => (
  <figure aria-labelledby={`${id}-title`} className="crm-dashboard__panel" data-testid={id}>
    <figcaption className="crm-dashboard__panel-head">
      <h3 id={`${id}-title`}>{title}</h3>
      {link ? <a href={link}>{linkLabel}</a> : null}
    </figcaption>
    {children}
  </figure>
)

/** Orders (bars) and revenue (line) per month in the store's time zone. */
export const MonthlyChart = ({ data, format, link }: ChartProps) => {
  // Axis labels: the month, with the year on the first bar and on each January; the tooltip names both.
  const rows = data.months.map((row, index) => ({
    ...row,
    label: index === 0 || row.month.endsWith('-01') ? format.month(row.month) : format.monthShort(row.month),
    title: format.month(row.month),
  }))
  return (
    <Panel id="crm-chart-months" link={link('/collections/orders')} linkLabel="All orders" title="Orders and revenue per month">
      <div className="crm-dashboard__chart">
        <ResponsiveContainer height={260} width="100%">
          <ComposedChart accessibilityLayer={false} data={rows} margin={{ bottom: 0, left: 8, right: 8, top: 8 }}>
            <CartesianGrid stroke="var(--theme-elevation-100)" vertical={false} />
            <XAxis dataKey="label" interval={0} tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} tickFormatter={format.compact} yAxisId="orders" />
            <YAxis orientation="right" tick={{ fontSize: 12 }} tickFormatter={format.compactMoney} width={72} yAxisId="revenue" />
            <Tooltip
              formatter={(value, name) => (name === 'Revenue' ? format.money(Number(value)) : format.count(Number(value)))}
              labelFormatter={(_, payload) => String((payload?.[0]?.payload as { title?: string } | undefined)?.title ?? '')}
            />
            <Legend />
            <Bar dataKey="orders" fill={COLOURS.orders} name="Orders" yAxisId="orders" />
            <Line dataKey="revenue" dot={false} name="Revenue" stroke={COLOURS.revenue} strokeWidth={2} type="monotone" yAxisId="revenue" />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </Panel>
  )
}

/** Customers per city (the largest). Each city links to its customers. */
export const CitiesChart = ({ data, format, link }: ChartProps) => (
  <Panel id="crm-chart-cities" link={link('/collections/customers')} linkLabel="All customers" title="Customers by city">
    <div className="crm-dashboard__chart">
      <ResponsiveContainer height={260} width="100%">
        <BarChart accessibilityLayer={false} data={data.cities} layout="vertical" margin={{ left: 16, right: 16 }}>
          <CartesianGrid horizontal={false} stroke="var(--theme-elevation-100)" />
          <XAxis allowDecimals={false} tick={{ fontSize: 12 }} tickFormatter={format.compact} type="number" />
          <YAxis dataKey="city" tick={{ fontSize: 12 }} type="category" width={96} />
          <Tooltip formatter={(value) => format.count(Number(value))} />
          <Bar dataKey="customers" fill={COLOURS.orders} name="Customers" />
        </BarChart>
      </ResponsiveContainer>
    </div>
    <ul className="crm-dashboard__links">
      {data.cities.map((row) => (
        <li key={row.city}>
          <a href={`${link('/collections/customers')}?where[city][equals]=${encodeURIComponent(row.city)}`}>
            {row.city}: {format.count(row.customers)}
          </a>
        </li>
      ))}
    </ul>
  </Panel>
)

/** The largest segments by their stored count; each links to the segment. */
export const SegmentsChart = ({ canWrite, data, format, link }: ChartProps & { canWrite: boolean }) => (
  <Panel
    id="crm-chart-segments"
    link={canWrite ? link('/collections/segments/create') : link('/collections/segments')}
    linkLabel={canWrite ? 'New segment' : 'All segments'}
    title="Segment sizes"
  >
    {data.segments.length === 0 ? (
      <p className="crm-dashboard__none">No segments yet. A segment is a saved rule such as “spend &gt; 10000 AND visits &lt; 3”.</p>
    ) : (
      <>
        <div className="crm-dashboard__chart">
          <ResponsiveContainer height={Math.max(120, data.segments.length * 36 + 40)} width="100%">
            <BarChart accessibilityLayer={false} data={data.segments.map((s) => ({ ...s, count: s.audienceCount ?? 0 }))} layout="vertical" margin={{ left: 16, right: 16 }}>
              <XAxis allowDecimals={false} tick={{ fontSize: 12 }} tickFormatter={format.compact} type="number" />
              <YAxis dataKey="name" tick={{ fontSize: 12 }} type="category" width={170} />
              <Tooltip formatter={(value) => format.count(Number(value))} />
              <Bar dataKey="count" fill={COLOURS.revenue} name="Customers" />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <ul className="crm-dashboard__links">
          {data.segments.map((segment) => (
            <li key={String(segment.id)}>
              <a href={link(`/collections/segments/${String(segment.id)}`)}>
                {segment.name}: {segment.audienceCount === null ? 'not counted' : format.count(segment.audienceCount)}
              </a>
            </li>
          ))}
        </ul>
      </>
    )}
  </Panel>
)

/** The newest campaigns: delivered / failed / not yet delivered, and a table with delivery rates. */
export const CampaignsChart = ({ canWrite, data, format, link }: ChartProps & { canWrite: boolean }) => (
  <Panel
    id="crm-chart-campaigns"
    link={canWrite ? link('/collections/campaigns/create') : link('/collections/campaigns')}
    linkLabel={canWrite ? 'New campaign' : 'All campaigns'}
    title="Recent campaigns"
  >
    {data.campaigns.length === 0 ? (
      <p className="crm-dashboard__none">No campaigns yet. Send one to a segment and its delivery shows up here.</p>
    ) : (
      <>
        <div className="crm-dashboard__chart">
          <ResponsiveContainer height={Math.max(120, data.campaigns.length * 40 + 60)} width="100%">
            <BarChart
              accessibilityLayer={false}
              data={data.campaigns.map((c) => ({ ...c, waiting: Math.max(0, c.sent - c.delivered) }))}
              layout="vertical"
              margin={{ left: 16, right: 16 }}
            >
              <XAxis allowDecimals={false} tick={{ fontSize: 12 }} tickFormatter={format.compact} type="number" />
              <YAxis dataKey="name" tick={{ fontSize: 12 }} type="category" width={170} />
              <Tooltip formatter={(value) => format.count(Number(value))} />
              <Legend />
              <Bar dataKey="delivered" fill={COLOURS.delivered} name="Delivered" stackId="s" />
              <Bar dataKey="waiting" fill={COLOURS.pending} name="Sent, not yet delivered" stackId="s" />
              <Bar dataKey="failed" fill={COLOURS.failed} name="Failed" stackId="s" />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <table className="crm-dashboard__table">
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">Status</th>
              <th scope="col">Audience</th>
              <th scope="col">Sent</th>
              <th scope="col">Failed</th>
              <th scope="col">Delivery rate</th>
            </tr>
          </thead>
          <tbody>
            {data.campaigns.map((campaign) => (
              <tr data-testid="crm-campaign-row" key={String(campaign.id)}>
                <th scope="row">
                  <a href={link(`/collections/campaigns/${String(campaign.id)}`)}>{campaign.name}</a>
                </th>
                <td>{campaign.status}</td>
                <td>{format.count(campaign.audience)}</td>
                <td>{format.count(campaign.sent)}</td>
                <td>{format.count(campaign.failed)}</td>
                <td>{campaign.deliveryRate === null ? '—' : format.percent(campaign.deliveryRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    )}
  </Panel>
)
