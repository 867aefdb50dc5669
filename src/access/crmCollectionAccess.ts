import type { CollectionConfig } from 'payload'

import { canDeleteCrm } from './canDeleteCrm.js'
import { canReadCrm } from './canReadCrm.js'
import { canWriteCrm } from './canWriteCrm.js'

/** Collection access shared by customers, orders, segments and campaigns: all roles read, admins and marketers write
 * and delete by id, only admins delete in bulk. */
export const crmCollectionAccess: NonNullable<CollectionConfig['access']> = {
  create: canWriteCrm,
  delete: canDeleteCrm,
  read: canReadCrm,
  update: canWriteCrm,
}
