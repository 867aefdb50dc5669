import type { ChildProcess } from 'node:child_process'

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'

import type { FakeGoogle } from '../helpers/fakeGoogle.js'

import { startFakeGoogle } from '../helpers/fakeGoogle.js'
import { scanOurComponents } from '../helpers/axe.js'
import { CHROMIUM, freePort, waitForHealth } from '../helpers/e2eServer.js'

/**
 * Google sign-in in a real browser against the real server (`tsx scripts/start.ts`, as `npm start`),
 * with `oidc-provider` on loopback as Google: the login page shows the button, the click goes through
 * the provider and back to our callback, whose same-site page carries the session cookie on to a
 * working admin. Logout ends the session.
 */
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')

describe('Google sign-in in the browser', () => {
  let child: ChildProcess
  let dataDir: string
  let fake: FakeGoogle
  let url: string
  let output = ''
  let browser: Browser | undefined

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'crm-google-'))
    const port = await freePort()
    url = `http://localhost:${port}`
    fake = await startFakeGoogle({ redirectUri: `${url}/api/users/oauth/google/callback` })
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CRM_DATA_DIR: dataDir,
      GOOGLE_ALLOWED_DOMAINS: 'example.com',
      GOOGLE_CLIENT_ID: fake.clientId,
      GOOGLE_CLIENT_SECRET: fake.clientSecret,
      GOOGLE_ISSUER: fake.issuer,
      PORT: String(port),
      PUBLIC_URL: url,
    }
    delete env.DATABASE_URL
    delete env.PAYLOAD_SECRET
    delete env.NODE_OPTIONS
    child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/start.ts'], { cwd: root, detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    await waitForHealth(url, child, 12 * 60_000)
    // Someone registered locally first, so the admin shows its login page (not "create first user").
    const first = await fetch(`${url}/api/users/first-register`, {
      body: JSON.stringify({ email: 'founder@crm.test', password: 'founder-123456' }),
      headers: { 'content-type': 'application/json' },
      method: 'POST',
    })
    expect(first.status).toBe(200)
  }, 13 * 60_000)

  afterAll(async () => {
    await browser?.close()
    if (child?.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    await fake?.close()
    rmSync(dataDir, { force: true, recursive: true })
    if (process.env.E2E_VERBOSE) console.log(output)
  })

  it('should sign in through the button, reach the admin, and sign out', async () => {
    browser = await chromium.launch({ args: ['--no-sandbox', '--disable-gpu', '--no-first-run'], executablePath: CHROMIUM, headless: true })
    const context = await browser.newContext()
    const page = await context.newPage()
    fake.setAccount({ email: 'marketer@example.com', email_verified: true, hd: 'example.com', name: 'Mara Keter', sub: 'g-1' })

    await page.goto(`${url}/admin/login`, { waitUntil: 'networkidle' })
    const button = page.getByTestId('google-sign-in')
    await button.waitFor({ timeout: 60_000 })
    expect(await scanOurComponents(page, ['[data-testid="google-sign-in-root"]'])).toEqual([])
    // Reachable and operable from the keyboard: a link with a name, Enter follows it.
    expect(await page.getByRole('link', { name: 'Sign in with Google' }).count()).toBe(1)
    await button.focus()
    await page.keyboard.press('Enter')
    // Google → callback page → the admin, signed in.
    await page.waitForURL(`${url}/admin`, { timeout: 60_000 })
    await page.waitForSelector('[data-testid="crm-count-customers"]', { timeout: 60_000 })

    // From the page itself, as the admin does (same origin: Payload's CSRF check takes the cookie).
    const whoAmI = () => page.evaluate(async () => ((await (await fetch('/api/users/me')).json()) as { user: unknown }).user)
    const me = (await whoAmI()) as null | { email: string; roles: string[] }
    expect(me).toMatchObject({ email: 'marketer@example.com', roles: ['viewer'] })
    const cookies = await context.cookies(url)
    expect(cookies.find((cookie) => cookie.name === 'payload-token')).toMatchObject({ httpOnly: true })
    // The flow cookie is gone once used.
    expect(cookies.find((cookie) => cookie.name === 'payload-google-flow')).toBeUndefined()

    await page.goto(`${url}/admin/logout`)
    await page.waitForURL(/\/admin\/login/, { timeout: 60_000 })
    expect(await whoAmI()).toBeNull()
    await context.close()
  })

  it('should show a refusal page, not the admin, for a disallowed domain', async () => {
    browser ??= await chromium.launch({ args: ['--no-sandbox', '--disable-gpu', '--no-first-run'], executablePath: CHROMIUM, headless: true })
    const context = await browser.newContext()
    const page = await context.newPage()
    fake.setAccount({ email: 'eve@elsewhere.test', email_verified: true, hd: 'elsewhere.test', sub: 'g-2' })
    await page.goto(`${url}/admin/login`, { waitUntil: 'networkidle' })
    await page.getByTestId('google-sign-in').click()
    await page.waitForSelector('#reason', { timeout: 60_000 })
    expect(await page.textContent('#reason')).toMatch(/eve@elsewhere\.test is not allowed/)
    expect((await context.cookies(url)).find((cookie) => cookie.name === 'payload-token')).toBeUndefined()
    await context.close()
  })
})
