import { importOrdersCsv } from '../../operations/ingest/importOrdersCsv.js'
import { importCsvEndpoint } from './importCsvEndpoint.js'

/** `POST /api/orders/import` (CONTRACT: Ingestion). */
export const importOrdersEndpoint = importCsvEndpoint({
  description:
    'Upserts orders by order id, linked by customer email (an unknown email creates a bare customer); amounts must be in the ' +
    'store currency. The affected customers\' totalSpend, orderCount and lastOrderAt are re-derived.',
  importCsv: importOrdersCsv,
  kind: 'orders',
  summary: 'Import orders from CSV',
  tag: 'Orders',
})
