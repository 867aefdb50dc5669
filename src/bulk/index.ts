/**
 * The bulk data layer: many rows per statement through the adapter's own connection, beneath
 * Payload but keeping Payload's view consistent (ids, timestamps, side tables). See docs/bulk.md.
 */
export { analyzeAfterBulkLoad } from './analyzeAfterBulkLoad.js'
export { campaignFailureReasons } from './campaignFailureReasons.js'
export { pgSchemaPrefix, runSql, sqlDialectOf } from './connection.js'
export { deleteCampaignLogs } from './deleteCampaignLogs.js'
export { eraseCustomers } from './eraseCustomers.js'
export type { EraseCustomersArgs } from './eraseCustomers.js'
export type { SqlDialect } from './connection.js'
export { BulkRowError, chunk } from './normaliseRows.js'
/** PostgreSQL `COPY … FROM STDIN` of rows into a table (the bulk layer's transport; the benchmarks' ceiling uses it too). */
export { copyInto } from './postgres/copyInto.js'
export type { CopyValue } from './postgres/copyText.js'
export { recomputeCustomerAggregates } from './recomputeCustomerAggregates.js'
export type {
  BulkContext,
  CustomerRow,
  DateInput,
  Id,
  OrderRow,
  OrderStatus,
  UpsertCustomersArgs,
  UpsertCustomersResult,
  UpsertOrdersArgs,
  UpsertOrdersResult,
} from './types.js'
export { upsertCustomers } from './upsertCustomers.js'
export { upsertOrders } from './upsertOrders.js'
