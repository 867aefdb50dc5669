import type { CastOrder, OrderField } from '../../domain/ingest/index.js'
import type { CsvImportArgs, CsvImportResult } from './runCsvImport.js'

import { crmOptionsOf } from '../../crmOptionsOf.js'
import { castOrderRow } from '../../domain/ingest/index.js'
import { runCsvImport } from './runCsvImport.js'

/**
 * Imports an orders CSV (upsert by externalId, linked by customer email; an unknown email gets a
 * bare customer). Each batch re-derives its affected customers' aggregates (previous owners of
 * moved orders included) in the same transaction. Orders without a currency are in the store's.
 */
export const importOrdersCsv = ({
  batchRows,
  payload,
  progress,
  source,
}: CsvImportArgs): Promise<CsvImportResult> => {
  const { storeCurrency, storeTimezone } = crmOptionsOf(payload)
  return runCsvImport<OrderField, CastOrder>({
    batchRows,
    payload,
    progress,
    source,
    spec: {
      cast: (args) => castOrderRow({ ...args, storeCurrency, timeZone: storeTimezone }),
      keyLabel: 'order id',
      kind: 'orders',
    },
  })
}
