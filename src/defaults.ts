import type { SanitizedCrmOptions } from './types.js'

export const DEFAULT_OPTIONS: SanitizedCrmOptions = {
  disabled: false,
  openapi: true,
  storeCurrency: 'INR',
  storeTimezone: 'UTC',
  title: 'Mini CRM',
}
