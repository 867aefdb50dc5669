'use client'

import { useAuth, useConfig } from '@payloadcms/ui'
import { formatAdminURL } from 'payload/shared'
import React from 'react'

import type { CrmNavLinksProps } from './types.js'

import { hasRole } from '../../access/roles.js'

/**
 * Extra admin nav links (client component): the import page, the jobs dashboard (admins only, when the host serves it)
 * and the API docs (when the plugin serves them). URLs follow the config's `routes.admin` / `routes.api`.
 */
export const CrmNavLinks = ({ showApiDocs = true, showImport = true, showJobsDashboard = false }: CrmNavLinksProps) => {
  const { config } = useConfig()
  const { user } = useAuth()
  const isAdmin = hasRole(user as { roles?: string[] } | null, 'admin')
  return (
    <div className="crm-nav-links" data-testid="crm-nav-links" style={{ display: 'flex', flexDirection: 'column', gap: 4, marginTop: 16 }}>
      {showImport ? (
        <a className="nav__link" data-testid="crm-nav-import" href={formatAdminURL({ adminRoute: config.routes.admin, path: '/import', relative: true })}>
          Import
        </a>
      ) : null}
      {showJobsDashboard && isAdmin ? (
        <a className="nav__link" href={formatAdminURL({ adminRoute: config.routes.admin, path: '/jobs', relative: true })}>
          Jobs dashboard
        </a>
      ) : null}
      {showApiDocs ? (
        <a className="nav__link" href={formatAdminURL({ apiRoute: config.routes.api, path: '/docs', relative: true })}>
          API docs
        </a>
      ) : null}
    </div>
  )
}
