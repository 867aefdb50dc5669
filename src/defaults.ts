import type { SanitizedCrmOptions } from './types.js'

export const DEFAULT_OPTIONS: SanitizedCrmOptions = {
  disabled: false,
  openapi: true,
  title: 'Mini CRM',
}
