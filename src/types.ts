/** Options of `crmPlugin(options)`. Every field is optional; defaults live in `src/defaults.ts`. */
export type CrmPluginOptions = {
  /**
   * Slug of the auth collection whose users work in the CRM. When the config already has a
   * collection with this slug (the host's own users), the plugin adds a `roles` field (`admin`,
   * `marketer`, `viewer`; saved to the JWT) and makes the first user ever created a CRM admin; the
   * host's own fields, access rules and hooks stay. When it has none, the plugin adds its own
   * `users` collection (email/password, API keys, roles).
   * @default config.admin.user, else 'users'
   */
  authCollection?: string
  /**
   * Keep the CRM collections and the `roles` field (so the schema and migrations stay stable) but
   * register no hooks, endpoints, admin components or jobs (`startCrmJobRuntime` then starts nothing).
   * @default false
   */
  disabled?: boolean
  /**
   * Link the jobs dashboard (`<admin route>/jobs`) from the admin nav, for admins. Only the Mini CRM
   * server mounts that dashboard; a host app that does not serve it leaves this off.
   * @default false
   */
  jobsDashboard?: boolean
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
