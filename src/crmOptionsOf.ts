import type { Payload } from 'payload'

import type { SanitizedCrmOptions } from './types.js'

import { CUSTOM_CONFIG_KEY, DEFAULT_OPTIONS } from './defaults.js'

/**
 * The CRM plugin's sanitised options as seen by a running Payload (the bulk layer reads the store
 * time zone here); the defaults when the plugin did not record them.
 */
export const crmOptionsOf = (payload: Pick<Payload, 'config'>): SanitizedCrmOptions => {
  const stored: unknown = payload.config.custom?.[CUSTOM_CONFIG_KEY]
  return typeof stored === 'object' && stored !== null ? { ...DEFAULT_OPTIONS, ...(stored as Partial<SanitizedCrmOptions>) } : DEFAULT_OPTIONS
}
