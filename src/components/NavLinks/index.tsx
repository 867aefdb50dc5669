import type { ServerProps } from 'payload'

import React from 'react'

import { hasRole } from '../../access/roles.js'

/** Extra admin nav links: the jobs dashboard (admins only) and the API docs. */
export const CrmNavLinks = ({ user }: Partial<ServerProps>) => (
  <div className="crm-nav-links" style={{ display: 'flex', flexDirection: 'column', gap: 4, marginTop: 16 }}>
    {hasRole(user as { roles?: string[] } | null, 'admin') ? (
      <a className="nav__link" href="/admin/jobs">
        Jobs dashboard
      </a>
    ) : null}
    <a className="nav__link" href="/api/docs">
      API docs
    </a>
  </div>
)
