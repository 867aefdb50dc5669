import type { Config } from 'payload'

import type { SanitizedCrmLimits } from '../types.js'

import { SLUGS } from '../constants.js'
import { createCapListReadsHook } from './capListReads.js'
import { createGraphQLCostRule } from './graphQLCostRule.js'
import { guardEndpointBodies } from './guardEndpointBodies.js'

/** Collections whose lists are capped: the CRM's data, which grows with the business. */
const CAPPED_COLLECTIONS: readonly string[] = [SLUGS.customers, SLUGS.orders, SLUGS.segments, SLUGS.campaigns, SLUGS.communicationLogs]

/** Where the server finds the sanitised limits (`readCrmLimits`). */
const CUSTOM_KEY = 'crmLimits'

/**
 * Makes one request unable to stop the server, in the plugin (so any host gets it): list pages capped
 * at `maxPageSize` on every CRM collection (REST, GraphQL, admin), a GraphQL cost budget that counts
 * `limit`, client reads taking turns on the event loop, and body-size limits on every REST endpoint.
 */
export const applyRequestLimits = (limits: SanitizedCrmLimits, config: Config): Config => {
  const capListReads = createCapListReadsHook({ maxPageSize: limits.maxPageSize })
  const incomingRules = config.graphQL?.validationRules
  return {
    ...config,
    collections: (config.collections ?? []).map((collection) =>
      CAPPED_COLLECTIONS.includes(collection.slug)
        ? { ...collection, hooks: { ...collection.hooks, beforeOperation: [...(collection.hooks?.beforeOperation ?? []), capListReads] } }
        : collection,
    ),
    custom: { ...config.custom, [CUSTOM_KEY]: limits },
    graphQL: {
      ...config.graphQL,
      validationRules: (args) => [
        ...(incomingRules?.(args) ?? []),
        createGraphQLCostRule({
          maxCost: limits.graphQLMaxCost,
          maxPageSize: limits.maxPageSize,
          variables: (args.variableValues ?? undefined) as Record<string, unknown> | undefined,
        }),
      ],
    },
    onInit: async (payload) => {
      guardEndpointBodies(payload, limits)
      await config.onInit?.(payload)
    },
  }
}

/** The limits `crmPlugin` put on a config, or undefined when the plugin is absent or disabled. */
export const readCrmLimits = (config: { custom?: Record<string, unknown> }): SanitizedCrmLimits | undefined =>
  config.custom?.[CUSTOM_KEY] as SanitizedCrmLimits | undefined
