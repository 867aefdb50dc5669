/** `clientProps` the plugin passes to `CrmNavLinks` (from its options). */
export type CrmNavLinksProps = {
  /** Link `<api>/docs` (the plugin's Swagger UI). @default true */
  showApiDocs?: boolean
  /** Link `<admin>/import` (the plugin's import view). @default true */
  showImport?: boolean
  /** Link `<admin>/jobs` (Agendash, mounted by the Mini CRM server, not by Payload). @default false */
  showJobsDashboard?: boolean
}
