/**
 * `mini-crm/migrations`: what a host app adds to its own migrations. The CRM tables come from the
 * host's `payload migrate:create` (the plugin's collections are in its config); the indexes Payload
 * cannot generate come from `crmMigration(dialect)`.
 */
export { crmMigration } from '../db/crmMigration.js'
export type { CrmMigration } from '../db/crmMigration.js'
