import type { SanitizedCrmOptions } from './types.js'

export const DEFAULT_OPTIONS: SanitizedCrmOptions = {
  disabled: false,
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
