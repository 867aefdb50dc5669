'use client'

import { formatAdminURL } from 'payload/shared'
import React from 'react'

import type { ProgressAnswer, ReportAnswer } from './api.js'

import { campaignRates, campaignStatusLabel, communicationLogQuery, formatRate, progressParts } from '../../domain/campaigns/campaignView.js'
import { DeliveryChart } from './DeliveryChart.js'

const LOG_STATUSES = ['delivered', 'sent', 'failed', 'pending'] as const

/** The live part of the campaign view: status, progress bar, rates, pause reason, failures, chart, log links. */
export const ProgressPanel = ({ adminRoute, campaignId, progress, report }: { adminRoute: string; campaignId: number | string; progress: ProgressAnswer; report: null | ReportAnswer }) => {
  const { stats } = progress
  const parts = progressParts(stats)
  const rates = campaignRates(stats)
  const logsHref = (status?: (typeof LOG_STATUSES)[number]) =>
    formatAdminURL({ adminRoute, path: `/collections/communication-logs${communicationLogQuery({ campaignId, status })}`, relative: true })
  return (
    <section aria-label="Progress" className="crm-campaign-progress" data-status={progress.status} data-testid="campaign-progress">
      <p className="crm-campaign-status">
        Status: <strong data-testid="campaign-status">{campaignStatusLabel(progress.status)}</strong>
        {progress.status === 'scheduled' && progress.scheduledAt ? <> for {new Date(progress.scheduledAt).toLocaleString('en-GB')}</> : null}
        {stats.audience > 0 ? <> · {progress.percent} % done</> : null}
      </p>
      {progress.statusReason ? (
        <p className="crm-error" data-testid="campaign-status-reason" role="status">
          {progress.status === 'paused' ? 'Paused: ' : ''}
          {progress.statusReason}
        </p>
      ) : null}
      <div aria-label={`${progress.percent} % done`} aria-valuemax={100} aria-valuemin={0} aria-valuenow={progress.percent} className="crm-progress-bar" role="progressbar">
        {parts.map((part) => (part.percent > 0 ? <span className={`crm-progress-${part.key}`} key={part.key} style={{ width: `${part.percent}%` }} title={`${part.label}: ${part.count}`} /> : null))}
      </div>
      <dl className="crm-campaign-counts" data-testid="campaign-counts">
        {(['audience', 'sent', 'delivered', 'failed', 'pending', 'skipped'] as const).map((key) => (
          <div key={key}>
            <dt>{key === 'skipped' ? 'skipped (opted out)' : key}</dt>
            <dd data-testid={`campaign-count-${key}`}>{stats[key]}</dd>
          </div>
        ))}
        <div>
          <dt>delivery rate</dt>
          <dd data-testid="campaign-delivery-rate">{formatRate(rates.deliveryRate)}</dd>
        </div>
        <div>
          <dt>failure rate</dt>
          <dd data-testid="campaign-failure-rate">{formatRate(rates.failureRate)}</dd>
        </div>
      </dl>
      {report && report.failureReasons.length > 0 ? (
        <div data-testid="campaign-failure-reasons">
          <strong>Why messages failed</strong>
          <table className="crm-failure-reasons">
            <tbody>
              {report.failureReasons.map((row) => (
                <tr key={row.reason}>
                  <td>{row.reason}</td>
                  <td>{row.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {report ? <DeliveryChart delivery={report.delivery} /> : null}
      <p className="crm-log-links" data-testid="campaign-log-links">
        Communication log: <a href={logsHref()}>all</a>
        {LOG_STATUSES.map((status) => (
          <React.Fragment key={status}>
            {' · '}
            <a data-testid={`campaign-logs-${status}`} href={logsHref(status)}>
              {status}
            </a>
          </React.Fragment>
        ))}
      </p>
    </section>
  )
}
