import type { Access } from 'payload'

import { hasRole } from './roles.js'

/** Admins and marketers may change customers, orders, segments and campaigns. */
export const canWriteCrm: Access = ({ req }) => hasRole(req.user, 'admin', 'marketer')
