import { renderToStaticMarkup } from 'react-dom/server'
import React from 'react'

import { GoogleSignInButton } from '../../components/GoogleSignIn/index.js'
import { readGoogleEnv } from '../../env.js'
import { openFlow, sealFlow } from './flowCookie.js'
import { checkIssuer, sanitizeGoogleOptions } from './options.js'

describe('Google sign-in options', () => {
  it('should accept https issuers and plain http only on loopback', () => {
    expect(checkIssuer('https://accounts.google.com/')).toBe('https://accounts.google.com')
    for (const ok of ['http://127.0.0.1:4000', 'http://localhost:4000', 'http://[::1]:4000']) expect(checkIssuer(ok)).toBe(ok)
    expect(() => checkIssuer('http://idp.example.com')).toThrow(/plain http is accepted only for localhost/)
    expect(() => checkIssuer('not a url')).toThrow(/must be a URL/)
  })

  it('should default the issuer and role, and refuse half a configuration or an unknown role', () => {
    expect(sanitizeGoogleOptions({ clientId: 'id', clientSecret: 's' })).toMatchObject({ issuer: 'https://accounts.google.com', role: 'viewer' })
    expect(sanitizeGoogleOptions(undefined)).toBeNull()
    expect(() => sanitizeGoogleOptions({ clientId: 'id', clientSecret: '' })).toThrow(/clientSecret/)
    expect(() => sanitizeGoogleOptions({ clientId: 'id', clientSecret: 's', role: 'owner' as never })).toThrow(/GOOGLE_ROLE/)
    expect(() => sanitizeGoogleOptions({ allowedDomains: ['not a domain'], clientId: 'id', clientSecret: 's' })).toThrow(/GOOGLE_ALLOWED_DOMAINS/)
  })

  it('should read GOOGLE_* from the environment', () => {
    expect(readGoogleEnv({})).toBeUndefined()
    expect(() => readGoogleEnv({ GOOGLE_CLIENT_ID: 'id' })).toThrow(/GOOGLE_CLIENT_SECRET/)
    expect(readGoogleEnv({ GOOGLE_ALLOWED_DOMAINS: 'a.com,b.com', GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 's', GOOGLE_ROLE: 'Marketer' })).toEqual({
      allowedDomains: ['a.com', 'b.com'],
      allowedEmails: [],
      clientId: 'id',
      clientSecret: 's',
      issuer: undefined,
      role: 'marketer',
    })
  })
})

describe('flow cookie', () => {
  const flow = { nonce: 'n', state: 's', verifier: 'v' }

  it('should round-trip, and refuse a forged, tampered or expired cookie', () => {
    const sealed = sealFlow(flow, 'secret')
    expect(openFlow(sealed, 'secret')).toEqual({ flow, ok: true })
    expect(openFlow(sealed, 'other')).toMatchObject({ ok: false, reason: expect.stringMatching(/bad signature/) })
    const [body, mac] = sealed.split('.')
    const tampered = Buffer.from(JSON.stringify({ ...flow, exp: 9e9, state: 'x' })).toString('base64url')
    expect(openFlow(`${tampered}.${mac}`, 'secret').ok).toBe(false)
    expect(openFlow(`${body}.${mac}`, 'secret', Date.now() + 11 * 60_000)).toMatchObject({ ok: false, reason: expect.stringMatching(/expired/) })
    expect(openFlow(undefined, 'secret')).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) })
  })
})

describe('GoogleSignInButton', () => {
  it('should render a link when configured and nothing when not', () => {
    expect(renderToStaticMarkup(React.createElement(GoogleSignInButton, { href: '/api/users/oauth/google' }))).toContain('href="/api/users/oauth/google"')
    expect(renderToStaticMarkup(React.createElement(GoogleSignInButton, { href: null }))).toBe('')
  })
})
