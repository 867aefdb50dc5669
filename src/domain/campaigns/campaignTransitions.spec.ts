import type { CampaignAction, CampaignState } from './campaignTransitions.js'

import { CAMPAIGN_STATUSES } from '../../constants.js'
import { CAMPAIGN_STATES, FINAL_CAMPAIGN_STATES, isCampaignState, transitionCampaign } from './campaignTransitions.js'

const now = new Date('2026-01-10T12:00:00Z')

/** Every action, with the variants its guard distinguishes. */
const ACTIONS: Record<string, CampaignAction> = {
  sendNow: { now, type: 'send' },
  sendPast: { now, scheduledAt: '2026-01-10T11:59:59Z', type: 'send' },
  sendAtNow: { now, scheduledAt: now, type: 'send' },
  sendLater: { now, scheduledAt: new Date('2026-01-11T09:00:00Z'), type: 'send' },
  cancel: { type: 'cancel' },
  pauseUser: { by: 'user', type: 'pause' },
  pauseThreshold: { by: 'threshold', reason: '12 % of the last 500 messages failed', type: 'pause' },
  resume: { type: 'resume' },
  startDue: { now, scheduledAt: '2026-01-10T12:00:00Z', type: 'start' },
  startEarly: { now, scheduledAt: '2026-01-10T12:00:01Z', type: 'start' },
  completeDone: { pending: 0, type: 'complete' },
  completePending: { pending: 3, type: 'complete' },
  fail: { reason: 'The segment was deleted', type: 'fail' },
}

const X = null // refused with a 409
const COLUMNS = Object.keys(ACTIONS)

// Written out by hand from the contract's transition table: one row per state, one column per action above.
const EXPECTED: Record<CampaignState, (CampaignState | null)[]> = {
  //         sendNow     sendPast    sendAtNow   sendLater    cancel       pauseUser pauseThr  resume     startDue   startEarly completeDone completePending fail
  draft: ['sending', 'sending', 'sending', 'scheduled', 'cancelled', X, X, X, X, X, X, X, X],
  scheduled: [X, X, X, X, 'cancelled', X, X, X, 'sending', X, X, X, 'failed'],
  sending: [X, X, X, X, 'cancelled', 'paused', 'paused', X, X, X, 'completed', X, 'failed'],
  paused: [X, X, X, X, 'cancelled', X, X, 'sending', X, X, X, X, X],
  completed: [X, X, X, X, X, X, X, X, X, X, X, X, X],
  cancelled: [X, X, X, X, X, X, X, X, X, X, X, X, X],
  failed: [X, X, X, X, X, X, X, X, X, X, X, X, X],
}

const cases = CAMPAIGN_STATES.flatMap((from) => COLUMNS.map((column, i) => ({ column, expected: EXPECTED[from][i] ?? null, from })))

describe('transitionCampaign', () => {
  it('should have an expectation for every state and action', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...CAMPAIGN_STATES].sort())
    for (const row of Object.values(EXPECTED)) expect(row).toHaveLength(COLUMNS.length)
    expect(cases).toHaveLength(CAMPAIGN_STATES.length * COLUMNS.length)
  })

  it.each(cases.filter((c) => c.expected !== null))('should move $from by $column to $expected', ({ column, expected, from }) => {
    expect(transitionCampaign({ action: ACTIONS[column]!, from })).toMatchObject({ from, isAllowed: true, to: expected })
  })

  it.each(cases.filter((c) => c.expected === null))('should refuse $column on a $from campaign with a 409 and a reason', ({ column, from }) => {
    const result = transitionCampaign({ action: ACTIONS[column]!, from })
    expect(result).toMatchObject({ from, isAllowed: false, status: 409 })
    expect(result.isAllowed === false && result.reason.length).toBeGreaterThan(10)
  })

  it('should leave final states by no action', () => {
    for (const from of FINAL_CAMPAIGN_STATES) {
      for (const action of Object.values(ACTIONS)) expect(transitionCampaign({ action, from }).isAllowed).toBe(false)
    }
  })

  it('should keep the reason of a pause by the failure threshold, and give one when none is passed', () => {
    expect(transitionCampaign({ action: ACTIONS.pauseThreshold!, from: 'sending' })).toEqual({
      from: 'sending',
      isAllowed: true,
      reason: '12 % of the last 500 messages failed',
      to: 'paused',
    })
    expect(transitionCampaign({ action: { by: 'threshold', type: 'pause' }, from: 'sending' })).toMatchObject({ reason: 'Too many messages failed.' })
    expect(transitionCampaign({ action: ACTIONS.pauseUser!, from: 'sending' })).not.toHaveProperty('reason')
  })

  it('should keep the reason of a failure', () => {
    expect(transitionCampaign({ action: ACTIONS.fail!, from: 'sending' })).toMatchObject({ reason: 'The segment was deleted', to: 'failed' })
    expect(transitionCampaign({ action: { reason: '  ', type: 'fail' }, from: 'sending' })).toMatchObject({ reason: 'The send pipeline could not go on.' })
  })

  it('should say why a refusal happened in words a person can act on', () => {
    const reasonOf = (action: CampaignAction, from: CampaignState) => {
      const result = transitionCampaign({ action, from })
      return result.isAllowed ? '' : result.reason
    }
    expect(reasonOf(ACTIONS.sendNow!, 'paused')).toMatch(/resume/)
    expect(reasonOf(ACTIONS.sendNow!, 'scheduled')).toMatch(/already scheduled/)
    expect(reasonOf(ACTIONS.startEarly!, 'scheduled')).toMatch(/not due until 2026-01-10T12:00:01.000Z/)
    expect(reasonOf(ACTIONS.completePending!, 'sending')).toMatch(/3 pending/)
    expect(reasonOf(ACTIONS.cancel!, 'completed')).toMatch(/completed/)
  })

  it('should treat an unreadable scheduledAt as none (send now; start when asked)', () => {
    expect(transitionCampaign({ action: { now, scheduledAt: 'not a date', type: 'send' }, from: 'draft' })).toMatchObject({ to: 'sending' })
    expect(transitionCampaign({ action: { now, scheduledAt: null, type: 'start' }, from: 'scheduled' })).toMatchObject({ to: 'sending' })
  })
})

describe('isCampaignState', () => {
  it('should know exactly the states the campaigns collection stores', () => {
    expect([...CAMPAIGN_STATES]).toEqual([...CAMPAIGN_STATUSES])
  })

  it('should accept the contract states only', () => {
    for (const state of CAMPAIGN_STATES) expect(isCampaignState(state)).toBe(true)
    for (const other of ['Draft', 'running', '', null, 3]) expect(isCampaignState(other)).toBe(false)
  })
})
