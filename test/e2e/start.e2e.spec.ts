import type { Browser, Page } from 'playwright-core'

import { existsSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { type CrmServer, launchChromium, startCrmServer } from '../helpers/e2eServer.js'

/**
 * The newcomer's path, for real: `npm start` with no database settings and the default PUBLIC_URL
 * (`http://localhost:<port>`; SQLite under a fresh data dir), builds the admin if needed, serves /admin
 * and /api/health; a browser creates the first user and sees the dashboard's empty state, and opens
 * the jobs dashboard through the nav link on `localhost` and on `127.0.0.1`; SIGTERM shuts it down cleanly.
 */
describe('npm start', () => {
  let server: CrmServer
  let url: string
  let localUrl: string
  let browser: Browser | undefined

  beforeAll(async () => {
    // Exactly what the `start` script runs (`tsx scripts/start.ts`), without npm in between so the signal
    // test sees the server's own exit code; the default PUBLIC_URL (http://localhost:<port>), while the
    // browser also uses 127.0.0.1. A first run includes the admin build (a few minutes on 2 cores).
    server = await startCrmServer({ env: { PUBLIC_URL: undefined }, prefix: 'crm-start-', timeoutMs: 12 * 60_000 })
    localUrl = server.url
    url = server.url.replace('//localhost:', '//127.0.0.1:')
  }, 13 * 60_000)

  afterAll(async () => {
    await browser?.close()
    server?.stop()
  })

  it('should serve health on SQLite with a generated secret stored 0600', async () => {
    const res = await fetch(`${url}/api/health`)
    expect(await res.json()).toMatchObject({ db: 'sqlite', ok: true })
    expect(existsSync(path.join(server.dataDir, 'crm.db'))).toBe(true)
    const secret = statSync(path.join(server.dataDir, '.payload-secret'))
    expect(secret.mode & 0o777).toBe(0o600)
  })

  it('should serve the admin, which asks for the first user on an empty database', async () => {
    const res = await fetch(`${url}/admin`, { redirect: 'manual' })
    expect([200, 307, 308]).toContain(res.status)
    const location = res.headers.get('location') ?? ''
    const html = res.status === 200 ? await res.text() : ''
    expect(location + html).toMatch(/create-first-user|Create first user|Welcome/i)
  })

  it('should serve the API description and Swagger UI without a CDN', async () => {
    const doc = await fetch(`${url}/api/openapi.json`)
    expect(doc.status).toBe(200)
    expect(((await doc.json()) as { openapi: string }).openapi).toMatch(/^3\.1/)
    const docs = await fetch(`${url}/api/docs`)
    expect(docs.status).toBe(200)
    const html = await docs.text()
    expect(html).toMatch(/swagger-ui/i)
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)/)
  })

  it('should send anonymous visitors of the jobs dashboard to the login', async () => {
    const res = await fetch(`${url}/admin/jobs`, { headers: { accept: 'text/html' }, redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(/^\/admin\/login/)
  })

  const launch = async (): Promise<Browser> =>
    (browser ??= await launchChromium())

  /**
   * From the admin, follows the nav link to the jobs dashboard and waits until Agendash lists a job the
   * server scheduled itself (the hourly purge) and its live updates are connected. Fails on any error
   * answer under /admin/jobs or any console error.
   */
  const openJobsDashboardFromNav = async (page: Page, shot: string) => {
    const problems: string[] = []
    // Agendash's page links no icon, so the browser's own /favicon.ico probe 404s; nothing else may fail.
    const isFaviconProbe = (url: string) => new URL(url).pathname === '/favicon.ico'
    page.on('response', (res) => {
      if (res.status() >= 400 && !isFaviconProbe(res.url())) problems.push(`${res.status()} ${res.url()}`)
    })
    page.on('console', (msg) => {
      const where = msg.location().url
      if (msg.type() === 'error' && !(where && isFaviconProbe(where))) problems.push(`console: ${msg.text()} (${where})`)
    })
    const link = page.locator('a[href="/admin/jobs"]').first()
    // Payload keeps its nav closed (inert) on narrower windows: open it the way a user does.
    if (await link.evaluate((el) => el.closest('[inert]') !== null)) await page.locator('.nav-toggler').first().click()
    await link.click()
    await page.waitForURL(/\/admin\/jobs\/$/, { timeout: 30_000 })
    await page.getByText('crm.purgeFinishedJobs').first().waitFor({ timeout: 30_000 })
    await page.locator('[title="Real-time updates active"]').waitFor({ timeout: 30_000 })
    await page.screenshot({ path: path.join(os.tmpdir(), shot) })
    expect(problems).toEqual([])
  }

  it('should let a newcomer create the first user in a browser, see the dashboard, and open the jobs dashboard', async () => {
    const context = await (await launch()).newContext()
    const page = await context.newPage()
    await page.goto(`${localUrl}/admin`, { waitUntil: 'networkidle' })
    await page.waitForURL(/create-first-user/, { timeout: 60_000 })
    await page.fill('input[name="email"]', 'founder@example.com')
    await page.fill('input[name="password"]', 'founder-123456')
    await page.fill('input[name="confirm-password"]', 'founder-123456')
    await page.click('button[type="submit"]')
    await page.waitForSelector('[data-testid="crm-empty-state"]', { timeout: 60_000 })
    expect(await page.textContent('[data-testid="crm-count-customers"]')).toMatch(/0\s*Customers/)
    expect(await page.textContent('[data-testid="crm-empty-state"]')).toMatch(/Bring in customers/)
    await page.screenshot({ path: path.join(os.tmpdir(), 'crm-dashboard.png') })
    await openJobsDashboardFromNav(page, 'crm-jobs-localhost.png')
    await context.close()
    const login = await fetch(`${url}/api/users/login`, {
      body: JSON.stringify({ email: 'founder@example.com', password: 'founder-123456' }),
      headers: { 'content-type': 'application/json' },
      method: 'POST',
    })
    expect(((await login.json()) as { user: { roles: string[] } }).user.roles).toEqual(['admin'])
  })

  it('should let the admin sign in on 127.0.0.1 while PUBLIC_URL says localhost, and open the jobs dashboard', async () => {
    const context = await (await launch()).newContext()
    const page = await context.newPage()
    await page.goto(`${url}/admin/login`, { waitUntil: 'networkidle' })
    await page.fill('input[name="email"]', 'founder@example.com')
    await page.fill('input[name="password"]', 'founder-123456')
    await page.click('button[type="submit"]')
    await page.waitForSelector('[data-testid="crm-count-customers"]', { timeout: 60_000 })
    await openJobsDashboardFromNav(page, 'crm-jobs-127.png')
    await context.close()
  })

  it('should shut down cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)))
    server.child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(server.output()).toMatch(/SIGTERM received: shutting down/)
  }, 30_000)
})
