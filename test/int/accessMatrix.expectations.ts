/**
 * THE ACCESS MATRIX: who may do what, written down by hand. `accessMatrix.int.spec.ts` enumerates
 * every collection, custom endpoint and GraphQL operation from the built config and checks each
 * caller against these rows. Nothing here is computed from the code that enforces access, so a
 * change in that code which these rows do not also say fails the test.
 *
 * Adding a row is one line: `'POST /api/campaigns/:id/send': WRITERS,` (method, path as in the
 * config with `/api` in front, then who gets in). "Gets in" means the answer is not 401/403 (nor 404
 * on a document that exists): a 400 for a missing body still proves the door opened.
 */

export const CALLERS = ['anonymous', 'viewer', 'marketer', 'admin', 'viewerKey', 'marketerKey', 'adminKey'] as const
export type Caller = (typeof CALLERS)[number]
export type Who = readonly Caller[]

/** Nobody (not even admins through this door). */
export const NOBODY: Who = []
/** Everyone, signed in or not. */
export const PUBLIC: Who = CALLERS
/** Any signed-in user or API key, whatever its role. */
export const SIGNED_IN: Who = ['viewer', 'marketer', 'admin', 'viewerKey', 'marketerKey', 'adminKey']
/** Admins and marketers (and their API keys). */
export const WRITERS: Who = ['marketer', 'admin', 'marketerKey', 'adminKey']
/** Admins (and admin API keys). */
export const ADMINS: Who = ['admin', 'adminKey']

export type CollectionOp = 'create' | 'delete' | 'list' | 'read' | 'update'
export type CollectionRow = Record<CollectionOp, Who>

const CRM_DATA: CollectionRow = { create: WRITERS, delete: WRITERS, list: SIGNED_IN, read: SIGNED_IN, update: WRITERS }

/**
 * REST on every collection: list `GET /api/<slug>`, read `GET /api/<slug>/:id`, create `POST`,
 * update `PATCH /api/<slug>/:id`, delete `DELETE /api/<slug>/:id` (by id; bulk deletes are endpoints below).
 * By-id rows are tried on a document the caller did not create (for users: another user).
 */
export const COLLECTIONS: Record<string, CollectionRow> = {
  campaigns: CRM_DATA,
  'communication-logs': { create: NOBODY, delete: ADMINS, list: SIGNED_IN, read: SIGNED_IN, update: NOBODY },
  // Internal staging of async imports and ingest batches: no REST access at all.
  'crm-staging-chunks': { create: NOBODY, delete: NOBODY, list: NOBODY, read: NOBODY, update: NOBODY },
  customers: CRM_DATA,
  // Import history and ingest batches: written only by the endpoints and jobs; read by every role.
  imports: { create: NOBODY, delete: ADMINS, list: SIGNED_IN, read: SIGNED_IN, update: NOBODY },
  'ingest-batches': { create: NOBODY, delete: ADMINS, list: SIGNED_IN, read: SIGNED_IN, update: NOBODY },
  orders: CRM_DATA,
  'payload-kv': { create: NOBODY, delete: NOBODY, list: NOBODY, read: NOBODY, update: NOBODY },
  'payload-locked-documents': { create: SIGNED_IN, delete: SIGNED_IN, list: SIGNED_IN, read: SIGNED_IN, update: SIGNED_IN },
  // No REST routes at all (Payload answers 501 "Cannot GET").
  'payload-migrations': { create: NOBODY, delete: NOBODY, list: NOBODY, read: NOBODY, update: NOBODY },
  // By-id routes are Payload's `/:key` routes on the caller's own preferences: anonymous GET answers null.
  'payload-preferences': { create: SIGNED_IN, delete: SIGNED_IN, list: SIGNED_IN, read: PUBLIC, update: NOBODY },
  segments: CRM_DATA,
  // Others' user documents are admins' business; everyone may list (and sees only themself) — see users.self below.
  users: { create: ADMINS, delete: ADMINS, list: SIGNED_IN, read: ADMINS, update: ADMINS },
}

/**
 * Doors where a 500 is a known fault of Payload itself, left alone and reported (door → why). The
 * access outcome is still checked.
 */
export const KNOWN_FAULTS: Record<string, string> = {
  // Payload 3.90: DELETE /api/payload-preferences/<key> for a key the user has no preference under → 500 from db.deleteOne.
  'delete payload-preferences': 'Payload deletes a missing preference with a 500',
}

/**
 * Every custom endpoint (`config.endpoints`, and each collection's endpoints other than Payload's
 * built-in REST and auth routes), as `METHOD /api/<path>`.
 */
export const ENDPOINTS: Record<string, Who> = {
  'GET /api/health': PUBLIC,
  'GET /api/openapi.json': PUBLIC,
  'GET /api/docs': PUBLIC,
  'GET /api/docs/:asset': PUBLIC,
  'DELETE /api/customers': ADMINS,
  'POST /api/customers/import': WRITERS,
  'GET /api/customers/export': WRITERS,
  'POST /api/orders/import': WRITERS,
  'GET /api/orders/export': WRITERS,
  // Async imports' rejected rows (customer data from the upload): those who may import.
  'GET /api/imports/:id/rejected': WRITERS,
  // JSON ingest: viewers cannot import; a batch's status is read-only.
  'POST /api/ingest/customers': WRITERS,
  'POST /api/ingest/orders': WRITERS,
  'GET /api/ingest/batches/:id': SIGNED_IN,
  // Previews count and sample customers without saving anything: read-only, so viewers too.
  'POST /api/segments/preview': SIGNED_IN,
  'POST /api/segments/parse': SIGNED_IN,
  'POST /api/segments/format': SIGNED_IN,
  'GET /api/segments/:id/customers': SIGNED_IN,
  'POST /api/segments/:id/count': WRITERS,
  // Distinct cities, tags and attribute keys/values for the rule builder's pickers: read-only.
  'GET /api/segments/values': SIGNED_IN,
  // Campaign actions follow the state table (a refused transition is a 409, still "in"); progress is read-only.
  'POST /api/campaigns/:id/send': WRITERS,
  'POST /api/campaigns/:id/cancel': WRITERS,
  'POST /api/campaigns/:id/pause': WRITERS,
  'POST /api/campaigns/:id/resume': WRITERS,
  'GET /api/campaigns/:id/progress': SIGNED_IN,
  'POST /api/campaigns/:id/test-send': WRITERS,
  // The campaign editor's reads: preview (template, render, audience size) and the report.
  'POST /api/campaigns/preview': SIGNED_IN,
  'GET /api/campaigns/:id/report': SIGNED_IN,
  // The vendor's receipt webhook authenticates by HMAC only: no session or API key opens it unsigned.
  'POST /api/communication-logs/receipts': NOBODY,
  // AI: marketers and admins (the answers feed edits), rate-limited per user.
  'POST /api/ai/message-suggestions': WRITERS,
  'POST /api/ai/segment-rules': WRITERS,
  'POST /api/ai/campaign-summary/:id': WRITERS,
  // Dashboard figures: read-only, any signed-in user; loading demo data (and its progress) is for admins.
  'GET /api/dashboard': SIGNED_IN,
  'POST /api/demo-data': ADMINS,
  'GET /api/demo-data/status': ADMINS,
  // Google sign-in: public doors by nature (they check state, PKCE and the ID token instead).
  'GET /api/users/oauth/google': PUBLIC,
  'GET /api/users/oauth/google/callback': PUBLIC,
}

/**
 * GraphQL operations (`POST /api/graphql`), by field name on Query or Mutation. A GraphQL row says who
 * passes the operation's access check (denied = a 401/403 error); which rows a caller then sees is
 * the REST rows' business (by-id operations are sent a customer's id, whatever the collection).
 */
export const GRAPHQL: Record<string, Who> = {
  // docAccess* report the caller's own permissions on a document (no data): open to all.
  // Users
  User: SIGNED_IN,
  Users: SIGNED_IN,
  countUsers: SIGNED_IN,
  docAccessUser: PUBLIC,
  meUser: PUBLIC,
  initializedUser: PUBLIC,
  createUser: ADMINS,
  updateUser: ADMINS, // on another user's id (everyone may update themself: REST rows)
  deleteUser: ADMINS,
  refreshTokenUser: ['viewer', 'marketer', 'admin'], // a session to refresh: not API keys
  logoutUser: PUBLIC,
  unlockUser: ADMINS,
  loginUser: PUBLIC,
  forgotPasswordUser: PUBLIC,
  resetPasswordUser: PUBLIC,
  verifyEmailUser: PUBLIC,
  Access: PUBLIC,
  // Customers
  Customer: SIGNED_IN,
  Customers: SIGNED_IN,
  countCustomers: SIGNED_IN,
  docAccessCustomer: PUBLIC,
  createCustomer: WRITERS,
  updateCustomer: WRITERS,
  deleteCustomer: WRITERS,
  duplicateCustomer: WRITERS,
  // Orders
  Order: SIGNED_IN,
  Orders: SIGNED_IN,
  countOrders: SIGNED_IN,
  docAccessOrder: PUBLIC,
  createOrder: WRITERS,
  updateOrder: WRITERS,
  deleteOrder: WRITERS,
  duplicateOrder: WRITERS,
  // Segments
  Segment: SIGNED_IN,
  Segments: SIGNED_IN,
  countSegments: SIGNED_IN,
  docAccessSegment: PUBLIC,
  createSegment: WRITERS,
  updateSegment: WRITERS,
  deleteSegment: WRITERS,
  duplicateSegment: WRITERS,
  // Campaigns
  Campaign: SIGNED_IN,
  Campaigns: SIGNED_IN,
  countCampaigns: SIGNED_IN,
  docAccessCampaign: PUBLIC,
  createCampaign: WRITERS,
  updateCampaign: WRITERS,
  deleteCampaign: WRITERS,
  duplicateCampaign: WRITERS,
  // Communication logs: written only by the send pipeline and the receipt webhook
  CommunicationLog: SIGNED_IN,
  CommunicationLogs: SIGNED_IN,
  countCommunicationLogs: SIGNED_IN,
  docAccessCommunicationLog: PUBLIC,
  createCommunicationLog: NOBODY,
  updateCommunicationLog: NOBODY,
  deleteCommunicationLog: ADMINS,
  duplicateCommunicationLog: NOBODY,
  // Payload's internal collections
  PayloadKv: NOBODY,
  PayloadKvs: NOBODY,
  countPayloadKvs: NOBODY,
  docAccessPayloadKv: PUBLIC,
  createPayloadKv: NOBODY,
  updatePayloadKv: NOBODY,
  deletePayloadKv: NOBODY,
  duplicatePayloadKv: NOBODY,
  PayloadLockedDocument: SIGNED_IN,
  PayloadLockedDocuments: SIGNED_IN,
  countPayloadLockedDocuments: SIGNED_IN,
  docAccessPayloadLockedDocument: PUBLIC,
  createPayloadLockedDocument: SIGNED_IN,
  updatePayloadLockedDocument: SIGNED_IN,
  deletePayloadLockedDocument: SIGNED_IN,
  duplicatePayloadLockedDocument: SIGNED_IN,
  PayloadPreference: SIGNED_IN,
  PayloadPreferences: SIGNED_IN,
  countPayloadPreferences: SIGNED_IN,
  docAccessPayloadPreference: PUBLIC,
  createPayloadPreference: SIGNED_IN,
  updatePayloadPreference: NOBODY, // someone else's preference
  deletePayloadPreference: NOBODY, // someone else's preference
  duplicatePayloadPreference: NOBODY, // someone else's preference
}
