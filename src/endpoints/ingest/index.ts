import type { Endpoint } from 'payload'

import { exportCsvEndpoint } from './exportCsvEndpoint.js'
import { importCustomersEndpoint } from './importCustomersEndpoint.js'
import { importOrdersEndpoint } from './importOrdersEndpoint.js'

export { rejectedRowsEndpoint } from './importRecordEndpoints.js'
export { JSON_INGEST_ENDPOINTS } from './jsonIngestEndpoints.js'

/** CSV import and export routes per collection slug (collection endpoints are matched before Payload's `/:id`). */
export const INGEST_ENDPOINTS: Record<'customers' | 'orders', Endpoint[]> = {
  customers: [importCustomersEndpoint, exportCsvEndpoint({ kind: 'customers', tag: 'Customers' })],
  orders: [importOrdersEndpoint, exportCsvEndpoint({ kind: 'orders', tag: 'Orders' })],
}
