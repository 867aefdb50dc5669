import type { Server } from 'node:http'

import type { JobRuntime } from '../../../src/jobs/runtime.js'
import type { JobsDashboard } from '../../../src/jobs/dashboard.js'
import type { TestPayload } from '../../helpers/bootPayload.js'
import type { TestUser } from '../../helpers/users.js'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import express from 'express'
import os from 'node:os'

import { parseDatabaseUrl } from '../../../src/env.js'
import { mountJobsDashboard } from '../../../src/jobs/dashboard.js'
import { authenticateWithPayload } from '../../../src/server/authenticateWithPayload.js'
import { bootTestPayload } from '../../helpers/bootPayload.js'
import { startTestRuntime } from '../../helpers/jobsTestUtils.js'
import { currentTestDb } from '../../helpers/testDb.js'
import { createUserWithRole } from '../../helpers/users.js'

type SseEvent = { data: string; event: string }

/** Reads server-sent events from a streaming response until `until` accepts one (or the stream ends). */
const readEvents = async (res: Response, until: (event: SseEvent) => boolean): Promise<SseEvent[]> => {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  const events: SseEvent[] = []
  let buffer = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return events
      buffer += value
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const event: SseEvent = { data: '', event: 'message' }
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event.event = line.slice(7)
          if (line.startsWith('data: ')) event.data += line.slice(6)
        }
        events.push(event)
        if (until(event)) return events
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}

/**
 * Agendash behind the admin-only guard, authenticated by Payload itself (real users, real tokens and
 * cookies), on a worker that processes jobs so live updates can be observed. Payload's PUBLIC_URL in
 * the test config is `http://localhost:3000`; the server listens elsewhere on purpose, so the
 * origin checks can be seen to follow PUBLIC_URL (and its loopback names), not the Host header.
 */
describe(`jobs dashboard (${currentTestDb()})`, () => {
  let crm: TestPayload
  let runtime: JobRuntime
  let dashboard: JobsDashboard
  let server: Server
  let base: string
  let admin: TestUser
  let viewer: TestUser
  const loopbackAlias = 'http://127.0.0.1:3000'

  const asAdmin = (init: RequestInit & { headers?: Record<string, string> } = {}): RequestInit => ({
    ...init,
    headers: { authorization: `JWT ${admin.token}`, ...init.headers },
  })

  beforeAll(async () => {
    crm = await bootTestPayload('jobs_dashboard')
    admin = await createUserWithRole(crm.payload, 'admin')
    viewer = await createUserWithRole(crm.payload, 'viewer')
    runtime = await startTestRuntime({
      database: parseDatabaseUrl({ dataDir: os.tmpdir(), url: crm.url }),
      define: (agenda) => agenda.define('crm.dashboardLive', async () => undefined),
      workerName: 'dashboard',
    })
    const app = express()
    dashboard = mountJobsDashboard({
      agenda: runtime.agenda,
      allowedOrigins: crm.payload.config.csrf,
      app,
      authenticate: authenticateWithPayload(crm.payload),
    })
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s))
    })
    const address = server.address()
    base = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : ''
  })

  afterAll(async () => {
    dashboard?.close()
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    await runtime?.stop()
    await crm?.cleanup()
  })

  it('should answer anonymous API calls with 401 in the API error shape', async () => {
    const res = await fetch(`${base}/admin/jobs/api`, { headers: { accept: 'application/json' } })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ errors: [{ message: expect.stringMatching(/sign in/i) }] })
  })

  it('should send anonymous browsers to the admin login', async () => {
    const res = await fetch(`${base}/admin/jobs/`, { headers: { accept: 'text/html' }, redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/admin/login?redirect=%2Fadmin%2Fjobs%2F')
  })

  it('should refuse a signed-in viewer with 403', async () => {
    const res = await fetch(`${base}/admin/jobs/api`, { headers: { authorization: `JWT ${viewer.token}` } })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ errors: [{ message: 'The jobs dashboard is for admins only' }] })
  })

  it('should show an admin the UI and the queued jobs', async () => {
    await runtime.agenda.schedule(new Date(Date.now() + 60 * 60_000), 'crm.dashboardProbe', { n: 1 })
    const page = await fetch(`${base}/admin/jobs/`, asAdmin())
    expect(page.status).toBe(200)
    expect(await page.text()).toMatch(/<title>Agendash<\/title>/)
    const api = await fetch(`${base}/admin/jobs/api?limit=10`, asAdmin())
    expect(api.status).toBe(200)
    const body = (await api.json()) as { jobs: { job: { name: string } }[] }
    expect(body.jobs.map((row) => row.job.name)).toContain('crm.dashboardProbe')
  })

  it('should accept the session cookie from a loopback alias of PUBLIC_URL and refuse it from another origin', async () => {
    const withCookie = (origin: string) =>
      fetch(`${base}/admin/jobs/api?limit=1`, {
        headers: { accept: 'application/json', cookie: `payload-token=${admin.token}`, origin },
        redirect: 'manual',
      })
    expect((await withCookie(loopbackAlias)).status).toBe(200)
    expect((await withCookie('http://[::1]:3000')).status).toBe(200)
    expect((await withCookie('https://evil.example')).status).toBe(401)
  })

  it('should serve the dashboard script and stylesheet without a session, even with a foreign Origin', async () => {
    const html = await (await fetch(`${base}/admin/jobs/`, asAdmin())).text()
    const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((match) => match[1])
    expect(assets).toHaveLength(2)
    for (const asset of assets) {
      const res = await fetch(`${base}/admin/jobs/${asset}`, { headers: { origin: loopbackAlias } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(asset!.endsWith('.js') ? /javascript/ : /css/)
    }
    const missing = await fetch(`${base}/admin/jobs/assets/nope.js`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ errors: [{ message: 'Not found' }] })
  })

  it('should stream this worker’s job events live to an admin', async () => {
    const stream = await fetch(`${base}/admin/jobs/api/events`, asAdmin({ headers: { accept: 'text/event-stream' } }))
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/)
    let jobId = ''
    const events = await readEvents(stream, (event) => {
      if (event.event === 'connected') {
        // Enqueued only once the stream is open, so every event of this job must arrive on it.
        void runtime.agenda.now('crm.dashboardLive', {}).then((job) => (jobId = String(job.attrs._id)))
        return false
      }
      const data = JSON.parse(event.data) as { jobId: string; type: string }
      return data.type === 'complete' && String(data.jobId) === jobId
    })
    const types = events
      .filter((event) => event.event === 'message')
      .map((event) => JSON.parse(event.data) as { jobId: string; type: string })
      .filter((data) => String(data.jobId) === jobId)
      .map((data) => data.type)
    expect(types).toEqual(['start', 'success', 'complete'])
  })

  it('should refuse writes from origins other than PUBLIC_URL and its loopback names, whatever the Host', async () => {
    const job = await runtime.agenda.schedule(new Date(Date.now() + 60 * 60_000), 'crm.dashboardDelete', {})
    const post = (origin: string) =>
      fetch(`${base}/admin/jobs/api/jobs/delete`, asAdmin({
        body: JSON.stringify({ jobIds: [String(job.attrs._id)] }),
        headers: { 'content-type': 'application/json', origin },
        method: 'POST',
      }))
    for (const origin of ['https://evil.example', base]) {
      const refused = await post(origin)
      expect(refused.status).toBe(403)
      expect(await refused.json()).toEqual({ errors: [{ message: 'Cross-origin request refused' }] })
    }
    expect((await runtime.agenda.queryJobs({ name: 'crm.dashboardDelete' })).total).toBe(1)
    expect((await post(loopbackAlias)).status).toBe(200)
    expect((await runtime.agenda.queryJobs({ name: 'crm.dashboardDelete' })).total).toBe(0)
  })

  it('should answer bad input with a 4xx in the API error shape', async () => {
    const send = (body: string, path = 'jobs/create') =>
      fetch(`${base}/admin/jobs/api/${path}`, asAdmin({ body, headers: { 'content-type': 'application/json', origin: loopbackAlias }, method: 'POST' }))
    const malformed = await send('{"jobName":')
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toEqual({ errors: [{ message: expect.any(String) }] })
    const missingName = await send('{}')
    expect(missingName.status).toBe(400)
    expect(await missingName.json()).toEqual({ errors: [{ message: 'jobName is required' }] })
    const unknown = await send('{}', 'nope')
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ errors: [{ message: 'Not found' }] })
  })
})
