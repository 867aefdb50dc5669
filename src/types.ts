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
   * Currency of every amount (ISO 4217), the default `currency` of an order. Amounts are never
   * converted. Read from `STORE_CURRENCY` by the app.
   * @default 'INR'
   */
  storeCurrency?: string
  /**
   * IANA time zone (`Asia/Kolkata`) in which a date or date-time written without an offset
   * (`2025-03-01`, `2025-03-01T10:00:00`) is read, on every path that accepts dates: never the
   * server's own zone. Read from `STORE_TIMEZONE` by the app; an unknown name fails at start-up.
   * @default 'UTC'
   */
  storeTimezone?: string
  /**
   * Title shown in the OpenAPI document and the admin dashboard.
   * @default 'Mini CRM'
   */
  title?: string
}

/** `CrmPluginOptions` with every default filled in (see `sanitizeOptions`). */
export type SanitizedCrmOptions = Required<CrmPluginOptions>
