import type { SanitizedCrmOptions } from './types.js'

import { DEFAULT_AI_OPTIONS } from './ai/types.js'

/** Defaults of `CrmPluginOptions` (`authCollection` first follows the config's `admin.user`). */
export const DEFAULT_OPTIONS: SanitizedCrmOptions = {
  ai: DEFAULT_AI_OPTIONS,
  authCollection: 'users',
  disabled: false,
  google: null,
  jobsDashboard: false,
  openapi: true,
  storeCurrency: 'INR',
  storeTimezone: 'UTC',
  title: 'Mini CRM',
  limits: {
    bodyBytes: { ingest: 32 * 1024 * 1024, json: 4 * 1024 * 1024, upload: 256 * 1024 * 1024 },
    graphQLMaxCost: 20_000,
    maxPageSize: 1000,
  },
}

/** Key under the Payload config's `custom` where the plugin leaves its sanitised options (read by the job runtime). */
export const CUSTOM_CONFIG_KEY = 'miniCrm'
