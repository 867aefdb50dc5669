import type { AdminViewServerProps } from 'payload'

import { DefaultTemplate } from '@payloadcms/next/templates'
import { Gutter } from '@payloadcms/ui'
import { redirect } from 'next/navigation'
import { formatAdminURL } from 'payload/shared'
import React from 'react'

import { hasRole } from '../../access/roles.js'
import { ImportPanel } from './ImportPanel.js'

/**
 * `/admin/import` (a root view: Payload gives it no layout and no access check, so both are here):
 * signed-in users only (others go to the login); marketers and admins upload, everyone sees the history.
 */
export const CrmImportView = ({ initPageResult, params, searchParams }: AdminViewServerProps) => {
  const { req } = initPageResult
  const { user } = req
  const adminRoute = req.payload.config.routes.admin
  if (!user) redirect(formatAdminURL({ adminRoute, path: `/login?redirect=${encodeURIComponent(formatAdminURL({ adminRoute, path: '/import' }))}` }))
  return (
    <DefaultTemplate
      i18n={req.i18n}
      locale={initPageResult.locale}
      params={params}
      payload={req.payload}
      permissions={initPageResult.permissions}
      req={req}
      searchParams={searchParams}
      user={user}
      visibleEntities={initPageResult.visibleEntities}
    >
      <Gutter>
        <h1 style={{ marginBottom: 8 }}>Import</h1>
        <ImportPanel canImport={hasRole(user as { roles?: string[] }, 'admin', 'marketer')} />
      </Gutter>
    </DefaultTemplate>
  )
}
