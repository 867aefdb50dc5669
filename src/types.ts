/** Options of `crmPlugin(options)`. Every field is optional; defaults live in `src/defaults.ts`. */
export type CrmPluginOptions = {
  /**
   * Keep the CRM collections (so the schema and migrations stay stable) but register no endpoints,
   * hooks or admin components.
   * @default false
   */
  disabled?: boolean
  /**
   * Serve the OpenAPI description at `/api/openapi.json` and Swagger UI at `/api/docs`.
   * @default true
   */
  openapi?: boolean
  /**
   * Title shown in the OpenAPI document and the admin dashboard.
   * @default 'Mini CRM'
   */
  title?: string
}

/** `CrmPluginOptions` with every default filled in (see `sanitizeOptions`). */
export type SanitizedCrmOptions = Required<CrmPluginOptions>
