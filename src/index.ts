import type { Config, Plugin } from 'payload'

import type { CrmPluginOptions } from './types.js'

import { createCampaignsCollection } from './collections/Campaigns/index.js'
import { createCommunicationLogsCollection } from './collections/CommunicationLogs/index.js'
import { createCustomersCollection } from './collections/Customers/index.js'
import { createOrdersCollection } from './collections/Orders/index.js'
import { createSegmentsCollection } from './collections/Segments/index.js'
import { createUsersCollection } from './collections/Users/index.js'
import { healthEndpoint } from './endpoints/health/healthEndpoint.js'
import { createOpenApiEndpoints } from './endpoints/openapi/openapiEndpoints.js'
import { sanitizeOptions } from './sanitizeOptions.js'
import { withSegmentFeatures } from './segments/withSegmentFeatures.js'

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
      createCustomersCollection(),
      createOrdersCollection(),
      createSegmentsCollection(),
      createCampaignsCollection(),
      createCommunicationLogsCollection(),
    ]
    if (sanitized.disabled) return { ...incoming, collections }

    const endpoints = [...(incoming.endpoints ?? []), healthEndpoint, ...(sanitized.openapi ? createOpenApiEndpoints(sanitized) : [])]
    const beforeDashboard = [...(incoming.admin?.components?.beforeDashboard ?? []), '/src/components/Dashboard#CrmDashboard']
    const afterNavLinks = [...(incoming.admin?.components?.afterNavLinks ?? []), '/src/components/NavLinks#CrmNavLinks']

    // Segments: the store zone comes from the `storeTimezone` option once it exists (default UTC).
    const timeZone = (sanitized as { storeTimezone?: string }).storeTimezone ?? 'UTC'
    const withSegments = collections.map((collection) => (collection.slug === 'segments' ? withSegmentFeatures(collection, { timeZone }) : collection))

    return {
      ...incoming,
      admin: {
        ...incoming.admin,
        components: { ...incoming.admin?.components, afterNavLinks, beforeDashboard },
        user: incoming.admin?.user ?? 'users',
      },
      collections: withSegments,
      endpoints,
    }
  }
