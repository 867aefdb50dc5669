/**
 * The bulk data layer: many rows per statement through the adapter's own connection, beneath
 * Payload but keeping Payload's view consistent (ids, timestamps, side tables).
 */
export { recomputeCustomerAggregates } from './recomputeCustomerAggregates.js'
export { runSql, sqlDialectOf } from './connection.js'
export type { SqlDialect } from './connection.js'
