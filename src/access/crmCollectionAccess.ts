import type { CollectionConfig } from 'payload'

import { canReadCrm } from './canReadCrm.js'
import { canWriteCrm } from './canWriteCrm.js'

/** Collection access shared by customers, orders, segments and campaigns: all roles read, admins and marketers write. */
export const crmCollectionAccess: NonNullable<CollectionConfig['access']> = {
  create: canWriteCrm,
  delete: canWriteCrm,
  read: canReadCrm,
  update: canWriteCrm,
}
