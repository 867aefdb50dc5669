import type { Browser } from 'playwright-core'

import type { FakeGoogle } from '../helpers/fakeGoogle.js'

import { scanOurComponents } from '../helpers/axe.js'
import { type CrmServer, freePort, launchChromium, startCrmServer } from '../helpers/e2eServer.js'
import { startFakeGoogle } from '../helpers/fakeGoogle.js'

/**
 * Google sign-in in a real browser against the real server (`tsx scripts/start.ts`, as `npm start`),
 * with `oidc-provider` on loopback as Google: the login page shows the button, the click goes through
 * the provider and back to our callback, whose same-site page carries the session cookie on to a
 * working admin. Logout ends the session.
 */
describe('Google sign-in in the browser', () => {
  let server: CrmServer | undefined
  let fake: FakeGoogle
  let url: string
  let browser: Browser | undefined

  beforeAll(async () => {
    const port = await freePort()
    url = `http://localhost:${port}`
    fake = await startFakeGoogle({ redirectUri: `${url}/api/users/oauth/google/callback` })
    server = await startCrmServer({
      env: { GOOGLE_ALLOWED_DOMAINS: 'example.com', GOOGLE_CLIENT_ID: fake.clientId, GOOGLE_CLIENT_SECRET: fake.clientSecret, GOOGLE_ISSUER: fake.issuer },
      port,
      prefix: 'crm-google-',
    })
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
    if (process.env.E2E_VERBOSE) console.log(server?.output())
    server?.stop()
    await fake?.close()
  })

  it('should sign in through the button, reach the admin, and sign out', async () => {
    browser = await launchChromium()
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
    browser ??= await launchChromium()
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
