/**
 * Constants shared by the collections, the bulk data layer and the rest of the plugin. A leaf module
 * (no imports), so `src/collections` and `src/bulk` both depend on it and never on each other.
 */

/** Collection slugs are part of the external contract (REST at /api/<slug>). */
export const SLUGS = {
  campaigns: 'campaigns',
  communicationLogs: 'communication-logs',
  customers: 'customers',
  imports: 'imports',
  ingestBatches: 'ingest-batches',
  orders: 'orders',
  segments: 'segments',
  stagingChunks: 'crm-staging-chunks',
  users: 'users',
} as const

export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'] as const
/** Orders in these states do not count towards totalSpend/orderCount/lastOrderAt. */
export const NON_COUNTING_ORDER_STATUSES = ['cancelled', 'refunded'] as const

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled', 'failed'] as const
export const LOG_STATUSES = ['pending', 'sent', 'failed', 'delivered'] as const

/** CSV import: rows per bulk call (memory follows this, not the file size). */
export const CSV_IMPORT_BATCH_ROWS = 10_000
/**
 * CSV import on SQLite: rows per bulk call there. Each SQLite commit writes every page the batch
 * dirtied to the WAL, and the customers table has a dozen indexes whose pages a batch of random rows
 * touches all over: at 1M customers, a 10,000-row batch rewrites most of them. Bare bulk writes of 1M
 * customers measured 6.6k rows/s with 10,000-row batches, 8.6k with 25,000 (50,000: no faster).
 */
export const CSV_IMPORT_BATCH_ROWS_SQLITE = 25_000
/** CSV import: at most this many errors and this many warnings are listed in the answer (CONTRACT). */
export const CSV_IMPORT_MAX_ISSUES = 1_000
/** CSV export: rows read per page (keyset on id), so memory stays constant. */
export const CSV_EXPORT_PAGE_ROWS = 1_000
/** CSV import: a record longer than this (characters) stops the parser; the rest of the file is one error. Bounds memory per row. */
export const CSV_IMPORT_MAX_RECORD_CHARS = 16 * 1024 * 1024

/** Async CSV imports (`imports`) and JSON ingest batches (`ingest-batches`): their states. */
export const IMPORT_STATUSES = ['queued', 'processing', 'done', 'failed'] as const
/** JSON ingest: at most this many records per request (CONTRACT; more → 413). */
export const INGEST_MAX_RECORDS = 10_000
/** JSON ingest: accepted records per staged chunk (and per bulk write of the consumer). */
export const INGEST_CHUNK_RECORDS = 2_500
/** Async CSV import: bytes of the upload per staged chunk (cut after a line break when there is one). */
export const STAGING_CHUNK_BYTES = 1024 * 1024
