import type { PgClientLike } from '../connection.js'

/**
 * The lock order every writer of customer aggregates follows on PostgreSQL, so two of them never
 * wait on each other in a cycle (no deadlock) and the aggregate statement always runs after the
 * other writer has committed (no lost update under READ COMMITTED):
 *
 * 1. bulk upserts take one transaction-scoped advisory lock first: bulk calls run one at a time;
 * 2. order rows (a bulk call locks the existing ones in id order);
 * 3. customer rows, in id order, right before their aggregates are derived.
 *
 * Payload's own single-document writes (an order PATCH and its hook) start at step 2 with the one
 * order they write, so they fit the same order.
 */
const BULK_WRITE_LOCK = 'crm.bulk.write'

/**
 * Step 1, a statement without parameters (sent in one simple query with the statements that follow
 * it): waits until no other bulk call is writing; released by the transaction's end.
 */
export const LOCK_BULK_WRITERS_SQL = `SELECT pg_advisory_xact_lock(hashtext('${BULK_WRITE_LOCK}'))`

/**
 * Step 3: locks the given customers (`FOR NO KEY UPDATE`, which still lets other transactions insert
 * orders that reference them) in id order. A statement run after this sees every transaction that
 * held one of these rows as committed.
 */
export const lockCustomerRows = async ({ client, ids, schemaPrefix }: { client: PgClientLike; ids: readonly number[]; schemaPrefix: string }) => {
  if (ids.length === 0) return
  await client.query(`SELECT id FROM ${schemaPrefix}customers WHERE id = ANY($1::int[]) ORDER BY id FOR NO KEY UPDATE`, [ids])
}

/**
 * For a recompute of every customer: `EXCLUSIVE` lets readers through but waits for, and then
 * blocks, every transaction that writes customers or locks their rows (order writes included), so
 * the one statement that follows sees a settled table.
 */
export const lockCustomersTable = async ({ client, schemaPrefix }: { client: PgClientLike; schemaPrefix: string }) => {
  await client.query(`LOCK TABLE ${schemaPrefix}customers IN EXCLUSIVE MODE`)
}
