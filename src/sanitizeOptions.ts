import type { CrmPluginOptions, SanitizedCrmOptions } from './types.js'

import { DEFAULT_OPTIONS } from './defaults.js'

/** Fills in defaults once; everything downstream takes `SanitizedCrmOptions`. */
export const sanitizeOptions = (options: CrmPluginOptions = {}): SanitizedCrmOptions => ({
  authCollection: options.authCollection?.trim() || DEFAULT_OPTIONS.authCollection,
  disabled: options.disabled ?? DEFAULT_OPTIONS.disabled,
  jobsDashboard: options.jobsDashboard ?? DEFAULT_OPTIONS.jobsDashboard,
  openapi: options.openapi ?? DEFAULT_OPTIONS.openapi,
  title: options.title?.trim() || DEFAULT_OPTIONS.title,
})
