import type { SanitizedCrmOptions } from './types.js'

/** Defaults of `CrmPluginOptions` (`authCollection` first follows the config's `admin.user`). */
export const DEFAULT_OPTIONS: SanitizedCrmOptions = {
  authCollection: 'users',
  disabled: false,
  jobsDashboard: false,
  openapi: true,
  title: 'Mini CRM',
}

/** Key under the Payload config's `custom` where the plugin leaves its sanitised options (read by the job runtime). */
export const CUSTOM_CONFIG_KEY = 'miniCrm'
