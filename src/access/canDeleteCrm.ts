import type { Access } from 'payload'

import { hasRole } from './roles.js'

/**
 * Admins and marketers may delete one document by id; deleting by a `where` clause (no id: a
 * bulk delete) is for admins only (CONTRACT: bulk deletes are for admins).
 */
export const canDeleteCrm: Access = ({ id, req }) =>
  id === undefined || id === null ? hasRole(req.user, 'admin') : hasRole(req.user, 'admin', 'marketer')
