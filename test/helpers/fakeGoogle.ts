import type { AddressInfo } from 'node:net'

import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto'
import http from 'node:http'
import Provider from 'oidc-provider'

/** Claims the fake returns for the next person who "signs in" (what Google puts in the ID token). */
export type FakeAccount = { email: string; email_verified: boolean; hd?: string; name?: string; sub: string }

/**
 * How the fake misbehaves on its token endpoint: the ID token is rewritten and re-signed with the
 * provider's own key (wrong `aud`, expired, wrong `nonce`) or with a stranger's key under the same
 * `kid` (bad signature). `down`: every request's connection is dropped, as by a provider that is unreachable.
 */
export type Tamper = 'badSignature' | 'down' | 'expired' | 'none' | 'wrongAudience' | 'wrongNonce'

export type FakeGoogle = {
  clientId: string
  clientSecret: string
  close: () => Promise<void>
  issuer: string
  /** Who signs in at the next interaction. */
  setAccount: (account: FakeAccount) => void
  tamper: Tamper
}

const KID = 'fake-google-1'

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

const signRs256 = (claims: Record<string, unknown>, key: KeyObject): string => {
  const input = `${b64({ alg: 'RS256', kid: KID, typ: 'JWT' })}.${b64(claims)}`
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`
}

const rewriteIdToken = (idToken: string, tamper: Tamper, own: KeyObject, stranger: KeyObject): string => {
  const claims = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>
  const now = Math.floor(Date.now() / 1000)
  switch (tamper) {
    case 'badSignature':
      return signRs256(claims, stranger)
    case 'expired':
      return signRs256({ ...claims, exp: now - 3600, iat: now - 7200 }, own)
    case 'wrongAudience':
      return signRs256({ ...claims, aud: 'someone-else.apps.googleusercontent.com' }, own)
    case 'wrongNonce':
      return signRs256({ ...claims, nonce: 'not-the-nonce-you-sent' }, own)
    default:
      return idToken
  }
}

const listen = (server: http.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))

/**
 * `oidc-provider` 9 on loopback as a stand-in for Google: one confidential client (client_secret_post,
 * PKCE required), scope claims in the ID token as Google does (`email`, `email_verified`, `hd`, `name`),
 * a login interaction that completes by itself as the account set with `setAccount`, and a proxy in
 * front whose token endpoint can be made to misbehave (`tamper`).
 */
export const startFakeGoogle = async ({ redirectUri }: { redirectUri: string }): Promise<FakeGoogle> => {
  const own = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const clientId = 'crm-test.apps.googleusercontent.com'
  const clientSecret = `fake-google-secret-${Math.random().toString(36).slice(2)}`
  const accounts = new Map<string, FakeAccount>()
  let current: FakeAccount | undefined

  // The proxy's port is the issuer; the provider itself listens behind it.
  const front = http.createServer()
  const frontPort = await listen(front)
  const issuer = `http://127.0.0.1:${frontPort}`

  const provider = new Provider(issuer, {
    claims: { email: ['email', 'email_verified', 'hd'], openid: ['sub'], profile: ['name'] },
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        grant_types: ['authorization_code'],
        redirect_uris: [redirectUri],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    conformIdTokenClaims: false,
    cookies: { keys: ['fake-google-cookie-key'] },
    features: { devInteractions: { enabled: false } },
    findAccount: (_ctx, id) => {
      const account = accounts.get(id)
      if (!account) return undefined
      return { accountId: id, claims: () => ({ ...account }) }
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    jwks: { keys: [{ ...(own.privateKey.export({ format: 'jwk' }) as object), alg: 'RS256', kid: KID, use: 'sig' }] as never },
    // Consent is implied, as for a first-party Google client the user already approved.
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.session!.accountId!
      const clientId = ctx.oidc.client!.clientId
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId })
      grant.addOIDCScope('openid email profile')
      await grant.save()
      return grant
    },
    pkce: { required: () => true },
  })
  const providerCallback = provider.callback()

  const back = http.createServer((req, res) => {
    void (async () => {
      if (req.url?.startsWith('/interaction/')) {
        if (!current) throw new Error('fake Google: no account set')
        accounts.set(current.sub, current)
        await provider.interactionFinished(req, res, { login: { accountId: current.sub } }, { mergeWithLastSubmission: false })
        return
      }
      providerCallback(req, res)
    })().catch((err: unknown) => {
      res.statusCode = 500
      res.end(String(err))
    })
  })
  const backPort = await listen(back)

  const fake: FakeGoogle = {
    clientId,
    clientSecret,
    close: async () => {
      front.closeAllConnections()
      back.closeAllConnections()
      await Promise.all([new Promise((r) => front.close(r)), new Promise((r) => back.close(r))])
    },
    issuer,
    setAccount: (account) => {
      current = account
    },
    tamper: 'none',
  }

  front.on('request', (req, res) => {
    if (fake.tamper === 'down') {
      req.socket.destroy()
      return
    }
    const upstream = http.request(
      { headers: req.headers, host: '127.0.0.1', method: req.method, path: req.url, port: backPort },
      (answer) => {
        const isToken = req.method === 'POST' && req.url?.startsWith('/token') && answer.statusCode === 200
        if (!isToken || fake.tamper === 'none') {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
          return
        }
        const chunks: Buffer[] = []
        answer.on('data', (chunk: Buffer) => chunks.push(chunk))
        answer.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id_token?: string }
          if (body.id_token) body.id_token = rewriteIdToken(body.id_token, fake.tamper, own.privateKey, stranger.privateKey)
          const text = JSON.stringify(body)
          const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(text)) }
          res.writeHead(200, headers)
          res.end(text)
        })
      },
    )
    upstream.on('error', () => {
      res.statusCode = 502
      res.end()
    })
    req.pipe(upstream)
  })

  return fake
}
