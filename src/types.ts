import type { GoogleSignInOptions, SanitizedGoogleOptions } from './auth/google/options.js'
import type { CrmAiOptions, SanitizedAiOptions } from './ai/types.js'

/** Options of `crmPlugin(options)`. Every field is optional; defaults live in `src/defaults.ts`. */
export type CrmPluginOptions = {
  /**
   * The AI features (message variants, plain-English audiences, campaign summaries): Gemini when
   * `apiKey` is set, else a deterministic offline fallback. The app fills it from GEMINI_* variables.
   */
  ai?: CrmAiOptions
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
   * Google sign-in (OpenID Connect) on the auth collection: `GET /api/<users>/oauth/google` and its
   * callback, and a "Sign in with Google" button on the admin login page. Unset = off.
   */
  google?: GoogleSignInOptions
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
  /** What one request may ask of the server (page sizes, GraphQL cost, body sizes). */
  limits?: CrmLimits
}

/** Bounds that keep one request from stopping the server. */
export type CrmLimits = {
  /**
   * Most documents a list page returns on every CRM collection (REST, GraphQL, admin), whatever
   * `limit` or `pagination` asks. Whole tables are read through the streaming export.
   * @default 1000
   */
  maxPageSize?: number
  /**
   * Budget of one GraphQL query: every selected field counts 1, a list counts its fields once per
   * document it may return (its `limit`), each list read adds 100. Over it → 400 before it runs.
   * @default 20000
   */
  graphQLMaxCost?: number
  /** Largest request bodies, in bytes; past them → 413 with a JSON error. */
  bodyBytes?: {
    /**
     * Ordinary JSON endpoints (Payload's own REST and GraphQL, and ours).
     * @default 4194304 (4 MiB)
     */
    json?: number
    /**
     * JSON ingest endpoints (`bodyLimit: 'ingest'`): 10,000 records with attributes.
     * @default 33554432 (32 MiB)
     */
    ingest?: number
    /**
     * CSV uploads (`bodyLimit: 'upload'`).
     * @default 268435456 (256 MiB)
     */
    upload?: number
  }
}

/** `CrmLimits` with every default filled in. */
export type SanitizedCrmLimits = {
  bodyBytes: Required<NonNullable<CrmLimits['bodyBytes']>>
  graphQLMaxCost: number
  maxPageSize: number
}

/** `CrmPluginOptions` with every default filled in (see `sanitizeOptions`). */
export type SanitizedCrmOptions = Required<Omit<CrmPluginOptions, 'ai' | 'google' | 'limits'>> & {
  ai: SanitizedAiOptions
  /** Google sign-in without its client secret (these options are kept in the config's server-only `custom`), or null when off. */
  google: null | Omit<SanitizedGoogleOptions, 'clientSecret'>
  limits: SanitizedCrmLimits
}
