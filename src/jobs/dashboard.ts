import type { Agenda } from 'agenda'
import type { ErrorRequestHandler, Express, NextFunction, Request, Response } from 'express'

import { createExpressMiddleware } from 'agendash'
import express from 'express'
import { createRequire } from 'node:module'
import path from 'node:path'

export type DashboardUser = { roles?: string[] }

export type MountJobsDashboardOptions = {
  agenda: Agenda
  /**
   * Origins allowed to send writes (retry, delete, create…): the server passes Payload's CSRF list,
   * i.e. `PUBLIC_URL` and, when that is a loopback address, its other loopback names. Never the
   * request's own `Host` header, which the client chooses.
   */
  allowedOrigins: readonly string[]
  app: Express
  /** Resolves the signed-in user from the request (the server passes Payload's `payload.auth`). */
  authenticate: (req: Request) => Promise<DashboardUser | null>
  /** Where anonymous browsers are sent. @default '/admin/login' */
  loginPath?: string
  /** Receives server-side failures (their details never reach the client). */
  onError?: (args: { err: unknown; msg: string }) => void
  /** @default '/admin/jobs' */
  path?: string
}

export type JobsDashboard = {
  /** Ends the open live-update streams (they would otherwise hold a graceful shutdown open). */
  close: () => void
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Agendash's bundled client (HTML, one script, one stylesheet); its hashed assets hold no data. */
const agendashPublicDir = path.resolve(path.dirname(createRequire(import.meta.url).resolve('agendash')), '../public')

const errorBody = (message: string) => ({ errors: [{ message }] })

/** The origin of the request's `Origin` header, or of its `Referer` when a browser sent no Origin. */
const requestOrigin = (req: Request): null | string => {
  const value = req.get('origin') ?? req.get('referer')
  if (!value) return null
  try {
    return new URL(value).origin
  } catch {
    return null
  }
}

/**
 * Agendash answers its own errors as `{"error": "…"}`; every error body here has the API's one shape,
 * `{"errors":[{"message": …}]}`, and a 500 never carries the underlying message.
 */
const normaliseErrorBodies =
  (onError: MountJobsDashboardOptions['onError']) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const json = res.json.bind(res)
    res.json = (body: unknown) => {
      if (res.statusCode < 400) return json(body)
      if (body && typeof body === 'object' && Array.isArray(Reflect.get(body, 'errors'))) return json(body)
      const raw: unknown = body && typeof body === 'object' ? Reflect.get(body, 'error') : body
      const message = typeof raw === 'string' && raw ? raw : 'Request failed'
      if (res.statusCode === 500) {
        onError?.({ err: new Error(message), msg: `Jobs dashboard error on ${req.method} ${req.originalUrl}` })
        return json(errorBody('Internal server error'))
      }
      return json(errorBody(message))
    }
    next()
  }

/**
 * Mounts Agendash at `/admin/jobs` for admins only: anonymous browsers are redirected to the admin
 * login (API calls get 401), signed-in non-admins get 403, writes must come from an allowed origin.
 * Its static assets are public (module scripts are fetched in CORS mode with an `Origin` header,
 * and a login page in their place would leave the dashboard blank). Live updates (`/api/events`,
 * server-sent events) carry this process's job events; the page also refreshes itself every 30 s.
 */
export const mountJobsDashboard = ({
  agenda,
  allowedOrigins,
  app,
  authenticate,
  loginPath = '/admin/login',
  onError,
  path: mountPath = '/admin/jobs',
}: MountJobsDashboardOptions): JobsDashboard => {
  const allowed = new Set(allowedOrigins)
  const streams = new Set<Response>()

  const guard = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    let user: DashboardUser | null
    try {
      user = await authenticate(req)
    } catch (err) {
      next(err)
      return
    }
    if (!user) {
      if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
        res.redirect(302, `${loginPath}?redirect=${encodeURIComponent(req.originalUrl)}`)
      } else {
        res.status(401).json(errorBody('Sign in as an admin to use the jobs dashboard'))
      }
      return
    }
    if (!user.roles?.includes('admin')) {
      res.status(403).json(errorBody('The jobs dashboard is for admins only'))
      return
    }
    // Agendash's POST routes act on the session cookie, which a cross-site form can send.
    if (!SAFE_METHODS.has(req.method)) {
      const origin = requestOrigin(req)
      if (!origin || !allowed.has(origin)) {
        res.status(403).json(errorBody('Cross-origin request refused'))
        return
      }
    }
    res.set('Cache-Control', 'no-store')
    next()
  }

  const trackStream = (req: Request, res: Response, next: NextFunction): void => {
    streams.add(res)
    res.once('close', () => streams.delete(res))
    next()
  }

  const handleErrors: ErrorRequestHandler = (err: unknown, req, res, next) => {
    const status = Number((err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode)
    if (res.headersSent || !(status >= 400 && status < 500)) {
      next(err)
      return
    }
    // body-parser and serve-static errors: bad JSON, too large, missing file.
    const exposed = (err as { expose?: unknown }).expose === true && err instanceof Error ? err.message : null
    res.status(status).json(errorBody(status === 404 ? 'Not found' : (exposed ?? 'Bad request')))
  }

  app.use(
    `${mountPath}/assets`,
    express.static(path.join(agendashPublicDir, 'assets'), { fallthrough: false, immutable: true, index: false, maxAge: '365d' }),
  )
  app.use(mountPath, normaliseErrorBodies(onError), guard)
  app.get(`${mountPath}/api/events`, trackStream)
  app.use(mountPath, createExpressMiddleware(agenda))
  app.use(`${mountPath}/api`, (_req: Request, res: Response) => {
    res.status(404).json(errorBody('Not found'))
  })
  app.use(mountPath, handleErrors)

  return {
    close: () => {
      for (const res of streams) res.end()
      streams.clear()
    },
  }
}
