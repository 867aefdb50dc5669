import type { CollectionBeforeDeleteHook } from 'payload'

import { eraseCustomers } from '../../../bulk/index.js'

/**
 * Before Payload deletes one customer (REST/GraphQL/admin/Local API by id): erase its orders and
 * take its communication logs out of sends or anonymise them (see `eraseCustomers`). Without this,
 * the delete failed on the NOT NULL `orders.customer_id` column.
 */
export const eraseCustomerDependants: CollectionBeforeDeleteHook = async ({ id, req }) => {
  await eraseCustomers({ customerIds: [id], deleteCustomers: false, payload: req.payload, req })
}
