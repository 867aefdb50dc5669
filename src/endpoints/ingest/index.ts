import type { Endpoint } from 'payload'

import { importCustomersEndpoint } from './importCustomersEndpoint.js'
import { importOrdersEndpoint } from './importOrdersEndpoint.js'

/** CSV import and export routes per collection slug (collection endpoints are matched before Payload's `/:id`). */
export const INGEST_ENDPOINTS: Record<'customers' | 'orders', Endpoint[]> = {
  customers: [importCustomersEndpoint],
  orders: [importOrdersEndpoint],
}
