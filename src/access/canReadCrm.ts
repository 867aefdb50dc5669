import type { Access } from 'payload'

import { hasRole } from './roles.js'

/** Every signed-in CRM role may read CRM data; anonymous requests may not. */
export const canReadCrm: Access = ({ req }) => hasRole(req.user, 'admin', 'marketer', 'viewer')
