import type { CrmAiOptions, SanitizedAiOptions } from './ai/types.js'
import type { CrmLimits, CrmPluginOptions, SanitizedCrmLimits, SanitizedCrmOptions } from './types.js'

import { sanitizeGoogleOptions } from './auth/google/options.js'
import { DEFAULT_OPTIONS } from './defaults.js'
import { CURRENCY_RE } from './domain/validation/index.js'
import { checkTimeZone } from './domain/time/zonedDate.js'

const storeTimezoneOf = (value: string | undefined): string => {
  const zone = value?.trim() || DEFAULT_OPTIONS.storeTimezone
  const check = checkTimeZone(zone)
  if (check !== true) throw new Error(`storeTimezone (STORE_TIMEZONE): ${check}`)
  return zone
}

const storeCurrencyOf = (value: string | undefined): string => {
  const currency = value?.trim().toUpperCase() || DEFAULT_OPTIONS.storeCurrency
  if (!CURRENCY_RE.test(currency)) {
    throw new Error(`storeCurrency (STORE_CURRENCY) must be a three-letter ISO 4217 code such as INR (got "${value}")`)
  }
  return currency
}

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

const withoutSecret = <T extends { clientSecret: string }>(google: null | T): null | Omit<T, 'clientSecret'> => {
  if (!google) return null
  const { clientSecret: _secret, ...rest } = google
  return rest
}

const sanitizeAi = (ai: CrmAiOptions = {}): SanitizedAiOptions => {
  const defaults = DEFAULT_OPTIONS.ai
  const whole = (name: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`crmPlugin: ai.${name} must be a positive whole number (got ${String(value)})`)
    return value
  }
  const baseUrl = ai.baseUrl?.trim().replace(/\/+$/, '') || undefined
  if (baseUrl && !/^https?:\/\/[^/]/i.test(baseUrl)) throw new Error(`ai.baseUrl (GEMINI_BASE_URL) must be an http:// or https:// URL (got "${baseUrl}")`)
  return {
    apiKey: ai.apiKey?.trim() || undefined,
    baseUrl,
    maxAttempts: whole('maxAttempts', ai.maxAttempts, defaults.maxAttempts),
    maxRetryDelayMs: whole('maxRetryDelayMs', ai.maxRetryDelayMs, defaults.maxRetryDelayMs),
    model: ai.model?.trim() || defaults.model,
    rateLimitPerMinute: whole('rateLimitPerMinute', ai.rateLimitPerMinute, defaults.rateLimitPerMinute),
    timeoutMs: whole('timeoutMs', ai.timeoutMs, defaults.timeoutMs),
  }
}

/** Fills in defaults once and rejects bad settings with a clear message; everything downstream takes `SanitizedCrmOptions`. */
export const sanitizeOptions = (options: CrmPluginOptions = {}): SanitizedCrmOptions => ({
  ai: sanitizeAi(options.ai),
  authCollection: options.authCollection?.trim() || DEFAULT_OPTIONS.authCollection,
  disabled: options.disabled ?? DEFAULT_OPTIONS.disabled,
  google: withoutSecret(sanitizeGoogleOptions(options.google)),
  jobsDashboard: options.jobsDashboard ?? DEFAULT_OPTIONS.jobsDashboard,
  openapi: options.openapi ?? DEFAULT_OPTIONS.openapi,
  storeCurrency: storeCurrencyOf(options.storeCurrency),
  storeTimezone: storeTimezoneOf(options.storeTimezone),
  title: options.title?.trim() || DEFAULT_OPTIONS.title,
  limits: sanitizeLimits(options.limits),
})
