import type { Payload } from 'payload'

import type { SanitizedCrmOptions } from './types.js'

import { DEFAULT_OPTIONS } from './defaults.js'

/** Where `crmPlugin` keeps its sanitised options in Payload's server-only `config.custom`. */
export const CRM_OPTIONS_KEY = 'crm'

/**
 * The CRM plugin's sanitised options as seen by a running Payload (the bulk layer reads the store
 * time zone here); the defaults when the plugin did not record them.
 */
export const crmOptionsOf = (payload: Pick<Payload, 'config'>): SanitizedCrmOptions => {
  const stored: unknown = payload.config.custom?.[CRM_OPTIONS_KEY]
  return typeof stored === 'object' && stored !== null ? { ...DEFAULT_OPTIONS, ...(stored as Partial<SanitizedCrmOptions>) } : DEFAULT_OPTIONS
}
