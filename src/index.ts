import type { CollectionConfig, Config, Plugin } from 'payload'

import type { CrmNavLinksProps } from './components/NavLinks/types.js'
import type { CrmDashboardProps } from './components/Dashboard/types.js'
import type { GoogleSignInButtonProps } from './components/GoogleSignIn/types.js'
import type { CrmPluginOptions } from './types.js'

import { createGoogleEndpoints } from './auth/google/endpoints.js'
import { sanitizeGoogleOptions } from './auth/google/options.js'

import { createCampaignsCollection } from './collections/Campaigns/index.js'
import { createCommunicationLogsCollection } from './collections/CommunicationLogs/index.js'
import { createCustomersCollection } from './collections/Customers/index.js'
import { createImportsCollection } from './collections/Imports/index.js'
import { createIngestBatchesCollection } from './collections/IngestBatches/index.js'
import { createStagingChunksCollection } from './collections/StagingChunks/index.js'
import { createOrdersCollection } from './collections/Orders/index.js'
import { createSegmentsCollection } from './collections/Segments/index.js'
import { addCrmRoles } from './collections/Users/addCrmRoles.js'
import { createUsersCollection } from './collections/Users/index.js'
import { withoutBehaviour } from './collections/withoutBehaviour.js'
import { createAiService } from './ai/createAiService.js'
import { withAiFields } from './components/Ai/withAiFields.js'
import { withQueryValueCheck } from './collections/validateWhereValues.js'
import { CUSTOM_CONFIG_KEY } from './defaults.js'
import { createAiEndpoints } from './endpoints/ai/createAiEndpoints.js'
import { createCampaignEditorEndpoints } from './endpoints/campaigns/campaignEditorEndpoints.js'
import { createDashboardEndpoints } from './endpoints/dashboard/createDashboardEndpoints.js'
import { createCampaignEndpoints } from './endpoints/campaigns/createCampaignEndpoints.js'
import { receiptsEndpoint } from './endpoints/campaigns/receiptsEndpoint.js'
import { bulkDeleteCustomersEndpoint } from './endpoints/customers/bulkDeleteCustomersEndpoint.js'
import { healthEndpoint } from './endpoints/health/healthEndpoint.js'
import { INGEST_ENDPOINTS, JSON_INGEST_ENDPOINTS, rejectedRowsEndpoint } from './endpoints/ingest/index.js'
import { createOpenApiEndpoints } from './endpoints/openapi/openapiEndpoints.js'
import { openBulkConnections } from './bulk/index.js'
import { applyRequestLimits } from './limits/applyRequestLimits.js'
import { sanitizeOptions } from './sanitizeOptions.js'
import { withSegmentFeatures } from './segments/withSegmentFeatures.js'

export { withBodyLimit, withCrmBodyLimit } from './limits/withBodyLimit.js'
export type { CrmPluginOptions, SanitizedCrmOptions } from './types.js'
export type { Role } from './access/roles.js'
export { ROLES } from './access/roles.js'
export { SLUGS } from './constants.js'

/** Where the admin components live: package entry points, so a host app's import map resolves them. */
export const CRM_COMPONENTS = {
  dashboard: 'mini-crm/rsc#CrmDashboard',
  exportCsvButton: 'mini-crm/client#ExportCsvButton',
  importView: 'mini-crm/rsc#CrmImportView',
  googleSignIn: 'mini-crm/client#GoogleSignInButton',
  navLinks: 'mini-crm/client#CrmNavLinks',
} as const

/**
 * The Mini CRM as a Payload plugin: config in → config out. Adds the CRM collections, the `roles`
 * field on the host's auth collection (or a `users` collection when there is none), endpoints and
 * admin components next to whatever the host config already has (never replacing the host's own).
 */
export const crmPlugin =
  (options: CrmPluginOptions = {}): Plugin =>
  (incoming: Config): Config => {
    const sanitized = sanitizeOptions({ ...options, authCollection: options.authCollection ?? incoming.admin?.user })
    const { authCollection, disabled } = sanitized
    const existing = incoming.collections ?? []
    const hasAuthCollection = existing.some((collection) => collection.slug === authCollection)
    // PUBLIC_URL on https → the session cookie is `Secure` (our own users collection; a host's keeps its settings).
    const secureCookies = (incoming.serverURL ?? '').startsWith('https:')
    const ownCollections: CollectionConfig[] = [
      ...(hasAuthCollection ? [] : [createUsersCollection({ secureCookies, slug: authCollection })]),
      createCustomersCollection(sanitized),
      createOrdersCollection(sanitized),
      createSegmentsCollection(),
      createCampaignsCollection(sanitized),
      createCommunicationLogsCollection(),
      createImportsCollection(),
      createIngestBatchesCollection(),
      createStagingChunksCollection(),
    ]
    const collections = [
      ...existing.map((collection) => (collection.slug === authCollection ? addCrmRoles({ collection, disabled }) : collection)),
      ...(disabled ? ownCollections.map(withoutBehaviour) : ownCollections),
    ]
    const base: Config = {
      ...incoming,
      admin: { ...incoming.admin, user: incoming.admin?.user ?? authCollection },
      collections,
      custom: { ...incoming.custom, [CUSTOM_CONFIG_KEY]: sanitized },
    }
    if (disabled) return base
    // Customers' own routes: a set-based, admin-only DELETE /api/customers?where=… (matched before Payload's).
    const customers = collections.find((collection) => collection.slug === 'customers')
    if (customers) customers.endpoints = [...(customers.endpoints || []), bulkDeleteCustomersEndpoint]
    // CSV import/export (`/import`, `/export`), likewise matched before Payload's `/:id`.
    for (const collection of collections) {
      if (collection.slug === 'customers' || collection.slug === 'orders') {
        collection.endpoints = [...(collection.endpoints || []), ...INGEST_ENDPOINTS[collection.slug]]
      }
      // "Export CSV" above the customers and orders lists (the export endpoint, with the list's filter).
      if (collection.slug === 'customers' || collection.slug === 'orders') {
        const exportButton = { clientProps: { kind: collection.slug }, path: CRM_COMPONENTS.exportCsvButton }
        const components = collection.admin?.components
        collection.admin = { ...collection.admin, components: { ...components, beforeListTable: [...(components?.beforeListTable ?? []), exportButton] } }
      }
      // An async import's rejected rows as CSV (`/api/imports/:id/rejected`).
      if (collection.slug === 'imports') collection.endpoints = [...(collection.endpoints || []), rejectedRowsEndpoint]
    }
    // Campaigns: preview/report (the editor), send/cancel/pause/resume/progress/test-send; the vendor's signed receipts on the logs.
    for (const collection of collections) {
      if (collection.slug === 'campaigns') collection.endpoints = [...(collection.endpoints || []), ...createCampaignEditorEndpoints(), ...createCampaignEndpoints()]
      if (collection.slug === 'communication-logs') collection.endpoints = [...(collection.endpoints || []), receiptsEndpoint]
    }
    // Segments: rules ⇄ dsl hook with audience recount, and preview/parse/format/members/count endpoints.
    const segmentsAt = collections.findIndex((collection) => collection.slug === 'segments')
    if (segmentsAt >= 0) collections[segmentsAt] = withSegmentFeatures(collections[segmentsAt]!, { currency: sanitized.storeCurrency, timeZone: sanitized.storeTimezone })

    // Google sign-in: the start and callback routes on the auth collection (`/api/<users>/oauth/google…`).
    const google = sanitizeGoogleOptions(options.google)
    const users = collections.find((collection) => collection.slug === authCollection)
    if (google && users) users.endpoints = [...(users.endpoints || []), ...createGoogleEndpoints({ google, slug: authCollection })]
    const googleButtonProps: GoogleSignInButtonProps = {
      href: google ? `${incoming.routes?.api ?? '/api'}/${authCollection}/oauth/google` : null,
    }
    const afterLogin = [...(incoming.admin?.components?.afterLogin ?? []), { clientProps: googleButtonProps, path: CRM_COMPONENTS.googleSignIn }]


    // AI buttons in the segment and campaign editors (ui fields: no schema change).
    for (const [index, collection] of collections.entries()) collections[index] = withAiFields(collection)
    // A query value its column cannot hold (a word for an id, number or date) is a 400 naming it, not a driver 500.
    const ownSlugs = new Set([authCollection, ...ownCollections.map((collection) => collection.slug)])
    for (const [index, collection] of collections.entries()) if (ownSlugs.has(collection.slug)) collections[index] = withQueryValueCheck(collection)
    // AI: Gemini with GEMINI_API_KEY, else the offline fallback; marketers and admins, rate-limited per user.
    const aiEndpoints = createAiEndpoints({
      currency: sanitized.storeCurrency,
      rateLimitPerMinute: sanitized.ai.rateLimitPerMinute,
      service: createAiService({ options: sanitized.ai }),
      timeZone: sanitized.storeTimezone,
    })
    const endpoints = [...(incoming.endpoints ?? []), healthEndpoint, ...createDashboardEndpoints(), ...JSON_INGEST_ENDPOINTS, ...aiEndpoints, ...(sanitized.openapi ? createOpenApiEndpoints(sanitized) : [])]
    const dashboardProps: CrmDashboardProps = { showApiDocs: sanitized.openapi }
    const navLinksProps: CrmNavLinksProps = { showApiDocs: sanitized.openapi, showJobsDashboard: sanitized.jobsDashboard }
    const beforeDashboard = [
      ...(incoming.admin?.components?.beforeDashboard ?? []),
      { path: CRM_COMPONENTS.dashboard, serverProps: dashboardProps },
    ]
    const afterNavLinks = [...(incoming.admin?.components?.afterNavLinks ?? []), { clientProps: navLinksProps, path: CRM_COMPONENTS.navLinks }]

    return applyRequestLimits(sanitized.limits, {
      ...base,
      admin: {
        ...base.admin,
        components: {
          ...incoming.admin?.components,
          afterLogin,
          afterNavLinks,
          beforeDashboard,
          // `/admin/import`: upload with live progress, summary, rejected rows, history.
          views: { ...incoming.admin?.components?.views, crmImport: { Component: CRM_COMPONENTS.importView, exact: true, path: '/import' } },
        },
      },
      endpoints,
      // A host's Payload too: the bulk layer's SQLite connection opens at start (src/bulk/connection.ts).
      onInit: async (payload) => {
        await base.onInit?.(payload)
        openBulkConnections(payload)
      },
      // Conflicts (409) are answers, not faults: log them like Payload's own 4xx.
      // (Payload types the keys as its own error names; the lookup is by any error's `name`.)
      loggingLevels: { ConflictError: 'info', ...incoming.loggingLevels } as Config['loggingLevels'],
    })
  }
