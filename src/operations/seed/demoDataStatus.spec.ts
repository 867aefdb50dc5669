import type { Agenda } from 'agenda'

import { readDemoDataStatus } from './demoDataStatus.js'

const agendaWith = (jobs: Record<string, unknown>[]) => ({ queryJobs: async () => ({ jobs, total: jobs.length }) }) as unknown as Agenda

describe('readDemoDataStatus', () => {
  it('should be idle before any load', async () => {
    expect(await readDemoDataStatus(agendaWith([]))).toMatchObject({ percent: 0, phase: null, state: 'idle' })
  })

  it('should report the newest load: running with its percent and step', async () => {
    const status = await readDemoDataStatus(
      agendaWith([
        { data: { customers: 5, orders: 15 }, lastFinishedAt: new Date('2026-01-01T00:01:00Z'), lastRunAt: new Date('2026-01-01T00:00:00Z'), progress: 100, state: 'completed' },
        { data: { customers: 10, orders: 30 }, lastRunAt: new Date('2026-02-01T00:00:00Z'), lockedAt: new Date(), progress: 58, state: 'running' },
      ]),
    )
    expect(status).toMatchObject({ customers: 10, orders: 30, percent: 58, phase: 'orders', startedAt: '2026-02-01T00:00:00.000Z', state: 'running' })
  })

  it('should say queued (0 %) before a worker starts it, and give the reason of a failure', async () => {
    expect(await readDemoDataStatus(agendaWith([{ nextRunAt: new Date(), progress: 40, state: 'queued' }]))).toMatchObject({ percent: 0, state: 'queued' })
    const failed = await readDemoDataStatus(agendaWith([{ failReason: 'disk full', failedAt: new Date('2026-03-01T00:00:00Z'), lastRunAt: new Date('2026-03-01T00:00:00Z'), progress: 12, state: 'failed' }]))
    expect(failed).toMatchObject({ error: 'disk full', finishedAt: '2026-03-01T00:00:00.000Z', state: 'failed' })
  })
})
