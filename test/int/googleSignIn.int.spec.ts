import type { TestPayload } from '../helpers/bootPayload.js'
import type { FakeAccount, FakeGoogle } from '../helpers/fakeGoogle.js'

import os from 'node:os'

import { sealFlow } from '../../src/auth/google/flowCookie.js'
import { buildCrmConfig } from '../../src/config/buildCrmConfig.js'
import { parseDatabaseUrl } from '../../src/env.js'
import { bootTestPayload } from '../helpers/bootPayload.js'
import { startFakeGoogle } from '../helpers/fakeGoogle.js'
import { cookieHeader, cookiesOf, followProvider } from '../helpers/googleFlow.js'

const CALLBACK = 'http://localhost:3000/api/users/oauth/google/callback'

type Finished = { body: string; res: Response; token?: string }

/**
 * Google sign-in against `oidc-provider` on loopback (test/helpers/fakeGoogle.ts), never Google
 * itself: the start redirect, the provider's redirects, our callback, on a fresh database.
 */
describe('Google sign-in', () => {
  let fake: FakeGoogle
  let t: TestPayload

  const account = (email: string, extra: Partial<FakeAccount> = {}): FakeAccount => ({
    email,
    email_verified: true,
    hd: email.split('@')[1],
    name: `Person ${email}`,
    sub: `sub-${email.toLowerCase()}`,
    ...extra,
  })

  /** Start → provider → the callback URL and the flow cookie the start set. */
  const begin = async (who: FakeAccount) => {
    fake.setAccount(who)
    const start = await t.request('/api/users/oauth/google')
    expect(start.status).toBe(302)
    const flowCookie = cookieHeader(cookiesOf(start))
    expect(start.headers.getSetCookie()[0]).toMatch(/HttpOnly/i)
    const callbackUrl = await followProvider(start.headers.get('location')!, CALLBACK)
    return { callbackUrl, flowCookie }
  }

  const callback = async (callbackUrl: string, cookie: string): Promise<Finished> => {
    const url = new URL(callbackUrl)
    const res = await t.request(`${url.pathname}${url.search}`, { headers: { cookie } })
    const body = await res.text()
    return { body, res, token: cookiesOf(res).get('payload-token') || undefined }
  }

  const signIn = async (who: FakeAccount): Promise<Finished> => {
    const { callbackUrl, flowCookie } = await begin(who)
    return callback(callbackUrl, flowCookie)
  }

  const me = async (token: string) => {
    // A browser sends its Origin; Payload takes the cookie only from an origin in its CSRF list (PUBLIC_URL).
    const res = await t.request('/api/users/me', { headers: { cookie: `payload-token=${token}`, origin: 'http://localhost:3000' } })
    return ((await res.json()) as { user: null | { email: string; roles: string[] } }).user
  }

  /** A refusal: the status, an HTML page with the reason, no stack, no session cookie. */
  const expectRefused = (finished: Finished, status: number, reason: RegExp) => {
    expect(finished.res.status).toBe(status)
    expect(finished.res.headers.get('content-type')).toMatch(/text\/html/)
    expect(finished.body).toMatch(reason)
    expect(finished.body).not.toMatch(/ at \S+ \(|node_modules|Error:/)
    expect(finished.body).not.toContain(fake.clientSecret)
    expect(finished.token).toBeUndefined()
  }

  beforeAll(async () => {
    fake = await startFakeGoogle({ redirectUri: CALLBACK })
    t = await bootTestPayload('google', {
      plugin: {
        // No `role`: provisioned users get the default (viewer).
        google: { allowedDomains: ['example.com'], allowedEmails: ['guest@gmail.test'], clientId: fake.clientId, clientSecret: fake.clientSecret, issuer: fake.issuer },
      },
    })
  })

  afterAll(async () => {
    await t?.cleanup()
    await fake?.close()
  })

  afterEach(() => {
    fake.tamper = 'none'
  })

  it('should make the first person on an empty database an admin, with a normal Payload session', async () => {
    const finished = await signIn(account('first@example.com'))
    expect(finished.res.status).toBe(200)
    // A same-site page that moves on to the admin, not a redirect.
    expect(finished.body).toContain('url=/admin')
    const setCookies = finished.res.headers.getSetCookie()
    const session = setCookies.find((line) => line.startsWith('payload-token='))!
    expect(session).toMatch(/HttpOnly/i)
    expect(session).toMatch(/SameSite=Lax/i)
    expect(session).not.toMatch(/Secure/i) // PUBLIC_URL is http here
    // The flow cookie is dropped.
    expect(setCookies.some((line) => /^payload-google-flow=;.*Max-Age=0/.test(line))).toBe(true)
    expect(await me(finished.token!)).toMatchObject({ email: 'first@example.com', roles: ['admin'] })
    // The same token works as a JWT header for REST.
    const customers = await t.request('/api/customers', { headers: { authorization: `JWT ${finished.token}` } })
    expect(customers.status).toBe(200)
  })

  it('should provision a later allowed person with the default role (viewer), and allowed emails outside the domains', async () => {
    const byDomain = await signIn(account('second@example.com'))
    expect(byDomain.res.status).toBe(200)
    expect(await me(byDomain.token!)).toMatchObject({ email: 'second@example.com', roles: ['viewer'] })
    const byEmail = await signIn(account('Guest@gmail.test', { hd: undefined }))
    expect(byEmail.res.status).toBe(200)
    expect(await me(byEmail.token!)).toMatchObject({ email: 'guest@gmail.test', roles: ['viewer'] })
    const users = await t.payload.find({ collection: 'users', overrideAccess: true, where: { email: { equals: 'second@example.com' } } })
    expect(users.totalDocs).toBe(1)
  })

  it('should sign an existing user in by (lower-cased) email, keeping their role, even off the allow lists', async () => {
    await t.payload.create({ collection: 'users', data: { email: 'outsider@other.test', password: 'local-password-1', roles: ['marketer'] }, overrideAccess: true })
    const finished = await signIn(account('Outsider@Other.TEST'))
    expect(finished.res.status).toBe(200)
    expect(await me(finished.token!)).toMatchObject({ email: 'outsider@other.test', roles: ['marketer'] })
    const count = await t.payload.count({ collection: 'users', overrideAccess: true, where: { email: { equals: 'outsider@other.test' } } })
    expect(count.totalDocs).toBe(1)
  })

  it('should refuse a disallowed domain, and a Workspace domain that the email does not share', async () => {
    expectRefused(await signIn(account('stranger@elsewhere.test')), 403, /stranger@elsewhere\.test is not allowed to sign in here/)
    // Consumer account whose address is at the allowed domain but with no `hd`: not a Workspace member.
    expectRefused(await signIn(account('nohd@example.com', { hd: undefined })), 403, /not allowed/)
    const count = await t.payload.count({ collection: 'users', overrideAccess: true, where: { email: { in: ['stranger@elsewhere.test', 'nohd@example.com'] } } })
    expect(count.totalDocs).toBe(0)
  })

  it('should refuse an unverified email', async () => {
    expectRefused(await signIn(account('unverified@example.com', { email_verified: false })), 403, /not verified by Google/)
  })

  it('should refuse a state that does not match the browser’s cookie', async () => {
    const { callbackUrl, flowCookie } = await begin(account('second@example.com'))
    const forged = new URL(callbackUrl)
    forged.searchParams.set('state', 'attacker-state')
    expectRefused(await callback(forged.href, flowCookie), 400, /state returned by Google does not match/)
    // A callback without the flow cookie at all (another browser).
    expectRefused(await callback(callbackUrl, ''), 400, /sign-in cookie is missing/)
  })

  it('should refuse a replayed code', async () => {
    const { callbackUrl, flowCookie } = await begin(account('second@example.com'))
    expect((await callback(callbackUrl, flowCookie)).res.status).toBe(200)
    expectRefused(await callback(callbackUrl, flowCookie), 400, /refused the sign-in \(invalid_grant/)
  })

  it('should refuse a flow cookie without a PKCE verifier, and a wrong verifier', async () => {
    const { callbackUrl } = await begin(account('second@example.com'))
    const state = new URL(callbackUrl).searchParams.get('state')!
    const noVerifier = `payload-google-flow=${sealFlow({ nonce: 'n', state, verifier: '' }, t.payload.secret)}`
    expectRefused(await callback(callbackUrl, noVerifier), 400, /no PKCE code verifier/)
    const wrongVerifier = `payload-google-flow=${sealFlow({ nonce: 'n', state, verifier: 'x'.repeat(43) }, t.payload.secret)}`
    expectRefused(await callback(callbackUrl, wrongVerifier), 400, /invalid_grant/)
    // A cookie signed with another secret is not believed.
    const forged = `payload-google-flow=${sealFlow({ nonce: 'n', state, verifier: 'x'.repeat(43) }, 'another-secret')}`
    expectRefused(await callback(callbackUrl, forged), 400, /bad signature/)
  })

  it.each([
    ['wrongNonce', /nonce/],
    ['badSignature', /signature/i],
    ['wrongAudience', /aud/],
    ['expired', /exp/],
  ] as const)('should refuse an ID token with %s', async (tamper, reason) => {
    const { callbackUrl, flowCookie } = await begin(account('second@example.com'))
    fake.tamper = tamper
    const finished = await callback(callbackUrl, flowCookie)
    expectRefused(finished, 401, /failed validation/)
    expect(finished.body).toMatch(reason)
  })

  it('should refuse with 502 when the provider does not answer', async () => {
    const { callbackUrl, flowCookie } = await begin(account('second@example.com'))
    fake.tamper = 'down'
    expectRefused(await callback(callbackUrl, flowCookie), 502, /unavailable right now/)
  })

  it('should keep local login unusable for a Google-provisioned user, and end the session on logout', async () => {
    const login = await t.request('/api/users/login', {
      body: JSON.stringify({ email: 'second@example.com', password: 'any-guess-12345' }),
      headers: { 'content-type': 'application/json' },
      method: 'POST',
    })
    expect(login.status).toBe(401)
    const finished = await signIn(account('second@example.com'))
    expect(await me(finished.token!)).toMatchObject({ email: 'second@example.com' })
    const logout = await t.request('/api/users/logout', { headers: { cookie: `payload-token=${finished.token}`, origin: 'http://localhost:3000' }, method: 'POST' })
    expect(logout.status).toBe(200)
    // The session is gone from the user: the old token no longer authenticates.
    expect(await me(finished.token!)).toBeNull()
  })

  it('should lock an account after 10 wrong passwords (Payload maxLoginAttempts/lockTime)', async () => {
    await t.payload.create({ collection: 'users', data: { email: 'locked@crm.test', password: 'right-password-1', roles: ['viewer'] }, overrideAccess: true })
    const attempt = (password: string) =>
      t.request('/api/users/login', { body: JSON.stringify({ email: 'locked@crm.test', password }), headers: { 'content-type': 'application/json' }, method: 'POST' })
    for (let i = 0; i < 10; i++) expect((await attempt(`wrong-${i}`)).status).toBe(401)
    const locked = await attempt('right-password-1')
    // Payload 3.90 answers a locked account 401 with its own message, whatever the password.
    expect(locked.status).toBe(401)
    expect(JSON.stringify(await locked.json())).toMatch(/locked due to having too many failed login attempts/i)
  })

  it('should show the login button only when Google is configured (and keep the routes off otherwise)', async () => {
    const buttonOf = (config: { admin: { components?: { afterLogin?: unknown[] } } }) =>
      (config.admin.components?.afterLogin ?? []).find((item) => (item as { path?: string }).path === 'mini-crm/client#GoogleSignInButton') as
        | { clientProps: { href: null | string } }
        | undefined
    expect(buttonOf(t.payload.config)?.clientProps.href).toBe('/api/users/oauth/google')
    const unconfigured = await buildCrmConfig({
      env: { database: parseDatabaseUrl({ dataDir: os.tmpdir(), url: 'file:/tmp/never-opened.db' }), publicUrl: 'http://localhost:3000', secret: 'x' },
    })
    expect(buttonOf(unconfigured)?.clientProps.href).toBeNull()
    const users = unconfigured.collections.find((collection) => collection.slug === 'users')!
    expect(users.endpoints && users.endpoints.some((endpoint) => endpoint.path.startsWith('/oauth'))).toBe(false)
  })
})
