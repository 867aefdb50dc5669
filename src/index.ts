import type { Config, Plugin } from 'payload'

import type { CrmPluginOptions } from './types.js'

import { createCampaignsCollection } from './collections/Campaigns/index.js'
import { createCommunicationLogsCollection } from './collections/CommunicationLogs/index.js'
import { createCustomersCollection } from './collections/Customers/index.js'
import { createOrdersCollection } from './collections/Orders/index.js'
import { createSegmentsCollection } from './collections/Segments/index.js'
import { createUsersCollection } from './collections/Users/index.js'
import { CRM_OPTIONS_KEY } from './crmOptionsOf.js'
import { bulkDeleteCustomersEndpoint } from './endpoints/customers/bulkDeleteCustomersEndpoint.js'
import { healthEndpoint } from './endpoints/health/healthEndpoint.js'
import { createOpenApiEndpoints } from './endpoints/openapi/openapiEndpoints.js'
import { applyRequestLimits } from './limits/applyRequestLimits.js'
import { sanitizeOptions } from './sanitizeOptions.js'

export { withBodyLimit, withCrmBodyLimit } from './limits/withBodyLimit.js'
export type { CrmPluginOptions, SanitizedCrmOptions } from './types.js'

/**
 * The Mini CRM as a Payload plugin: config in → config out. Adds the CRM collections, endpoints and
 * admin components next to whatever the host config already has (never replacing the user's own).
 */
export const crmPlugin =
  (options: CrmPluginOptions = {}): Plugin =>
  (incoming: Config): Config => {
    const sanitized = sanitizeOptions(options)
    const existing = incoming.collections ?? []
    const hasUsers = existing.some((collection) => collection.slug === 'users')
    const collections = [
      ...existing,
      ...(hasUsers ? [] : [createUsersCollection()]),
      createCustomersCollection(sanitized),
      createOrdersCollection(sanitized),
      createSegmentsCollection(),
      createCampaignsCollection(sanitized),
      createCommunicationLogsCollection(),
    ]
    const custom = { ...incoming.custom, [CRM_OPTIONS_KEY]: sanitized }
    if (sanitized.disabled) return { ...incoming, collections, custom }
    // Customers' own routes: a set-based, admin-only DELETE /api/customers?where=… (matched before Payload's).
    const customers = collections.find((collection) => collection.slug === 'customers')
    if (customers) customers.endpoints = [...(customers.endpoints || []), bulkDeleteCustomersEndpoint]

    const endpoints = [...(incoming.endpoints ?? []), healthEndpoint, ...(sanitized.openapi ? createOpenApiEndpoints(sanitized) : [])]
    const beforeDashboard = [...(incoming.admin?.components?.beforeDashboard ?? []), '/src/components/Dashboard#CrmDashboard']
    const afterNavLinks = [...(incoming.admin?.components?.afterNavLinks ?? []), '/src/components/NavLinks#CrmNavLinks']

    return applyRequestLimits(sanitized.limits, {
      ...incoming,
      admin: {
        ...incoming.admin,
        components: { ...incoming.admin?.components, afterNavLinks, beforeDashboard },
        user: incoming.admin?.user ?? 'users',
      },
      collections,
      custom,
      endpoints,
      // Conflicts (409) are answers, not faults: log them like Payload's own 4xx.
      // (Payload types the keys as its own error names; the lookup is by any error's `name`.)
      loggingLevels: { ConflictError: 'info', ...incoming.loggingLevels } as Config['loggingLevels'],
    })
  }
