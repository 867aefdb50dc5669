import type { CrmLimits, CrmPluginOptions, SanitizedCrmLimits, SanitizedCrmOptions } from './types.js'

import { DEFAULT_OPTIONS } from './defaults.js'

/** A positive whole number, or a configuration error naming the option. */
const positiveInteger = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`crmPlugin: limits.${name} must be a positive whole number (got ${String(value)})`)
  return value
}

const sanitizeLimits = (limits: CrmLimits = {}): SanitizedCrmLimits => {
  const defaults = DEFAULT_OPTIONS.limits
  return {
    bodyBytes: {
      ingest: positiveInteger('bodyBytes.ingest', limits.bodyBytes?.ingest, defaults.bodyBytes.ingest),
      json: positiveInteger('bodyBytes.json', limits.bodyBytes?.json, defaults.bodyBytes.json),
      upload: positiveInteger('bodyBytes.upload', limits.bodyBytes?.upload, defaults.bodyBytes.upload),
    },
    graphQLMaxCost: positiveInteger('graphQLMaxCost', limits.graphQLMaxCost, defaults.graphQLMaxCost),
    maxPageSize: positiveInteger('maxPageSize', limits.maxPageSize, defaults.maxPageSize),
  }
}

/** Fills in defaults once; everything downstream takes `SanitizedCrmOptions`. */
export const sanitizeOptions = (options: CrmPluginOptions = {}): SanitizedCrmOptions => ({
  disabled: options.disabled ?? DEFAULT_OPTIONS.disabled,
  openapi: options.openapi ?? DEFAULT_OPTIONS.openapi,
  title: options.title?.trim() || DEFAULT_OPTIONS.title,
  limits: sanitizeLimits(options.limits),
})
