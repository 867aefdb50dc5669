import type { Agenda } from 'agenda'
import type { Server } from 'node:http'

import type { TestDatabase } from '../../helpers/testDb.js'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import express from 'express'

import { createAgenda, getAgendaInternals } from '../../../src/jobs/createAgenda.js'
import { mountJobsDashboard } from '../../../src/jobs/dashboard.js'
import { databaseSettingsFor } from '../../helpers/jobsTestUtils.js'
import { createTestDatabase, currentTestDb } from '../../helpers/testDb.js'

/** Agendash behind the admin-only guard, on a plain Express app with a fake `authenticate`. */
describe(`jobs dashboard (${currentTestDb()})`, () => {
  let db: TestDatabase
  let agenda: Agenda
  let server: Server
  let base: string
  const users: Record<string, { roles?: string[] }> = { admin: { roles: ['admin'] }, editor: { roles: ['editor'] } }

  beforeAll(async () => {
    db = await createTestDatabase('jobs_dashboard')
    agenda = createAgenda({ database: databaseSettingsFor(db), name: 'dashboard' })
    await getAgendaInternals(agenda).connected
    const app = express()
    mountJobsDashboard({
      agenda,
      app,
      authenticate: async (req) => users[req.get('x-test-user') ?? ''] ?? null,
    })
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s))
    })
    const address = server.address()
    base = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : ''
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await getAgendaInternals(agenda).disconnect()
    await db.cleanup()
  })

  it('should answer anonymous API calls with 401', async () => {
    const res = await fetch(`${base}/admin/jobs/api`, { headers: { accept: 'application/json' } })
    expect(res.status).toBe(401)
  })

  it('should send anonymous browsers to the admin login', async () => {
    const res = await fetch(`${base}/admin/jobs/`, { headers: { accept: 'text/html' }, redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/admin/login?redirect=%2Fadmin%2Fjobs%2F')
  })

  it('should refuse signed-in users who are not admins', async () => {
    const res = await fetch(`${base}/admin/jobs/api`, { headers: { 'x-test-user': 'editor' } })
    expect(res.status).toBe(403)
  })

  it('should show admins the UI and the queued jobs', async () => {
    await agenda.schedule(new Date(Date.now() + 60_000), 'crm.dashboardProbe', { n: 1 })
    const page = await fetch(`${base}/admin/jobs/`, { headers: { 'x-test-user': 'admin' } })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    const api = await fetch(`${base}/admin/jobs/api?limit=10`, { headers: { 'x-test-user': 'admin' } })
    expect(api.status).toBe(200)
    const body = (await api.json()) as { jobs: { job: { name: string } }[]; overview: { displayName: string }[] }
    expect(JSON.stringify(body)).toContain('crm.dashboardProbe')
  })

  it('should refuse cross-origin writes and allow same-origin ones', async () => {
    const job = await agenda.schedule(new Date(Date.now() + 60_000), 'crm.dashboardDelete', {})
    const post = (origin: string) =>
      fetch(`${base}/admin/jobs/api/jobs/delete`, {
        body: JSON.stringify({ jobIds: [String(job.attrs._id)] }),
        headers: { 'content-type': 'application/json', origin, 'x-test-user': 'admin' },
        method: 'POST',
      })
    expect((await post('https://evil.example')).status).toBe(403)
    expect((await agenda.queryJobs({ name: 'crm.dashboardDelete' })).total).toBe(1)
    expect((await post(base)).status).toBe(200)
    expect((await agenda.queryJobs({ name: 'crm.dashboardDelete' })).total).toBe(0)
  })
})
