import type { ChildProcess } from 'node:child_process'

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { CHROMIUM, freePort, waitForHealth } from '../helpers/e2eServer.js'

/**
 * The newcomer's path, for real: `npm start` with no database settings and the default PUBLIC_URL
 * (`http://localhost:<port>`; SQLite under a fresh data dir), builds the admin if needed, serves /admin
 * and /api/health; a browser creates the first user and sees the dashboard's empty state, and opens
 * the jobs dashboard through the nav link on `localhost` and on `127.0.0.1`; SIGTERM shuts it down cleanly.
 */
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')

describe('npm start', () => {
  let child: ChildProcess
  let dataDir: string
  let url: string
  let localUrl: string
  let output = ''
  let browser: Browser | undefined

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'crm-start-'))
    const port = await freePort()
    url = `http://127.0.0.1:${port}`
    localUrl = `http://localhost:${port}`
    const env: NodeJS.ProcessEnv = { ...process.env, CRM_DATA_DIR: dataDir, PORT: String(port) }
    delete env.PUBLIC_URL // the default, http://localhost:<port>; the browser also uses 127.0.0.1
    delete env.DATABASE_URL
    delete env.PAYLOAD_SECRET
    delete env.NODE_OPTIONS // jest's --experimental-vm-modules is not for the server
    // Exactly what the `start` script runs (`tsx scripts/start.ts`), without npm in between so the
    // signal test sees the server's own exit code. Its own process group, so cleanup reaches every child.
    child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/start.ts'], {
      cwd: root,
      detached: true,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    // A first run includes the admin build (a few minutes on 2 cores).
    await waitForHealth(url, child, 12 * 60_000)
  }, 13 * 60_000)

  afterAll(async () => {
    await browser?.close()
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    rmSync(dataDir, { force: true, recursive: true })
  })

  it('should serve health on SQLite with a generated secret stored 0600', async () => {
    const res = await fetch(`${url}/api/health`)
    expect(await res.json()).toMatchObject({ db: 'sqlite', ok: true })
    expect(existsSync(path.join(dataDir, 'crm.db'))).toBe(true)
    const secret = statSync(path.join(dataDir, '.payload-secret'))
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
    (browser ??= await chromium.launch({
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      executablePath: CHROMIUM,
      headless: true,
    }))

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
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(output).toMatch(/SIGTERM received: shutting down/)
  }, 30_000)
})
