import type { Agenda } from 'agenda'
import type { Express, NextFunction, Request, Response } from 'express'

import { createExpressMiddleware } from 'agendash'

export type DashboardUser = { roles?: string[] }

export type MountJobsDashboardOptions = {
  agenda: Agenda
  app: Express
  /** Resolves the signed-in user from the request (the server passes Payload's `payload.auth`). */
  authenticate: (req: Request) => Promise<DashboardUser | null>
  /** @default '/admin/jobs' */
  path?: string
  /** Where anonymous browsers are sent. @default '/admin/login' */
  loginPath?: string
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Agendash's own POST routes (retry, delete, create…) act on the session cookie. A cross-site form
 * can send that cookie, so writes must come from this origin.
 */
const isSameOrigin = (req: Request): boolean => {
  const origin = req.get('origin') ?? req.get('referer')
  if (!origin) return false
  try {
    return new URL(origin).host === req.get('host')
  } catch {
    return false
  }
}

/**
 * Mounts Agendash at `/admin/jobs` for admins only: anonymous browsers are redirected to the admin
 * login (API calls get 401), signed-in non-admins get 403.
 */
export const mountJobsDashboard = ({ agenda, app, authenticate, loginPath = '/admin/login', path = '/admin/jobs' }: MountJobsDashboardOptions): void => {
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
        res.status(401).json({ error: 'Sign in as an admin to use the jobs dashboard' })
      }
      return
    }
    if (!user.roles?.includes('admin')) {
      res.status(403).json({ error: 'The jobs dashboard is for admins only' })
      return
    }
    if (!SAFE_METHODS.has(req.method) && !isSameOrigin(req)) {
      res.status(403).json({ error: 'Cross-origin request refused' })
      return
    }
    res.set('Cache-Control', 'no-store')
    next()
  }
  app.use(path, guard, createExpressMiddleware(agenda))
}
