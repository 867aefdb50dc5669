import type { CastCustomer, CustomerField } from '../../domain/ingest/index.js'
import type { CsvImportArgs, CsvImportResult } from './runCsvImport.js'

import { crmOptionsOf } from '../../crmOptionsOf.js'
import { castCustomerRow } from '../../domain/ingest/index.js'
import { runCsvImport } from './runCsvImport.js'

/** Imports a customers CSV (upsert by lower-cased email) through the bulk layer. Callers authorise first. */
export const importCustomersCsv = ({
  batchRows,
  payload,
  progress,
  source,
}: CsvImportArgs): Promise<CsvImportResult> => {
  const { storeTimezone } = crmOptionsOf(payload)
  return runCsvImport<CustomerField, CastCustomer>({
    batchRows,
    payload,
    progress,
    source,
    spec: {
      cast: (args) => castCustomerRow({ ...args, timeZone: storeTimezone }),
      keyLabel: 'email',
      kind: 'customers',
    },
  })
}
