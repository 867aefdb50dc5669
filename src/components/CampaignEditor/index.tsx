'use client'

import { Button, useAuth, useConfig, useDocumentInfo, useForm, useFormFields, useFormModified } from '@payloadcms/ui'
import React, { useCallback, useEffect, useRef, useState } from 'react'

import type { PreviewAnswer, ProgressAnswer, ReportAnswer } from './api.js'

import { hasRole } from '../../access/roles.js'
import { campaignButtons, isCampaignLive, sendConfirmation } from '../../domain/campaigns/campaignView.js'
import { audienceOf, crmJson } from './api.js'
import { ProgressPanel } from './ProgressPanel.js'
import './styles.css'

export { CampaignMessageHelpField } from './MessageHelp.js'
export { CampaignStatCell } from './StatCell.js'

const AUDIENCE_DEBOUNCE_MS = 400
const LIVE_POLL_MS = 1000
const SETTLE_POLL_MS = 3000
const REPORT_EVERY_MS = 4000

type Action = 'cancel' | 'pause' | 'resume' | 'send'
type Confirm = { isSchedule: boolean; text: string }

/**
 * The campaign view's working part (under the audience and schedule): the live audience size with
 * the opted-out count, "Send test to me", "Send now"/"Schedule" behind a confirmation, pause, resume
 * and cancel as the state table allows, and live progress with the report. Saving never sends;
 * viewers see it all without the buttons.
 */
export const CampaignEditorField = () => {
  const { config } = useConfig()
  const { admin: adminRoute, api: apiRoute } = config.routes
  const { user } = useAuth()
  const { id } = useDocumentInfo()
  const { dispatchFields } = useForm()
  const isModified = useFormModified()
  const segment = useFormFields(([fields]) => fields.segment?.value)
  const customers = useFormFields(([fields]) => fields.customers?.value)
  const formStatus = useFormFields(([fields]) => fields.status?.value) as string | undefined
  const scheduledAt = useFormFields(([fields]) => fields.scheduledAt?.value) as null | string | undefined
  const canWrite = hasRole(user as { roles?: string[] } | null, 'admin', 'marketer')
  const isSaved = id !== undefined && id !== null && id !== ''

  const [audience, setAudience] = useState<null | PreviewAnswer>(null)
  const [progress, setProgress] = useState<null | ProgressAnswer>(null)
  const [report, setReport] = useState<null | ReportAnswer>(null)
  const [busy, setBusy] = useState<Action | 'test' | null>(null)
  const [confirm, setConfirm] = useState<Confirm | null>(null)
  const [notice, setNotice] = useState<null | { kind: 'error' | 'ok'; text: string }>(null)
  const reportAt = useRef(0)
  const reportGap = useRef(REPORT_EVERY_MS)

  // Live audience size for the form's (maybe unsaved) segment or picked customers.
  const audienceKey = JSON.stringify(audienceOf(segment, customers))
  useEffect(() => {
    const controller = new AbortController()
    const timer = setTimeout(() => {
      crmJson<PreviewAnswer>({ apiRoute, body: { ...JSON.parse(audienceKey), message: '' }, method: 'POST', path: '/campaigns/preview', signal: controller.signal })
        .then((answer) => setAudience(answer.ok ? answer.data : null))
        .catch(() => undefined)
    }, AUDIENCE_DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [apiRoute, audienceKey])

  const status = progress?.status ?? formStatus ?? 'draft'

  const loadReport = useCallback(async () => {
    if (!isSaved) return
    const started = Date.now()
    reportAt.current = started
    const answer = await crmJson<ReportAnswer>({ apiRoute, path: `/campaigns/${id}/report` })
    // A large campaign's report takes a while (about 0.6 s for 200,000 logs on SQLite): ask at most every 5 of its durations.
    reportGap.current = Math.max(REPORT_EVERY_MS, 5 * (Date.now() - started))
    if (answer.ok) setReport(answer.data)
  }, [apiRoute, id, isSaved])

  const loadProgress = useCallback(async () => {
    if (!isSaved) return
    const answer = await crmJson<ProgressAnswer>({ apiRoute, path: `/campaigns/${id}/progress` })
    if (!answer.ok) return
    setProgress((before) => (JSON.stringify(before) === JSON.stringify(answer.data) ? before : answer.data))
  }, [apiRoute, id, isSaved])

  useEffect(() => {
    void loadProgress()
  }, [loadProgress])

  // The report follows the progress: at once when it settles, at most every few seconds while it moves.
  const progressKey = progress ? JSON.stringify(progress) : null
  useEffect(() => {
    if (progressKey === null) return
    const { status: now } = JSON.parse(progressKey) as ProgressAnswer
    const wait = isCampaignLive(now) ? Math.max(0, reportGap.current - (Date.now() - reportAt.current)) : 0
    const timer = setTimeout(() => void loadReport(), wait)
    return () => clearTimeout(timer)
  }, [loadReport, progressKey])

  // Poll while the campaign moves by itself; slower while receipts may still arrive (completed, paused).
  useEffect(() => {
    const every = isCampaignLive(status) ? LIVE_POLL_MS : status === 'completed' || status === 'paused' ? SETTLE_POLL_MS : 0
    if (!isSaved || every === 0) return
    const timer = setInterval(() => void loadProgress(), every)
    return () => clearInterval(timer)
  }, [isSaved, loadProgress, status])

  // Keep the sidebar's read-only status in step with the server.
  useEffect(() => {
    if (!progress) return
    dispatchFields({ path: 'status', type: 'UPDATE', value: progress.status })
    dispatchFields({ path: 'statusReason', type: 'UPDATE', value: progress.statusReason ?? '' })
    for (const [key, value] of Object.entries(progress.stats)) dispatchFields({ path: `stats.${key}`, type: 'UPDATE', value })
  }, [dispatchFields, progress])

  const buttons = campaignButtons({ canWrite, isSaved, now: new Date(), scheduledAt, status })

  const act = async (action: Action) => {
    setBusy(action)
    setNotice(null)
    setConfirm(null)
    const answer = await crmJson<ProgressAnswer>({ apiRoute, body: {}, method: 'POST', path: `/campaigns/${id}/${action}` })
    setBusy(null)
    if (!answer.ok) {
      setNotice({ kind: 'error', text: answer.message })
      return
    }
    setProgress(answer.data)
  }

  /** The saved audience counted now (the form is unmodified when sending is offered). */
  const countAudience = () => crmJson<PreviewAnswer>({ apiRoute, body: { ...JSON.parse(audienceKey), message: '' }, method: 'POST', path: '/campaigns/preview' })

  const askToSend = async (isSchedule: boolean) => {
    setNotice(null)
    setBusy('send')
    // Count the saved audience now, so the confirmation states what the send will do.
    const answer = await countAudience()
    setBusy(null)
    if (!answer.ok) return setNotice({ kind: 'error', text: answer.message })
    if (!answer.data.audience) return setNotice({ kind: 'error', text: answer.data.audienceProblem ?? 'The campaign has no audience.' })
    setAudience(answer.data)
    const when = scheduledAt ? new Date(scheduledAt).toLocaleString('en-GB') : null
    setConfirm({ isSchedule, text: sendConfirmation({ audience: answer.data.audience.size, isSchedule, scheduledAt: when, skipped: answer.data.audience.skipped }) })
  }

  const sendTest = async () => {
    setNotice(null)
    setBusy('test')
    // The audience may still be loading (its count is debounced): read it now if so.
    let samples = audience?.samples
    if (!samples) {
      const answer = await countAudience()
      samples = answer.ok ? answer.data.samples : []
    }
    const customerId = samples[0]?.id
    if (!customerId) {
      setBusy(null)
      return setNotice({ kind: 'error', text: 'There is no customer in the audience to fill the placeholders with.' })
    }
    const answer = await crmJson<{ text: string; to: string }>({ apiRoute, body: { customerId }, method: 'POST', path: `/campaigns/${id}/test-send` })
    setBusy(null)
    setNotice(answer.ok ? { kind: 'ok', text: `Test sent to ${answer.data.to}: “${answer.data.text}”` } : { kind: 'error', text: answer.message })
  }

  const mustSaveFirst = isModified && (buttons.sendNow || buttons.schedule || buttons.testSend)
  const anyButton = Object.values(buttons).some(Boolean)
  return (
    <div className="crm-campaign-editor" data-testid="campaign-editor">
      <p aria-live="polite" className="crm-campaign-audience" data-testid="campaign-audience">
        {audience?.audience ? (
          <>
            <strong data-testid="campaign-audience-size">{audience.audience.size}</strong> {audience.audience.size === 1 ? 'customer' : 'customers'} would get it now;{' '}
            <span data-testid="campaign-audience-skipped">{audience.audience.skipped}</span> opted out {audience.audience.skipped === 1 ? 'is' : 'are'} skipped.
          </>
        ) : (
          <span className="crm-muted">{audience?.audienceProblem ?? 'Counting the audience…'}</span>
        )}
      </p>
      {!isSaved && canWrite ? <p className="crm-muted">Save the campaign to send it. Saving never sends it.</p> : null}
      {anyButton ? (
        <div className="crm-campaign-actions" data-testid="campaign-actions">
          {buttons.testSend ? (
            <Button buttonStyle="secondary" disabled={busy !== null || isModified} margin={false} onClick={() => void sendTest()} size="small">
              {busy === 'test' ? 'Sending test…' : 'Send test to me'}
            </Button>
          ) : null}
          {buttons.sendNow ? (
            <Button disabled={busy !== null || isModified} margin={false} onClick={() => void askToSend(false)} size="small">
              Send now
            </Button>
          ) : null}
          {buttons.schedule ? (
            <Button disabled={busy !== null || isModified} margin={false} onClick={() => void askToSend(true)} size="small">
              Schedule
            </Button>
          ) : null}
          {buttons.pause ? (
            <Button buttonStyle="secondary" disabled={busy !== null} margin={false} onClick={() => void act('pause')} size="small">
              Pause
            </Button>
          ) : null}
          {buttons.resume ? (
            <Button disabled={busy !== null} margin={false} onClick={() => void act('resume')} size="small">
              Resume
            </Button>
          ) : null}
          {buttons.cancel ? (
            <Button buttonStyle="error" disabled={busy !== null} margin={false} onClick={() => void act('cancel')} size="small">
              Cancel campaign
            </Button>
          ) : null}
        </div>
      ) : null}
      {mustSaveFirst ? <p className="crm-muted">Save your changes first: sending and test sends use the saved campaign.</p> : null}
      {confirm ? (
        <div aria-labelledby="crm-confirm-text" aria-modal="false" className="crm-confirm" data-testid="campaign-confirm" role="alertdialog">
          <p id="crm-confirm-text">{confirm.text}</p>
          <div className="crm-campaign-actions">
            <Button disabled={busy !== null} margin={false} onClick={() => void act('send')} size="small">
              {confirm.isSchedule ? 'Yes, schedule it' : 'Yes, send it'}
            </Button>
            <Button buttonStyle="secondary" margin={false} onClick={() => setConfirm(null)} size="small">
              Not now
            </Button>
          </div>
        </div>
      ) : null}
      {notice ? (
        <p className={notice.kind === 'error' ? 'crm-error' : 'crm-ok'} data-testid="campaign-notice" role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      ) : null}
      {isSaved && progress && (progress.status !== 'draft' || progress.stats.audience > 0) ? (
        <ProgressPanel adminRoute={adminRoute} campaignId={id} progress={progress} report={report} />
      ) : null}
    </div>
  )
}
