/** `serverProps` the plugin passes to `CrmDashboard` (from its options). */
export type CrmDashboardProps = {
  /** Point developers at `<api>/docs` (the plugin's Swagger UI). @default true */
  showApiDocs?: boolean
}
