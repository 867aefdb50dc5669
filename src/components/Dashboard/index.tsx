import type { AdminViewServerProps } from 'payload'

import React from 'react'

import type { DashboardData } from '../../operations/dashboard/readDashboard.js'
import type { CrmDashboardProps } from './types.js'

import { hasRole } from '../../access/roles.js'
import { sqlDialectOf } from '../../bulk/index.js'
import { SLUGS } from '../../collections/slugs.js'
import { readDashboard } from '../../operations/dashboard/readDashboard.js'
import { CrmDashboardView } from './DashboardView.js'
import './styles.css'

const COUNTED = ['campaigns', 'customers', 'orders', 'segments'] as const

/**
 * Dashboard landing block (server component): reads the figures with the user's access (no loading
 * flash) and hands them to the client part, which draws the charts and, on an empty CRM, the guide
 * and "Load demo data" (admins; the button asks the API whether a job worker can run it). Links follow the config's
 * `routes.admin` / `routes.api`, so a host that mounts Payload elsewhere gets working links.
 */
export const CrmDashboard = async ({
  payload,
  showApiDocs = true,
  user,
}: CrmDashboardProps & Partial<AdminViewServerProps> & { payload: AdminViewServerProps['payload'] }) => {
  const { admin: adminRoute, api: apiRoute } = payload.config.routes
  const entries = await Promise.all(
    COUNTED.map(async (key) => [key, (await payload.count({ collection: SLUGS[key], overrideAccess: false, user })).totalDocs] as const),
  )
  const fallbackCounts = Object.fromEntries(entries) as Record<(typeof COUNTED)[number], number>
  // The charts need SQL (set-based aggregates); on MongoDB the counts alone are shown.
  let data: DashboardData | null = null
  if (sqlDialectOf(payload)) {
    try {
      data = await readDashboard({ payload, user: user ?? null })
    } catch (err) {
      payload.logger.error({ err, msg: 'Could not read the dashboard figures' })
    }
  }
  const roleUser = user as { roles?: string[] } | null
  return (
    <CrmDashboardView
      adminRoute={adminRoute}
      apiRoute={apiRoute}
      canLoadDemoData={hasRole(roleUser, 'admin')}
      canWrite={hasRole(roleUser, 'admin', 'marketer')}
      data={data}
      fallbackCounts={fallbackCounts}
      showApiDocs={showApiDocs}
    />
  )
}
