/**
 * The bulk data layer: many rows per statement through the adapter's own connection, beneath
 * Payload but keeping Payload's view consistent (ids, timestamps, side tables). See docs/bulk.md.
 */
export { analyzeAfterBulkLoad } from './analyzeAfterBulkLoad.js'
export { pgSchemaPrefix, runSql, sqlDialectOf } from './connection.js'
export type { SqlDialect } from './connection.js'
export { BulkRowError, chunk } from './normaliseRows.js'
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
