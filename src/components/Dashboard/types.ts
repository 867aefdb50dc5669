import type { DashboardData } from '../../operations/dashboard/readDashboard.js'

/** `serverProps` the plugin passes to `CrmDashboard` (from its options). */
export type CrmDashboardProps = {
  /** Point developers at `<api>/docs` (the plugin's Swagger UI). @default true */
  showApiDocs?: boolean
}

/** What the server part hands the client part. */
export type CrmDashboardViewProps = {
  adminRoute: string
  apiRoute: string
  /** Admin: may start "Load demo data" (when the server runs a job worker). */
  canLoadDemoData: boolean
  /** Admin or marketer. */
  canWrite: boolean
  /** null when the figures could not be computed (MongoDB): only the counts are shown. */
  data: DashboardData | null
  fallbackCounts: { campaigns: number; customers: number; orders: number; segments: number }
  showApiDocs: boolean
}
