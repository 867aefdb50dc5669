import { importCustomersCsv } from '../../operations/ingest/importCustomersCsv.js'
import { importCsvEndpoint } from './importCsvEndpoint.js'

/** `POST /api/customers/import` (CONTRACT: Ingestion). */
export const importCustomersEndpoint = importCsvEndpoint({
  description:
    'Upserts customers by lower-cased email. Headers match ignoring case, spaces, hyphens and underscores, with synonyms; ' +
    'other columns go to `attributes` in camelCase. Empty cells and absent columns leave stored values alone.',
  importCsv: importCustomersCsv,
  kind: 'customers',
  summary: 'Import customers from CSV',
  tag: 'Customers',
})
