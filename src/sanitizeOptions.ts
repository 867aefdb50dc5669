import type { CrmPluginOptions, SanitizedCrmOptions } from './types.js'

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

/** Fills in defaults once and rejects bad settings with a clear message; everything downstream takes `SanitizedCrmOptions`. */
export const sanitizeOptions = (options: CrmPluginOptions = {}): SanitizedCrmOptions => ({
  disabled: options.disabled ?? DEFAULT_OPTIONS.disabled,
  openapi: options.openapi ?? DEFAULT_OPTIONS.openapi,
  storeCurrency: storeCurrencyOf(options.storeCurrency),
  storeTimezone: storeTimezoneOf(options.storeTimezone),
  title: options.title?.trim() || DEFAULT_OPTIONS.title,
})
