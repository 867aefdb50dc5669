/**
 * The bulk data layer: many rows per statement through the adapter's own connection, beneath
 * Payload but keeping Payload's view consistent (ids, timestamps, side tables). See docs/bulk.md.
 */
export { analyzeAfterBulkLoad } from './analyzeAfterBulkLoad.js'
export { campaignFailureReasons } from './campaignFailureReasons.js'
/** The campaign editor's reads: audience size with the opted-out count, sample customers, the report. */
export { campaignReportQuery, countEditorAudience, sampleCustomers } from './campaignEditorQueries.js'
export type { CampaignLogCounts, DeliveryPoint, EditorAudience, SampleCustomer } from './campaignEditorQueries.js'
export { closeBulkConnections, openBulkConnections, pgSchemaPrefix, runSql, sqlDialectOf } from './connection.js'
export { deleteCampaignLogs } from './deleteCampaignLogs.js'
export { eraseCustomers } from './eraseCustomers.js'
export { dropStaleImportKeys, openImportKeys, STALE_IMPORT_KEYS_MS } from './importKeys.js'
export type { EarlierKey, ImportKeys } from './importKeys.js'
export type { EraseCustomersArgs } from './eraseCustomers.js'
export type { SqlDialect } from './connection.js'
export { BulkRowError, chunk } from './normaliseRows.js'
/** PostgreSQL `COPY … FROM STDIN` of rows into a table (the bulk layer's transport; the benchmarks' ceiling uses it too). */
export { copyInto } from './postgres/copyInto.js'
export { BULK_CACHE_KIB } from './sqlite/driver.js'
export type { CopyValue } from './postgres/copyText.js'
export { recomputeCustomerAggregates } from './recomputeCustomerAggregates.js'
export type {
  BulkContext,
  CustomerRow,
  DateInput,
  Id,
  OrderRow,
  OrderStatus,
  RowFailure,
  RowOutcomes,
  RowStatus,
  UpsertCustomersArgs,
  UpsertCustomersResult,
  UpsertOrdersArgs,
  UpsertOrdersResult,
} from './types.js'
export { upsertCustomers } from './upsertCustomers.js'
export { upsertOrders } from './upsertOrders.js'
/** Rows from an (async) iterable, written in batches with backpressure; per-row outcomes and repeated keys per batch. */
export { streamBatchRows, upsertStream } from './upsertStream.js'
export type { StreamBatch, StreamOutcome, StreamRow, UpsertStreamArgs } from './upsertStream.js'
export type { StreamRepeat } from './streamRepeats.js'
/** The campaign send pipeline's set-based statements (snapshot, claims, sent records, receipts, stats, rate window). */
export {
  applyReceipts,
  claimPendingLogs,
  countPendingLogs,
  createSendRateTable,
  explainLogBatchUpdates,
  recordSentLogs,
  releaseLogClaims,
  renewLogClaims,
  resetSendRateTableCache,
  rollUpCampaignStats,
  setCampaignStatus,
  snapshotCampaignAudience,
  takeSendTokens,
} from './campaignSend.js'
export type { ApplyReceiptsResult, CampaignStats, ClaimedLog, ReceiptInput, RolledUpStats, SentLog, SnapshotAudience } from './campaignSend.js'
export { readCustomersForTemplate } from './readCustomersForTemplate.js'
export { readDashboardAggregates } from './dashboardAggregates.js'
export type { DashboardAggregates } from './dashboardAggregates.js'
/** Status/progress writes fenced by a run token (async imports, ingest batches). */
export { claimRun, FencedOutError, fencedUpdate } from './fencedUpdate.js'
export type { FencedValue } from './fencedUpdate.js'
